/**
 * 資格確認書 (eligibility certificates): issue on application, reissue with the association's fee,
 * collection (回収) and loss reports, and the collections that notifications call for (RULES.md §1,
 * §2; DESIGN.md §5.2). The ex-officio run is in issuance-run.ts. Every change is one transaction with
 * its audit record (`certificate.*`; codes, ids and dates only).
 *
 * Policies where the rules are silent:
 * - a certificate is issued on the application's `recordedOn`, valid per the association's policy
 *   from that day (`certificateValidUntil`);
 * - a refused application is still recorded (state `refused`, its code) and answered with the code and
 *   the application id, so every refusal can be explained later;
 * - a reissue supersedes the old certificate: one not reported lost is marked collected on the reissue
 *   day (reason `superseded`: a damaged one is handed back, き損), one reported lost stays so;
 * - a name change collects the certificate held and issues a replacement (kind `reissue`, no fee, the
 *   policy's validity from the change's recordedOn); a loss or a dependent removal collects it from
 *   `lostOn`. `collection_recorded_on` keeps when the collection became known, so a verification on an
 *   earlier day answers as the hub would have then (DESIGN.md §3.1).
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type {
  CertificateApplicationInput,
  collectSchema,
  reissueSchema,
  reportLostSchema,
} from '../contract/certificates.js';
import type { CertificateApplicationDecision, CertificateRefusalWhy } from '../domain/applications.js';
import { CERTIFICATE_APPLICATION_REASONS, decideCertificateApplication } from '../domain/applications.js';
import { ShikakuError } from '../domain/codes.js';
import { type CollectionEvent, collectionFor, needsCollection } from '../domain/collection.js';
import type { IsoDate } from '../domain/dates.js';
import { assertCertificateDate } from '../domain/issuance.js';
import { certificateValidUntil, eligibilityCertificateProof } from '../domain/proofs.js';
import { fastInsertMany, insertStatement } from '../store/fast.js';
import type { CertificateKind, CollectionReason, Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { type AuditEntry, appendAudit, appendAuditBatch } from './audit.js';
import { newId, nowIso, type ServiceContext, today } from './context.js';
import { type DocumentRole, loadMemberFor, lockInsurer, memberVisibleTo } from './document-scope.js';
import {
  type CertificateRow,
  gatherMemberFacts,
  type IssuancePolicy,
  type MemberRow,
  policyOfRow,
} from './issuance-facts.js';

// --- views ------------------------------------------------------------------------------------------

export type CertificateStatus = 'usable' | 'not_yet_issued' | 'reported_lost' | 'collected' | 'expired';

/** A 資格確認書 as the association sees it (no personal data beyond the member id). */
export interface CertificateView {
  certificateId: string;
  memberId: string;
  insurerNumber: string;
  issuedOn: IsoDate;
  validUntil: IsoDate;
  reason: string;
  kind: CertificateKind;
  feeYen: number;
  supersedesId: string | null;
  collectedOn: IsoDate | null;
  collectionReason: CollectionReason | null;
  reportedLostOn: IsoDate | null;
  runId: string | null;
  applicationId: string | null;
  /** Its state on `asOf` (RULES.md §1, `eligibilityCertificateProof`). */
  status: CertificateStatus;
  asOf: IsoDate;
}

const STATUS_OF = {
  CERTIFICATE_NOT_ISSUED: 'not_yet_issued',
  CERTIFICATE_REPORTED_LOST: 'reported_lost',
  CERTIFICATE_COLLECTED: 'collected',
  CERTIFICATE_EXPIRED: 'expired',
} as const;

export function certificateView(row: CertificateRow, asOf: IsoDate): CertificateView {
  const proof = eligibilityCertificateProof(
    {
      issuedOn: row.issued_on,
      validUntil: row.valid_until,
      collectedOn: row.collected_on,
      reportedLostOn: row.reported_lost_on,
    },
    asOf,
  );
  return {
    certificateId: row.id,
    memberId: row.member_id,
    insurerNumber: row.insurer_number,
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    reason: row.reason,
    kind: row.kind,
    feeYen: Number(row.fee_yen),
    supersedesId: row.supersedes_id,
    collectedOn: row.collected_on,
    collectionReason: row.collection_reason,
    reportedLostOn: row.reported_lost_on,
    runId: row.run_id,
    applicationId: row.application_id,
    status: proof.usable ? 'usable' : STATUS_OF[proof.reason],
    asOf,
  };
}

