/**
 * The answers (and request bodies) of the JSON API as the screens read them, one declaration per
 * server concept. Each is to be replaced by the type inferred from the server's zod contract; until
 * then a change on the server is mirrored here, and the endpoint table in api.ts carries it to every
 * screen's type-check.
 */

export type Role = 'operator' | 'admin' | 'employer' | 'provider' | 'member';

/** A message in both languages with its code: reasons, fallbacks, row errors. */
export interface CodedMessage {
  code: string;
  ja: string;
  en: string;
}

/** GET /api/v1/whoami: the token's role and scope, and the server's today (Japan). */
export interface WhoAmI {
  role: Role;
  insurerNumber: string | null;
  insurerName: string | null;
  employerSymbol: string | null;
  providerCode: string | null;
  memberId: string | null;
  today: string;
}

/** GET /healthz: the server is up (the body is not read). */
export type Health = unknown;

/** GET /api/v1/verifications/challenge and GET /api/v1/me/challenge: a nonce for the card to sign. */
export interface ChallengeAnswer {
  challenge: string;
}

/** POST /api/v1/cards/{cardId}:sign and POST /api/v1/me/card:sign: the chip's answer to a challenge. */
export interface SignedChallenge {
  certificate: string;
  signature: string;
}

/** What a proof shows of a member: the numbers and the person. */
export interface MemberFacts {
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  acquiredOn: string;
  lostOn: string | null;
}

/** POST /api/v1/verifications: the eligibility answer for one card or document on one day. */
export interface VerificationAnswer {
  outcome: 'eligible' | 'ineligible' | 'not_found' | 'ambiguous';
  reasons: CodedMessage[];
  fallbacks: CodedMessage[];
  qualification:
    | null
    | (MemberFacts & {
        insurerNumber: string;
        insurerName: string;
        burdenRatio: number | null;
        limitCategory: string | null;
        specificDisease: Array<{
          category: string;
          monthlyLimitYen: number;
          validFrom: string;
          validUntil: string | null;
        }>;
      });
  verificationId: string;
}

/** A member as lists name them: in the dashboard and on an application. */
export interface MemberRef {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  nameKana: string;
}

/** GET /api/v1/insurers/{insurerNumber}/dashboard: the association's overview on a day. */
export interface Dashboard {
  insurerNumber: string;
  insurerName: string;
  asOf: string;
  members: { covered: number; insured: number; dependents: number; lost: number; notStarted: number };
  hub: { registered: number; pending: number; mismatch: number; noMyNumber: number };
  withoutMyNumber: MemberRef[];
  mismatches: Array<
    MemberRef & {
      fields: string[];
      nearMatch: Array<{ field: string; index: number; given: string; recorded: string }>;
      recordedOn: string;
    }
  >;
  certificatesExpiring: Array<MemberRef & { certificateId: string; validUntil: string }>;
  applicationsPending: number;
}

/** One row of GET /api/v1/members. */
export interface MemberSummary extends MemberFacts {
  memberId: string;
  hubStatus: 'registered' | 'mismatch' | 'no_my_number';
}

/** GET /api/v1/members: a page of members, newest cursor last. */
export interface MemberPage {
  items: MemberSummary[];
  nextCursor: string | null;
}

/** GET /api/v1/members/{memberId}: one member's record on a day, with the hub's view of it. */
export interface MemberView extends MemberSummary {
  insurerNumber: string;
  address: string | null;
  myNumber: string | null;
  standardMonthlyRemuneration: number | null;
  asOf: string;
  status: 'not_started' | 'eligible' | 'lost';
  hubAvailableOn: string;
  mismatchFields: string[];
  hubOnAsOf:
    | { state: 'registered' | 'no_my_number' }
    | { state: 'pending'; hubAvailableOn: string }
    | { state: 'mismatch'; fields: string[] }
    | null;
  insured: { memberId: string; symbol: string; number: string; branch: string } | null;
  dependents: MemberSummary[];
}

/** One fact of a member's history, with the day it happened and the day it was recorded. */
export interface TimelineEvent {
  on: string;
  recordedOn: string;
  kind: string;
  detail: Record<string, string | number | boolean | null | string[]>;
}

/** GET /api/v1/members/{memberId}/timeline: every fact of a member, oldest first. */
export interface Timeline {
  events: TimelineEvent[];
}

/** POST /api/v1/certificates:issue-ex-officio: what a run issued or would issue (dry run). */
export interface ExOfficioRun {
  runId: string | null;
  dryRun: boolean;
  asOf: string;
  issued: Array<{ memberId: string; certificateId: string | null; reason: string; validUntil: string }>;
  skipped: Array<{ memberId: string; reason: string }>;
}

