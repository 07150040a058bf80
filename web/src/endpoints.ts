import type {
  ApplicationList,
  ApplicationReceived,
  CardSignRequest,
  CertificateIssued,
  CertificateRequest,
  ChallengeAnswer,
  Dashboard,
  DependentsLosingCover,
  ExOfficioRequest,
  ExOfficioRun,
  Health,
  LegacyCardEventAnswer,
  MemberPage,
  MemberView,
  NoticeReissueRequest,
  NotificationRequest,
  NotificationResult,
  PaperCertificateList,
  PdfFile,
  PortalSession,
  PortalSessionRequest,
  PortalSignRequest,
  QualificationScreen,
  SignedChallenge,
  Timeline,
  UploadJob,
  UploadReport,
  VerificationAnswer,
  VerificationRequest,
  WhoAmI,
} from './answers.js';

/**
 * Every endpoint the screens call, by method and path template (`{name}` is a path parameter),
 * with what goes in and what comes back. `call` in api.ts takes its types from here.
 */
export interface Endpoints {
  'GET /healthz': { answer: Health };
  'GET /api/v1/whoami': { answer: WhoAmI };
  'GET /api/v1/verifications/challenge': { answer: ChallengeAnswer };
  'POST /api/v1/cards/{cardId}:sign': { params: { cardId: string }; body: CardSignRequest; answer: SignedChallenge };
  'POST /api/v1/verifications': { body: VerificationRequest; answer: VerificationAnswer };
  'GET /api/v1/insurers/{insurerNumber}/dashboard': {
    params: { insurerNumber: string };
    query: { asOf: string };
    answer: Dashboard;
  };
  'GET /api/v1/insurers/{insurerNumber}/dependents-losing-cover': {
    params: { insurerNumber: string };
    query: { asOf?: string; until?: string };
    answer: DependentsLosingCover;
  };
  'GET /api/v1/members': {
    query: { kana?: string; symbol?: string; number?: string; birthDate?: string; limit?: string; cursor?: string };
    answer: MemberPage;
  };
  'GET /api/v1/members/{memberId}': { params: { memberId: string }; query?: { asOf?: string }; answer: MemberView };
  'GET /api/v1/members/{memberId}/timeline': { params: { memberId: string }; answer: Timeline };
  'GET /api/v1/certificates/{certificateId}.pdf': { params: { certificateId: string }; answer: PdfFile };
  'GET /api/v1/notices/{noticeId}.pdf': { params: { noticeId: string }; answer: PdfFile };
  'GET /api/v1/members/{memberId}/paper-certificates': {
    params: { memberId: string };
    answer: PaperCertificateList;
  };
  'GET /api/v1/paper-certificates/{paperCertificateId}.pdf': {
    params: { paperCertificateId: string };
    answer: PdfFile;
  };
  'POST /api/v1/certificates:issue-ex-officio': { body: ExOfficioRequest; answer: ExOfficioRun };
  'GET /api/v1/applications': { query: { state: string }; answer: ApplicationList };
  'POST /api/v1/applications/{applicationId}:{decision}': {
    params: { applicationId: string; decision: 'approve' | 'refuse' };
    body: Record<string, never>;
    answer: ApplicationReceived;
  };
  'POST /api/v1/legacy-cards/{legacyCardId}:{action}': {
    params: { legacyCardId: string; action: 'return' | 'dispose' | 'report-lost' };
    body: { returnedOn: string } | { disposedOn: string } | { reportedLostOn: string };
    answer: LegacyCardEventAnswer;
  };
  'POST /api/v1/notifications': { body: NotificationRequest; answer: NotificationResult };
  /** Above 1,000 rows the answer is the job to poll (202). */
  'POST /api/v1/notifications:import': {
    text: { body: string | Blob; type: string };
    answer: UploadReport | UploadJob;
  };
  /** The screens poll only the jobs of their CSV uploads. */
  'GET /api/v1/notifications/jobs/{jobId}': { params: { jobId: string }; answer: UploadJob };
  'GET /api/v1/me/challenge': { answer: ChallengeAnswer };
  'POST /api/v1/me/card:sign': { body: PortalSignRequest; answer: SignedChallenge };
  'POST /api/v1/me/session': { body: PortalSessionRequest; answer: PortalSession };
  'GET /api/v1/me/qualification': { answer: QualificationScreen };
  'GET /api/v1/me/qualification.pdf': { answer: PdfFile };
  'POST /api/v1/certificates': { body: CertificateRequest; answer: CertificateIssued };
  'POST /api/v1/applications': { body: NoticeReissueRequest; answer: ApplicationReceived };
}

export type Endpoint = keyof Endpoints;

/** The endpoints whose answer is a file (PDF) rather than JSON. */
export type FileEndpoint = { [K in Endpoint]: Endpoints[K]['answer'] extends PdfFile ? K : never }[Endpoint];

/** The endpoints whose answer is JSON. */
export type JsonEndpoint = Exclude<Endpoint, FileEndpoint>;