// --- writing -----------------------------------------------------------------------------------------

export interface NewCertificate {
  member: Pick<MemberRow, 'id' | 'insurer_number'>;
  issuedOn: IsoDate;
  validUntil: IsoDate;
  reason: string;
  kind: CertificateKind;
  feeYen?: number;
  supersedesId?: string | null;
  runId?: string | null;
  applicationId?: string | null;
}

/** The certificates row of a new 資格確認書 (created `at`). */
const INSERT_CERTIFICATE = insertStatement<CertificateRow>('eligibility_certificates', [
  'id',
  'member_id',
  'insurer_number',
  'issued_on',
  'valid_until',
  'reason',
  'kind',
  'fee_yen',
  'supersedes_id',
  'collected_on',
  'collection_reason',
  'collection_recorded_on',
  'reported_lost_on',
  'run_id',
  'application_id',
  'created_at',
]);

function certificateRow(c: NewCertificate, at: string): CertificateRow {
  return {
    id: newId(),
    member_id: c.member.id,
    insurer_number: c.member.insurer_number,
    issued_on: c.issuedOn,
    valid_until: c.validUntil,
    reason: c.reason,
    kind: c.kind,
    fee_yen: c.feeYen ?? 0,
    supersedes_id: c.supersedesId ?? null,
    collected_on: null,
    collection_reason: null,
    collection_recorded_on: null,
    reported_lost_on: null,
    run_id: c.runId ?? null,
    application_id: c.applicationId ?? null,
    created_at: at,
  };
}

/** Its audit record (`certificate.issue`). */
function certificateIssueAudit(row: CertificateRow): AuditEntry {
  return {
    action: 'certificate.issue',
    insurerNumber: row.insurer_number,
    memberId: row.member_id,
    detail: {
      certificateId: row.id,
      kind: row.kind,
      reason: row.reason,
      issuedOn: row.issued_on,
      validUntil: row.valid_until,
      feeYen: row.fee_yen,
      ...(row.supersedes_id ? { supersedesId: row.supersedes_id } : {}),
      ...(row.run_id ? { runId: row.run_id } : {}),
      ...(row.application_id ? { applicationId: row.application_id } : {}),
    },
  };
}

/** Inserts a 資格確認書 and its audit record (`certificate.issue`) in the caller's transaction. */
export async function insertCertificate(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  c: NewCertificate,
): Promise<CertificateRow> {
  const at = nowIso(ctx);
  const row = certificateRow(c, at);
  await trx.insertInto('eligibility_certificates').values(row).execute();
  await appendAudit(trx, ctx.store.dialect, actor, at, certificateIssueAudit(row));
  return row;
}

/**
 * The same for many certificates at once (the ex-officio run's batches, docs/PERFORMANCE.md): one
 * INSERT for the rows and one for their audit records, chained in the order given — the rows and
 * the chain are what as many insertCertificate calls would write.
 */
export async function insertCertificates(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  list: readonly NewCertificate[],
): Promise<CertificateRow[]> {
  if (list.length === 0) return [];
  const at = nowIso(ctx);
  const rows = list.map((c) => certificateRow(c, at));
  await fastInsertMany(trx, INSERT_CERTIFICATE, rows);
  await appendAuditBatch(
    trx,
    ctx.store.dialect,
    rows.map((row) => ({ actor, at, entry: certificateIssueAudit(row) })),
  );
  return rows;
}

/**
 * Marks a certificate collected from `on` (known on `recordedOn`), with its audit record
 * (`certificate.collect`). The caller has checked `needsCollection`.
 */
async function markCollected(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  cert: CertificateRow,
  reason: CollectionReason,
  on: IsoDate,
  recordedOn: IsoDate,
): Promise<CertificateRow> {
  await trx
    .updateTable('eligibility_certificates')
    .set({ collected_on: on, collection_reason: reason, collection_recorded_on: recordedOn })
    .where('id', '=', cert.id)
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
    action: 'certificate.collect',
    insurerNumber: cert.insurer_number,
    memberId: cert.member_id,
    detail: { certificateId: cert.id, collectedOn: on, reason, recordedOn },
  });
  return { ...cert, collected_on: on, collection_reason: reason, collection_recorded_on: recordedOn };
}

