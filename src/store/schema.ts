/**
 * The store schema, identical on SQLite and PostgreSQL: dates are `YYYY-MM-DD` text, timestamps ISO
 * text, JSON documents text, booleans 0/1 integers. That keeps one repository code for both stores.
 * Columns added to existing tables by 0008 are optional here: rows written without them get NULL or
 * the column default, which is the behaviour before they existed.
 */
export interface Database {
  insurers: InsurersTable;
  members: MembersTable;
  member_versions: MemberVersionsTable;
  notifications: NotificationsTable;
  residents: ResidentsTable;
  legacy_cards: LegacyCardsTable;
  ca: CaTable;
  cards: CardsTable;
  card_certificates: CardCertificatesTable;
  card_registrations: CardRegistrationsTable;
  challenges: ChallengesTable;
  tokens: TokensTable;
  verifications: VerificationsTable;
  verification_misses: VerificationMissesTable;
  verification_locks: VerificationLocksTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_chains: AuditChainsTable;
  issuance_runs: IssuanceRunsTable;
  issuance_run_members: IssuanceRunMembersTable;
  eligibility_certificates: EligibilityCertificatesTable;
  notices: NoticesTable;
  notice_dedupe_keys: NoticeDedupeKeysTable;
  paper_certificates: PaperCertificatesTable;
  applications: ApplicationsTable;
  oqs_bulk_requests: OqsBulkRequestsTable;
  oqs_bulk_results: OqsBulkResultsTable;
  notification_jobs: NotificationJobsTable;
  notification_job_rows: NotificationJobRowsTable;
}

export interface InsurersTable {
  insurer_number: string;
  name: string;
  /** JSON: `{ "validYears": 5 }` or `{ "validUntil": "2029-11-30" }`. */
  certificate_policy: string;
  reissue_fee_yen: number;
  new_member_certificate: 'on_application' | 'ex_officio';
  /** JSON TransitionPolicyPeriod[] (domain/transition-policy.ts); null: DEFAULT_TRANSITION_POLICY. */
  transition_policy?: string | null;
  /** CategoryPrintPolicy (domain/paper-certificates.ts); default 'separate_documents'. */
  category_print_policy?: 'separate_documents' | 'printed_on_certificate';
  created_at: string;
}

/** The member as the registry knows it now: the latest version, materialised for lookups. */
export interface MembersTable {
  id: string;
  insurer_number: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  insured_member_id: string | null;
  name: string;
  name_kana: string;
  birth_date: string;
  sex: 'male' | 'female';
  address: string | null;
  /** AES-256-GCM ciphertext; never the plain number. */
  my_number_enc: string | null;
  /** HMAC blind index: finds a person across associations without decrypting. */
  my_number_index: string | null;
  my_number_last4: string | null;
  acquired_on: string;
  lost_on: string | null;
  standard_monthly_remuneration: number | null;
  version: number;
  recorded_on: string;
  hub_available_on: string;
  hub_status: HubStatus;
  /** JSON array of the resident-record fields that differ. */
  hub_mismatch_fields: string;
  created_at: string;
  /**
   * 基準収入額適用 approved on (0015): written only by its approval, left alone by the notification
   * writers, so each later version's facts keep it. Optional: rows are inserted without it.
   */
  standard_income_approved_on?: string | null;
}

export type HubStatus = 'registered' | 'mismatch' | 'no_my_number';

/**
 * Every version of a member's facts, append-only (transaction time = recorded_on / hub_available_on;
 * valid time = acquiredOn / lostOn inside the facts). "What did the hub answer on day D" reads the
 * latest version with hub_available_on <= D.
 */
