/**
 * The answers and request bodies of the JSON API as the screens use them: every one is the type the
 * server's zod contract (src/contract) infers, so a changed answer breaks the screens' type-check.
 * Answers are what the server sends (`z.output`); bodies are what a screen may send (`z.input`,
 * before the server's defaults and normalisation). The endpoint table (endpoints.ts) carries them to
 * every call.
 */
import type { z } from 'zod';
import type { ApplicationView, applicationSchema } from '../../src/contract/applications.js';
import type { SignedChallenge as CardSignature, signChallengeSchema } from '../../src/contract/cards.js';
import type {
  CertificateIssued,
  certificateApplicationSchema,
  ExOfficioRunResult,
  exOfficioRunSchema,
} from '../../src/contract/certificates.js';
import type {
  ApplicationQueue,
  CsvUploadJob,
  CsvUploadReport,
  Dashboard,
  DependentCoverLoss,
  DependentsLosingCover,
  MemberRef,
  QueuedApplication,
  Timeline,
  TimelineEvent,
  WhoAmI,
} from '../../src/contract/console.js';
import type { LegacyCardEventAnswer, LegacyCardLife } from '../../src/contract/legacy-cards.js';
import type { MemberPage, MemberSummary, MemberView } from '../../src/contract/members.js';
import type { NotificationResult, notificationSchema, RowError } from '../../src/contract/notifications.js';
import type { PaperCertificateView, paperCertificateListSchema } from '../../src/contract/paper-certificates.js';
import type {
  PortalSession,
  portalSessionRequestSchema,
  portalSignSchema,
  QualificationEntry,
  QualificationScreen,
} from '../../src/contract/portal.js';
import type {
  IssuedChallenge,
  VerificationAnswer,
  verificationRequestSchema,
} from '../../src/contract/verification.js';

export type {
  CertificateIssued,
  CsvUploadJob as UploadJob,
  CsvUploadReport as UploadReport,
  Dashboard,
  DependentCoverLoss,
  DependentsLosingCover,
  ExOfficioRunResult as ExOfficioRun,
  IssuedChallenge as ChallengeAnswer,
  LegacyCardEventAnswer,
  LegacyCardLife,
  MemberPage,
  MemberRef,
  MemberSummary,
  MemberView,
  NotificationResult,
  PaperCertificateView as PaperCertificate,
  PortalSession,
  QualificationEntry,
  QualificationScreen,
  RowError,
  Timeline,
  TimelineEvent,
  VerificationAnswer,
  WhoAmI,
};

export type Role = WhoAmI['role'];

/** A message in both languages with its code: reasons, fallbacks. */
export type CodedMessage = VerificationAnswer['reasons'][number];

/** What every proof and list shows of a member: the numbers and the person. */
export type MemberFacts = Pick<
  MemberSummary,
  'symbol' | 'number' | 'branch' | 'relationship' | 'name' | 'nameKana' | 'birthDate' | 'sex' | 'acquiredOn' | 'lostOn'
>;

/** POST /api/v1/cards/{cardId}:sign and POST /api/v1/me/card:sign: the chip's answer to a challenge. */
export type SignedChallenge = Pick<CardSignature, 'certificate' | 'signature'>;

/** GET /api/v1/applications: one queued application, and the queue. */
export type ApplicationRow = QueuedApplication;
export type ApplicationList = ApplicationQueue;

/** POST /api/v1/applications and its decisions: the application as recorded. */
export type ApplicationReceived = ApplicationView;

/** GET /api/v1/members/{id}/paper-certificates: a 資格確認書 holder's paper, newest first. */
export type PaperCertificateList = z.output<typeof paperCertificateListSchema>;

/** GET /healthz: the server is up (the body is not read; not part of the JSON API's contract). */
export type Health = unknown;

/** A PDF answer (certificate, notice, qualification): the bytes and the server's file name. */
export interface PdfFile {
  blob: Blob;
  filename: string | null;
}

// --- request bodies -------------------------------------------------------------------------------

export type VerificationRequest = z.input<typeof verificationRequestSchema>;
export type CardSignRequest = z.input<typeof signChallengeSchema>;
export type PortalSignRequest = z.input<typeof portalSignSchema>;
export type PortalSessionRequest = z.input<typeof portalSessionRequestSchema>;
export type ExOfficioRequest = z.input<typeof exOfficioRunSchema>;
export type CertificateRequest = z.input<typeof certificateApplicationSchema>;
export type NoticeReissueRequest = Extract<z.input<typeof applicationSchema>, { kind: 'notice_reissue' }>;
export type NotificationRequest = z.input<typeof notificationSchema>;