// --- applications for a certificate ---------------------------------------------------------------

/** The answer to an accepted application or reissue. */
export interface CertificateIssued {
  applicationId: string;
  certificateId: string;
  memberId: string;
  reason: string;
  kind: CertificateKind;
  issuedOn: IsoDate;
  validUntil: IsoDate;
  /** 再交付手数料 charged (non-refundable), 0 unless a reissue. */
  feeYen: number;
  supersedesId: string | null;
}

const WHY: Readonly<Record<CertificateRefusalWhy, { ja: string; en: string }>> = {
  unknown_reason: {
    ja: `申請理由は ${CERTIFICATE_APPLICATION_REASONS.join('・')} のいずれかです`,
    en: `the reason must be one of ${CERTIFICATE_APPLICATION_REASONS.join(', ')}`,
  },
  not_eligible: { ja: '申請日に資格がありません', en: 'the member is not covered on recordedOn' },
  certificate_held: {
    ja: '有効な資格確認書を既に交付しています',
    en: 'the member already holds a usable eligibility certificate',
  },
  valid_legacy_card: {
    ja: '有効な健康保険証をお持ちのため、移行期間前は交付しません',
    en: 'the member holds a valid legacy card (before the transition window)',
  },
  usable_myna_card: {
    ja: 'マイナ保険証を利用できるため、「念のため」の交付はできません',
    en: 'the member can use a My Number insurance card: no certificate "just in case"',
  },
  reissue_required: {
    ja: '紛失届の出ている資格確認書は再交付（certificate_lost・手数料あり）で申請してください',
    en: 'the certificate held was reported lost: apply for a reissue (certificate_lost, fee applies)',
  },
  reason_not_applicable: {
    ja: '申請理由が加入者の状況に当てはまりません',
    en: "the reason given does not match the member's situation",
  },
};

type Refused = Extract<CertificateApplicationDecision, { accepted: false }>;

function refusalError(refused: Refused, applicationId: string): ShikakuError {
  return new ShikakuError(
    refused.code,
    {
      applicationId,
      why: refused.why,
      ...(refused.suggestedReason ? { suggestedReason: refused.suggestedReason } : {}),
    },
    WHY[refused.why],
  );
}

/** The held certificate a reissue replaces on `on`: issued by then, not collected, within validity. */
function reissuable(cert: CertificateRow, on: IsoDate): boolean {
  return cert.issued_on <= on && (cert.collected_on === null || cert.collected_on > on) && cert.valid_until >= on;
}

type ApplicationOutcome = { issued: CertificateIssued } | { refused: Refused; applicationId: string };

/**
 * Decides and records one application inside `trx` (insurer locked by the caller): the application
 * row, then either the certificate (superseding `target` on a reissue) or the refusal.
 */
