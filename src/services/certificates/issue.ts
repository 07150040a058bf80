/**
 * Writing a new 資格確認書: its row and its audit record (`certificate.issue`), one at a time or in
 * the ex-officio run's batches.
 */
import type { Kysely } from 'kysely';
import type { IsoDate } from '../../domain/dates.js';
import { fastInsertMany, insertStatement } from '../../store/fast.js';
import type { CertificateKind, Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { type AuditEntry, appendAudit, appendAuditBatch } from '../audit.js';
import { newId, nowIso, type ServiceContext } from '../context.js';
import type { CertificateRow, MemberRow } from '../issuance-facts.js';

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