/** One row of GET /api/v1/applications. */
export interface ApplicationRow {
  applicationId: string;
  memberId: string;
  kind: string;
  reason: string | null;
  state: string;
  receivedOn: string;
  refusalCode?: string | null;
  member: MemberRef;
}

/** GET /api/v1/applications: the applications in one state. */
export interface ApplicationList {
  items: ApplicationRow[];
}

/** POST /api/v1/applications and POST /api/v1/applications/{applicationId}:{decision}: the application. */
export interface ApplicationReceived {
  applicationId: string;
  state: string;
  refusalCode?: string | null;
}

/** POST /api/v1/notifications: one notification as registered, with the hub's answer. */
export interface NotificationResult {
  notificationId: string;
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  hubStatus: 'registered' | 'mismatch' | 'no_my_number';
  hubAvailableOn: string;
  mismatch?: {
    fields: string[];
    nearMatch: Array<{ field: 'name' | 'nameKana'; index: number; given: string; recorded: string }>;
  };
}

/** One refused row of a CSV upload. */
export interface RowError extends CodedMessage {
  errors?: Array<{ path: string; code: string; message: string }>;
}

/** POST /api/v1/notifications:import: the per-row report of a CSV upload. */
export interface UploadReport {
  total: number;
  accepted: number;
  rejected: number;
  written: number;
  replayed: number;
  rows: Array<
    | { line: number; ok: true; result: NotificationResult; replayed?: true }
    | { line: number; ok: false; error: RowError; columns: string[] }
  >;
}

/** POST /api/v1/me/session: the member portal's session, opened with the card's signature. */
export interface PortalSession {
  token: string;
  expiresAt: string;
  expiresIn: number;
  memberId: string;
  insurerNumber: string;
  name: string;
  card: {
    kind: 'card' | 'smartphone';
    expiresOn: string;
    state: 'valid' | 'expiring_soon' | 'grace' | 'expired';
    certificateExpiresOn: string;
    certificateState: 'valid' | 'expiring_soon' | 'grace' | 'expired';
    registration: 'active' | 'never' | 'cancelled' | 'lapsed';
  };
}

/** One person of GET /api/v1/me/qualification. */
export interface QualificationEntry extends MemberFacts {
  memberId: string;
  insurerNumber: string;
  insurerName: string;
  burdenRatio: number | null;
  burdenRatioAsOf?: string;
  myNumber: string | null;
  certificate: { certificateId: string; issuedOn: string; validUntil: string } | null;
  noticeId: string | null;
}

/** GET /api/v1/me/qualification: the portal's eligibility screen (the member and their dependents). */
export interface QualificationScreen {
  asOf: string;
  members: QualificationEntry[];
}

/** POST /api/v1/certificates: the certificate issued on an application. */
export interface CertificateIssued {
  validUntil: string;
  feeYen?: number;
}

/** A PDF answer (certificate, notice, qualification): the bytes and the server's file name. */
export interface PdfFile {
  blob: Blob;
  filename: string | null;
}

/** The body of POST /api/v1/verifications: a signed card, or the numbers on a document. */
export type VerificationRequest =
  | {
      method: 'card';
      asOf: string;
      card: { certificate: string; signature: string; challenge: string };
      identityCheck: 'face' | 'pin' | 'visual';
      consent: { medication: boolean; healthCheckups: boolean; limitInfo: boolean };
    }
  | {
      method: 'number';
      asOf: string;
      document: 'certificate' | 'legacy_card' | 'notice';
      insurerNumber: string;
      symbol: string;
      number: string;
      branch?: string;
      birthDate: string;
    };

/** The body of POST /api/v1/cards/{cardId}:sign: the reader's challenge, with the PIN when typed. */
export interface CardSignRequest {
  challenge: string;
  pin?: string;
}

/** The body of POST /api/v1/me/card:sign: the portal's card read with its PIN. */
export interface PortalSignRequest {
  cardId: string;
  challenge: string;
  pin: string;
}

/** The body of POST /api/v1/me/session: the signed challenge. */
export interface PortalSessionRequest {
  certificate: string;
  challenge: string;
  signature: string;
}

/** The body of POST /api/v1/certificates:issue-ex-officio. */
export interface ExOfficioRequest {
  insurerNumber: string;
  asOf: string;
  dryRun?: true;
}

/** The body of POST /api/v1/certificates: a member's application for a certificate. */
export interface CertificateRequest {
  memberId: string;
  reason: string;
}

/** The body of POST /api/v1/applications: a request to reissue the qualification notice. */
export interface NoticeReissueRequest {
  kind: 'notice_reissue';
  memberId: string;
  portalUsable: boolean;
}

/** The body of POST /api/v1/notifications: one of the four notifications, as the employer form builds it. */
export type NotificationRequest = Record<string, unknown>;