async function decideAndRecord(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  member: MemberRow,
  policy: IssuancePolicy,
  reason: string,
  recordedOn: IsoDate,
  target: CertificateRow | null,
): Promise<ApplicationOutcome> {
  const { facts, certificates } = await gatherMemberFacts(trx, member, recordedOn);
  const decision = decideCertificateApplication(reason, { ...facts, reissueFeeYen: policy.reissueFeeYen }, recordedOn);
  const applicationId = newId();
  const at = nowIso(ctx);
  const base = {
    id: applicationId,
    member_id: member.id,
    insurer_number: member.insurer_number,
    kind: 'certificate' as const,
    reason,
    received_on: recordedOn,
    decided_on: recordedOn,
    created_at: at,
  };
  if (!decision.accepted) {
    await trx
      .insertInto('applications')
      .values({
        ...base,
        state: 'refused',
        refusal_code: decision.code,
        payload: JSON.stringify({ recordedOn, why: decision.why, suggestedReason: decision.suggestedReason ?? null }),
      })
      .execute();
    await appendAudit(trx, ctx.store.dialect, actor, at, {
      action: 'application.refuse',
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { applicationId, kind: 'certificate', reason, code: decision.code, why: decision.why },
    });
    return { refused: decision, applicationId };
  }

  let superseded: CertificateRow | null = null;
  if (decision.supersedes === 'previous_certificate') {
    // The newest certificate still held, unless the caller named one (POST …/{id}:reissue).
    superseded = target ?? [...certificates].reverse().find((c) => reissuable(c, recordedOn)) ?? null;
    if (superseded && superseded.reported_lost_on === null) {
      superseded = await markCollected(trx, ctx, actor, superseded, 'superseded', recordedOn, recordedOn);
    }
  }
  const validUntil = certificateValidUntil(policy.certificatePolicy, recordedOn);
  const kind: CertificateKind = superseded ? 'reissue' : 'on_application';
  await trx
    .insertInto('applications')
    .values({
      ...base,
      state: 'approved',
      refusal_code: null,
      payload: JSON.stringify({ recordedOn, feeYen: decision.fee, supersedesId: superseded?.id ?? null }),
    })
    .execute();
  const cert = await insertCertificate(trx, ctx, actor, {
    member,
    issuedOn: recordedOn,
    validUntil,
    reason,
    kind,
    feeYen: decision.fee,
    supersedesId: superseded?.id ?? null,
    applicationId,
  });
  await trx
    .updateTable('applications')
    .set({
      payload: JSON.stringify({
        recordedOn,
        feeYen: decision.fee,
        supersedesId: superseded?.id ?? null,
        certificateId: cert.id,
      }),
    })
    .where('id', '=', applicationId)
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: 'application.approve',
    insurerNumber: member.insurer_number,
    memberId: member.id,
    detail: { applicationId, kind: 'certificate', reason, certificateId: cert.id, feeYen: decision.fee },
  });
  return {
    issued: {
      applicationId,
      certificateId: cert.id,
      memberId: member.id,
      reason,
      kind,
      issuedOn: recordedOn,
      validUntil,
      feeYen: decision.fee,
      supersedesId: superseded?.id ?? null,
    },
  };
}

const APPLY_ROLES: readonly DocumentRole[] = ['admin', 'employer', 'member'];

/**
 * A 資格確認書 on application (DESIGN.md §5.2; CODES.md reasons): decided by
 * `decideCertificateApplication` on `recordedOn`. Refused with CERTIFICATE_NOT_NEEDED (a usable
 * マイナ保険証 or certificate already held), CERTIFICATE_REASON_INVALID (with `suggestedReason` when the
 * data tells one) or CONFLICT_MEMBER_STATE (not covered); the refusal is recorded all the same.
 * `certificate_lost` is a reissue of the certificate held, with the association's fee.
 */
export async function applyForCertificate(
  ctx: ServiceContext,
  actor: Actor,
  input: CertificateApplicationInput,
): Promise<CertificateIssued> {
  const recordedOn = input.recordedOn ?? today(ctx);
  const { db, dialect } = ctx.store;
  // Scope first: nothing about the member (not even a date check) is told to someone who may not see it.
  await loadMemberFor(db, actor, input.memberId, APPLY_ROLES);
  assertCertificateDate(recordedOn);
  const outcome = await db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, actor, input.memberId, APPLY_ROLES);
    const policy = policyOfRow(await lockInsurer(trx, dialect, member.insurer_number));
    return decideAndRecord(trx, ctx, actor, member, policy, input.reason, recordedOn, null);
  });
  if ('refused' in outcome) throw refusalError(outcome.refused, outcome.applicationId);
  return outcome.issued;
}

/** A certificate row if `actor` (one of `roles`) may see its member, else CERTIFICATE_NOT_FOUND. */
export async function loadCertificateFor(
  db: Kysely<Database>,
  actor: Actor,
  certificateId: string,
  roles: readonly DocumentRole[],
): Promise<{ cert: CertificateRow; member: MemberRow }> {
  if (!roles.includes(actor.role as DocumentRole)) throw new ShikakuError('FORBIDDEN', { role: actor.role });
  const cert = await db
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('id', '=', certificateId)
    .executeTakeFirst();
  const member = cert
    ? await db.selectFrom('members').selectAll().where('id', '=', cert.member_id).executeTakeFirst()
    : undefined;
  if (!cert || !member || !memberVisibleTo(actor, member)) throw new ShikakuError('CERTIFICATE_NOT_FOUND');
  return { cert, member };
}