export interface MemberVersionsTable {
  member_id: string;
  /** The member's association, the distribution key (0013, src/store/citus.ts). */
  insurer_number: string;
  version: number;
  notification_id: string | null;
  recorded_on: string;
  hub_available_on: string;
  hub_status: HubStatus;
  hub_mismatch_fields: string;
  /** JSON MemberFacts (no My Number, only whether one is held and its blind index). */
  facts: string;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  insurer_number: string;
  kind: 'acquisition' | 'dependent_add' | 'loss' | 'dependent_remove' | 'change';
  /** Makes batch re-runs idempotent: the same key is answered from the first run. */
  idempotency_key: string | null;
  member_id: string;
  recorded_on: string;
  source: 'api' | 'batch' | 'csv';
  /** JSON of the notification with any My Number masked. */
  payload: string;
  /** 1 when the notification carried the "資格確認書の交付希望" box (seed 002); default 0. */
  certificate_requested?: number;
  created_at: string;
}

export interface ResidentsTable {
  my_number_index: string;
  my_number_enc: string;
  name: string;
  name_kana: string;
  birth_date: string;
  sex: 'male' | 'female';
  address: string;
  updated_at: string;
}

export interface LegacyCardsTable {
  id: string;
  member_id: string;
  /** The member's association, the distribution key (0013, src/store/citus.ts). */
  insurer_number: string;
  issued_on: string;
  /** The card's life (domain/legacy-card.ts): printed 有効期限, 滅失・き損届, 回収, 自己廃棄. */
  expires_on?: string | null;
  reported_lost_on?: string | null;
  returned_on?: string | null;
  disposed_on?: string | null;
  created_at: string;
}

export interface CaTable {
  id: string;
  certificate_pem: string;
  /** Encrypted PKCS#8 private key of the local CA that stands in for J-LIS. */
  private_key_enc: string;
  created_at: string;
}

export interface CardsTable {
  id: string;
  my_number_index: string;
  kind: 'card' | 'smartphone';
  issued_on: string;
  expires_on: string;
  status: 'active' | 'returned' | 'invalidated';
  ended_on: string | null;
  pin_hash: string;
  pin_failures: number;
  pin_locked: number;
  /** Encrypted PKCS#8 private key: it never leaves the card simulator. */
  private_key_enc: string;
  created_at: string;
}

export interface CardCertificatesTable {
  serial: string;
  card_id: string;
  certificate_pem: string;
  /** SHA-256 of the DER certificate, hex: how a presented certificate is found. */
  fingerprint: string;
  /** The certificate's public key as JWK (JSON), written at issuance; null on rows from before 0005. */
  public_key_jwk: string | null;
  issued_on: string;
  expires_on: string;
  revoked_on: string | null;
  created_at: string;
}

/** 健康保険証利用登録 and its cancellation, as events on the person (they survive a card reissue). */
export interface CardRegistrationsTable {
  id: string;
  my_number_index: string;
  card_id: string;
  kind: 'registered' | 'cancelled';
  channel: 'reader' | 'portal' | 'atm' | null;
  recorded_on: string;
  created_at: string;
}

