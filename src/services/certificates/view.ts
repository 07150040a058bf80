/**
 * A 資格確認書 as the association sees it: its state on a day (RULES.md §1), who may read it, and
 * whether it is still held (the condition of a reissue, a loss report).
 */
import type { Kysely } from 'kysely';
import type { CertificateView } from '../../contract/certificates.js';
import { ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import { eligibilityCertificateProof } from '../../domain/proofs.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { type ServiceContext, today } from '../context.js';
import { type DocumentRole, loadDocumentFor } from '../document-scope.js';
import type { CertificateRow, MemberRow } from '../issuance-facts.js';

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

/** The held certificate a reissue replaces on `on`: issued by then, not collected, within validity. */
export function reissuable(cert: CertificateRow, on: IsoDate): boolean {
  return cert.issued_on <= on && (cert.collected_on === null || cert.collected_on > on) && cert.valid_until >= on;
}

/** A certificate row if `actor` (one of `roles`) may see its member, else CERTIFICATE_NOT_FOUND. */
export async function loadCertificateFor(
  db: Kysely<Database>,
  actor: Actor,
  certificateId: string,
  roles: readonly DocumentRole[],
): Promise<{ cert: CertificateRow; member: MemberRow }> {
  const { row: cert, member } = await loadDocumentFor(db, actor, roles, 'CERTIFICATE_NOT_FOUND', () =>
    db.selectFrom('eligibility_certificates').selectAll().where('id', '=', certificateId).executeTakeFirst(),
  );
  return { cert, member };
}

export function certificateState(en: string, ja: string, details: Record<string, unknown>): ShikakuError {
  return new ShikakuError('CONFLICT_CERTIFICATE_STATE', details, { ja, en });
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