function certificateState(en: string, ja: string, details: Record<string, unknown>): ShikakuError {
  return new ShikakuError('CONFLICT_CERTIFICATE_STATE', details, { ja, en });
}

/**
 * Reissue of this certificate after loss, theft or damage (滅失・き損; RULES.md §2): the association's
 * fee is recorded (never refunded) and the old certificate is superseded. The certificate must still
 * be held on `recordedOn` (issued, not collected, within validity): else CONFLICT_CERTIFICATE_STATE.
 */
export async function reissueCertificate(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: z.output<typeof reissueSchema>,
): Promise<CertificateIssued> {
  const recordedOn = input.recordedOn ?? today(ctx);
  const { db, dialect } = ctx.store;
  await loadCertificateFor(db, actor, certificateId, ['admin', 'member']);
  assertCertificateDate(recordedOn);
  const outcome = await db.transaction().execute(async (trx) => {
    const { cert, member } = await loadCertificateFor(trx, actor, certificateId, ['admin', 'member']);
    const policy = policyOfRow(await lockInsurer(trx, dialect, member.insurer_number));
    if (!reissuable(cert, recordedOn)) {
      throw certificateState(
        'only a certificate still held (issued, not collected, within its validity) can be reissued',
        '交付済みで回収されておらず有効期限内の資格確認書のみ再交付できます',
        { certificateId, recordedOn },
      );
    }
    return decideAndRecord(trx, ctx, actor, member, policy, 'certificate_lost', recordedOn, cert);
  });
  if ('refused' in outcome) throw refusalError(outcome.refused, outcome.applicationId);
  return outcome.issued;
}

// --- collection and loss reports ------------------------------------------------------------------

export interface CollectionResult {
  certificate: CertificateView;
  /** The replacement issued for a name or number change (RULES.md §2), else null. */
  replacement: CertificateView | null;
}

/**
 * Issues the replacement of a collected certificate (name or 記号・番号 change), unless the member no
 * longer holds anything a replacement would stand for: the collected one must have been usable.
 */
async function issueReplacement(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  collected: CertificateRow,
  reason: 'name_change' | 'number_change',
  on: IsoDate,
): Promise<CertificateRow> {
  const policy = policyOfRow(await lockInsurer(trx, ctx.store.dialect, collected.insurer_number));
  return insertCertificate(trx, ctx, actor, {
    member: { id: collected.member_id, insurer_number: collected.insurer_number },
    issuedOn: on,
    validUntil: certificateValidUntil(policy.certificatePolicy, on),
    reason,
    kind: 'reissue',
    supersedesId: collected.id,
  });
}

/**
 * Collects one certificate from `on` for `reason` (RULES.md §2, `collectionFor`), and issues the
 * replacement a name or 記号・番号 change calls for when `replace` and the certificate was usable.
 */
async function collectFor(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  cert: CertificateRow,
  reason: Exclude<CollectionReason, 'superseded'>,
  on: IsoDate,
  recordedOn: IsoDate,
  replace = true,
): Promise<{ collected: CertificateRow; replacement: CertificateRow | null }> {
  const usable = eligibilityCertificateProof(
    {
      issuedOn: cert.issued_on,
      validUntil: cert.valid_until,
      collectedOn: null,
      reportedLostOn: cert.reported_lost_on,
    },
    on,
  ).usable;
  const collected = await markCollected(trx, ctx, actor, cert, reason, on, recordedOn);
  if (reason !== 'name_change' && reason !== 'number_change') return { collected, replacement: null };
  const plan = collectionFor({ kind: reason, on });
  const replacement =
    replace && plan.replacement && usable ? await issueReplacement(trx, ctx, actor, collected, reason, on) : null;
  return { collected, replacement };
}