export interface ChallengesTable {
  challenge: string;
  provider_code: string | null;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface TokensTable {
  id: string;
  token_hash: string;
  role: 'operator' | 'admin' | 'employer' | 'provider' | 'member';
  insurer_number: string | null;
  employer_symbol: string | null;
  provider_code: string | null;
  member_id: string | null;
  label: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface VerificationsTable {
  id: string;
  provider_code: string;
  method: 'card' | 'number';
  as_of: string;
  outcome: string;
  /** JSON array of reason codes. */
  reasons: string;
  member_id: string | null;
  insurer_number: string | null;
  /** CardReader (domain/readers.ts) of a card verification; null when not told. */
  reader?: 'faceReader' | 'genericReader' | null;
  created_at: string;
}

/** A provider's misses on one person (保険者番号・記号・番号) in the current window (issue #19 §5). */
export interface VerificationMissesTable {
  provider_code: string;
  insurer_number: string;
  symbol: string;
  number: string;
  misses: number;
  /** ISO instant the window of `misses` began. */
  window_start: string;
  /** ISO instant: queries for the person from the provider are refused until then. */
  locked_until: string | null;
}

/** A lock engaged by repeated misses: the alert the association sees. */
export interface VerificationLocksTable {
  id: string;
  provider_code: string;
  insurer_number: string;
  symbol: string;
  number: string;
  misses: number;
  locked_at: string;
  locked_until: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  insurer_number: string | null;
  member_id: string | null;
  /** JSON; never a My Number or a name. */
  detail: string;
  /** The chain (src/services/audit.ts): `insurer:…`, `provider:…` or `actor:…`; null before 0007. */
  chain: string | null;
  /** seq of the previous record of the chain (0 for its first); null before 0007. */
  prev_seq: number | null;
  prev_hash: string;
  hash: string;
}

/**
 * A view since 0007 (read-only): the last record of the log, as id 1, for the health check and the
 * `shikaku_audit_records` gauge. No writer touches it.
 */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** The head of each audit chain: the seq and hash of its last record, row-locked by its writers. */
export interface AuditChainsTable {
  chain: string;
  seq: number;
  hash: string;
}

/** One ex-officio (職権交付) run of an association on a date (issue #3). */
export interface IssuanceRunsTable {
  id: string;
  insurer_number: string;
  as_of: string;
  /** `running` until every batch committed; a run found `running` is resumed, not restarted. */
  state: 'running' | 'finished';
  /** The last member id (in id order) whose batch committed: a resumed run goes on after it. */
  last_member_id: string | null;
  /** Members of the association when the run started (for progress). */
  total: number;
  started_at: string;
  finished_at: string | null;
}

/** What a run decided for each member, written with the member's certificate in the same batch. */
export interface IssuanceRunMembersTable {
  run_id: string;
  member_id: string;
  /** The run's association, the distribution key (0013, src/store/citus.ts). */
  insurer_number: string;
  outcome: 'issued' | 'skipped';
  /** ExOfficioReason when issued, SkipReason when skipped (src/domain/issuance.ts). */
  reason: string;
  certificate_id: string | null;
}

export type CertificateKind = 'ex_officio' | 'on_application' | 'reissue';
export type CollectionReason =
  | 'loss'
  | 'dependent_remove'
  | 'name_change'
  | 'number_change'
  | 'superseded'
  | 'returned';

/** 資格確認書 (RULES.md §1, §2). Dates are valid time; collection_recorded_on is when it became known. */
export interface EligibilityCertificatesTable {
  id: string;
  member_id: string;
  insurer_number: string;
  issued_on: string;
  /** Last day of validity (inclusive). */
  valid_until: string;
  /** ExOfficioReason, CertificateApplicationReason, or `name_change` for a replacement. */
  reason: string;
  kind: CertificateKind;
  /** Reissue fee charged (yen, never refunded); 0 otherwise. */
  fee_yen: number;
  /** The certificate this one replaces (reissue, replacement after a name change). */
  supersedes_id: string | null;
  /** From this day it is no longer a proof (回収). */
  collected_on: string | null;
  collection_reason: CollectionReason | null;
  /** The day the collection was recorded (a retroactive loss is recorded after its lostOn). */
  collection_recorded_on: string | null;
  reported_lost_on: string | null;
  /** The ex-officio run that issued it; UNIQUE (run_id, member_id). */
  run_id: string | null;
  application_id: string | null;
  created_at: string;
}

/** 資格情報のお知らせ (RULES.md §3). */
export interface NoticesTable {
  id: string;
  member_id: string;
  insurer_number: string;
  issued_on: string;
  /** `change`: the run issued it because what the last one printed changed (domain/notice.ts noticeDue). */
  reason: 'acquisition' | 'initial' | 'reissue' | 'change';
  /** JSON NoticeContents (src/domain/notice.ts): of the My Number only its last 4 digits. */
  contents: string;
  application_id: string | null;
  created_at: string;
}

/** The `noticeDue` dedupe key (domain/notice.ts) of each お知らせ a run issued: one notice per key. */
export interface NoticeDedupeKeysTable {
  dedupe_key: string;
  notice_id: string;
  /** The notice's association, the distribution key (0013, src/store/citus.ts). */
  insurer_number: string;
  created_at: string;
}

/** 高齢受給者証, 限度額適用(・標準負担額減額)認定証, 特定疾病療養受療証 (domain/paper-certificates.ts). */
export interface PaperCertificatesTable {
  id: string;
  member_id: string;
  insurer_number: string;
  kind: 'elderly_recipient' | 'limit_certification' | 'reduced_limit_certification' | 'specific_disease';
  issued_on: string;
  valid_from: string;
  valid_until: string;
  /** JSON PaperCertificate (domain/paper-certificates.ts). */
  contents: string;
  application_id: string | null;
  collected_on: string | null;
  created_at: string;
}

export type ApplicationKindColumn =
  | 'certificate'
  | 'limit_certification'
  | 'reduced_limit_certification'
  | 'specific_disease'
  | 'registration_cancellation'
  | 'notice_reissue'
  | 'standard_income'
  | 'elderly_recipient_certificate';

/** Applications to the association (DESIGN.md §5.2): received → approved | refused. */
export interface ApplicationsTable {
  id: string;
  member_id: string;
  insurer_number: string;
  kind: ApplicationKindColumn;
  /** The 資格確認書 application reason, or the disease of a 特定疾病 application. */
  reason: string | null;
  state: 'received' | 'approved' | 'refused';
  received_on: string;
  /** JSON: the request and, once decided, what the decision gave (certificate id, category, validity). */
  payload: string;
  decided_on: string | null;
  /** The stable code of a refusal (CERTIFICATE_NOT_NEEDED …, or the association's own). */
  refusal_code: string | null;
  created_at: string;
}

/** A provider's OQS 一括照会, queued and answered in the background (issue #15, 0006-oqs-bulk). */
export interface OqsBulkRequestsTable {
  /** ReceptionNumber: 20 digits, the JST reception time and 6 random digits. */
  reception_number: string;
  provider_code: string;
  /** The provider's token that posted it: the answers are audited in its name. */
  token_id: string;
  /** QualificationConfirmationDate of the batch. */
  as_of: string;
  arbitrary_file_identifier: string | null;
  /** CharacterCodeIdentifier asked for (0 UTF-8, 1 Shift_JIS). */
  character_code: string;
  /** The QualificationConfirmSearchInfo items, JSON (the request's elements as given). */
  items: string;
  total: number;
  /** Items answered so far (their rows are in oqs_bulk_results). */
  done: number;
  state: 'queued' | 'running' | 'done';
  /** The worker holding the lease, and when it last renewed it. */
  claimed_by: string | null;
  claimed_at: string | null;
  received_at: string;
  finished_at: string | null;
}

/** One answered item of a bulk request: the BulkConfirmUnit, JSON. */
export interface OqsBulkResultsTable {
  reception_number: string;
  item: number;
  unit: string;
}

/** A large notification batch run in the background (issue #19 §1), polled by its id. */
export interface NotificationJobsTable {
  id: string;
  /** The association of the actor who posted it (null for an operator-less system actor). */
  insurer_number: string | null;
  /** JSON of the Actor who posted it: the rows run as them, and only they (same scope) may poll. */
  actor: string;
  status: 'queued' | 'running' | 'done';
  total: number;
  /** Rows whose outcome is committed. */
  processed: number;
  accepted: number;
  rejected: number;
  /** ISO timestamp: the process running the job holds it until then (renewed per chunk). */
  lease_until: string | null;
  created_at: string;
  finished_at: string | null;
  /** What was posted: a JSON batch, or a CSV upload (its rows are CSV rows, `line` the file's line). */
  source?: 'batch' | 'csv';
  /** A CSV job's header (JSON CsvHeader: fields and labels), for the columns of its row errors. */
  csv_header?: string | null;
}

/** One row of a job: its input (encrypted, erased once done) and its outcome (JSON RowOutcome). */
export interface NotificationJobRowsTable {
  job_id: string;
  /** Lines count from 1, as in the synchronous report. */
  line: number;
  input_enc: string | null;
  outcome: string | null;
}