/** 回収 of one certificate by the association (role admin). CONFLICT_CERTIFICATE_STATE when already collected or expired. */
export async function collectCertificate(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: z.output<typeof collectSchema>,
): Promise<CollectionResult> {
  const on = input.collectedOn ?? today(ctx);
  // Known from today: a verification on an earlier day answers as the hub knew then.
  const recordedOn = today(ctx);
  const reason = input.reason ?? 'returned';
  await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin']);
  return ctx.store.db.transaction().execute(async (trx) => {
    const { cert } = await loadCertificateFor(trx, actor, certificateId, ['admin']);
    if (!needsCollection({ validUntil: cert.valid_until, collectedOn: cert.collected_on }, on)) {
      throw certificateState(
        'the certificate is already collected, or past its validity on collectedOn',
        '既に回収済み、または回収日に有効期限を過ぎています',
        { certificateId, collectedOn: on },
      );
    }
    const { collected, replacement } = await collectFor(trx, ctx, actor, cert, reason, on, recordedOn);
    return {
      certificate: certificateView(collected, on),
      replacement: replacement ? certificateView(replacement, on) : null,
    };
  });
}

/**
 * 紛失届 (roles admin, member): from `reportedOn` the certificate is no longer a proof
 * (CERTIFICATE_REPORTED_LOST at a reception). Only a certificate held that day can be reported.
 */
export async function reportCertificateLost(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: z.output<typeof reportLostSchema>,
): Promise<CertificateView> {
  const on = input.reportedOn ?? today(ctx);
  await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin', 'member']);
  return ctx.store.db.transaction().execute(async (trx) => {
    const { cert } = await loadCertificateFor(trx, actor, certificateId, ['admin', 'member']);
    if (cert.reported_lost_on !== null || !reissuable(cert, on)) {
      throw certificateState(
        'only a certificate still held (issued, not collected, within its validity, not yet reported) can be reported lost',
        '交付済みで回収されておらず有効期限内の資格確認書のみ紛失届を受け付けます',
        { certificateId, reportedOn: on },
      );
    }
    await trx.updateTable('eligibility_certificates').set({ reported_lost_on: on }).where('id', '=', cert.id).execute();
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'certificate.report-lost',
      insurerNumber: cert.insurer_number,
      memberId: cert.member_id,
      detail: { certificateId: cert.id, reportedOn: on },
    });
    return certificateView({ ...cert, reported_lost_on: on }, on);
  });
}

/** One certificate (roles admin, member), with its state on `asOf` (default today). */
export async function getCertificate(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  asOf?: IsoDate,
): Promise<CertificateView> {
  const { cert } = await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin', 'member']);
  return certificateView(cert, asOf ?? today(ctx));
}

/** The certificates of a member, oldest first, with their state on `asOf`. */
export async function listMemberCertificates(
  db: Kysely<Database>,
  memberId: string,
  asOf: IsoDate,
): Promise<CertificateView[]> {
  const rows = await db
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => certificateView(r, asOf));
}

// --- what notifications call for (the registry's hook) ----------------------------------------------

/**
 * Collects the certificates `event` calls for (RULES.md §2; `collectionFor`, `needsCollection`) from
 * the members in `memberIds`, inside the notification's transaction, and issues the replacement of a
 * name change. Answers the ids collected and issued.
 */
export async function collectOnNotification(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  event: { kind: CollectionEvent['kind']; memberIds: readonly string[]; on: IsoDate; recordedOn: IsoDate },
): Promise<{ collected: string[]; replacements: string[] }> {
  const out = { collected: [] as string[], replacements: [] as string[] };
  if (event.memberIds.length === 0) return out;
  const rows = await trx
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', 'in', [...event.memberIds])
    .where('collected_on', 'is', null)
    .orderBy('issued_on')
    .orderBy('created_at')
    .execute();
  const due = rows.filter((c) => needsCollection({ validUntil: c.valid_until, collectedOn: c.collected_on }, event.on));
  // One replacement per member: for the newest certificate collected (older ones were superseded).
  const newest = new Map<string, string>();
  for (const c of due) newest.set(c.member_id, c.id);
  for (const cert of due) {
    const replace = newest.get(cert.member_id) === cert.id;
    const { collected, replacement } = await collectFor(
      trx,
      ctx,
      actor,
      cert,
      event.kind,
      event.on,
      event.recordedOn,
      replace,
    );
    out.collected.push(collected.id);
    if (replacement) out.replacements.push(replacement.id);
  }
  return out;
}
