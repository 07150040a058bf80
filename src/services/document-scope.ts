/**
 * Who may act on a member's documents and applications (DESIGN.md §1, §5.2, §5.4): the admin of the
 * member's association, an employer for its own 記号, and the member — themselves and, for the insured,
 * their dependents. Anything else is answered as if the member did not exist (404), so existence is
 * never revealed across associations, employers or households.
 */
import type { Kysely } from 'kysely';
import { type ErrorCode, ShikakuError } from '../domain/codes.js';
import type { Database } from '../store/schema.js';
import { type Actor, type Role, requireRole } from './actor.js';
import type { MemberRow } from './issuance-facts.js';

export type DocumentRole = Extract<Role, 'admin' | 'employer' | 'member'>;

/** Whether `actor` may see `row` (roles are checked by the caller). */
export function memberVisibleTo(
  actor: Actor,
  row: Pick<MemberRow, 'id' | 'insurer_number' | 'symbol' | 'insured_member_id'>,
): boolean {
  switch (actor.role) {
    case 'admin':
      return actor.insurerNumber !== null && actor.insurerNumber === row.insurer_number;
    case 'employer':
      return (
        actor.insurerNumber !== null &&
        actor.insurerNumber === row.insurer_number &&
        actor.employerSymbol === row.symbol
      );
    case 'member':
      return actor.memberId !== null && (row.id === actor.memberId || row.insured_member_id === actor.memberId);
    default:
      return false;
  }
}

/**
 * The member row if `actor` (one of `roles`) may act on it, else MEMBER_NOT_FOUND. Locks the row on
 * PostgreSQL when `forUpdate` (applications and certificates of one member are decided one at a time).
 */
export async function loadMemberFor(
  db: Kysely<Database>,
  actor: Actor,
  memberId: string,
  roles: readonly DocumentRole[],
  options: { forUpdate?: boolean; dialect?: 'sqlite' | 'postgres' } = {},
): Promise<MemberRow> {
  requireRole(actor, ...roles);
  let query = db.selectFrom('members').selectAll().where('id', '=', memberId);
  if (options.forUpdate && options.dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row || !memberVisibleTo(actor, row)) throw new ShikakuError('MEMBER_NOT_FOUND');
  return row;
}

/**
 * A member's document (a certificate, a notice) and its member if `actor` (one of `roles`) may see the
 * member, else `notFound`: a document out of scope is answered as absent, like the member.
 */
export async function loadDocumentFor<T extends { member_id: string }>(
  db: Kysely<Database>,
  actor: Actor,
  roles: readonly DocumentRole[],
  notFound: ErrorCode,
  load: () => Promise<T | undefined>,
): Promise<{ row: T; member: MemberRow }> {
  if (!roles.includes(actor.role as DocumentRole)) throw new ShikakuError('FORBIDDEN', { role: actor.role });
  const row = await load();
  const member = row
    ? await db.selectFrom('members').selectAll().where('id', '=', row.member_id).executeTakeFirst()
    : undefined;
  if (!row || !member || !memberVisibleTo(actor, member)) throw new ShikakuError(notFound);
  return { row, member };
}

/**
 * Serialises everything that issues 資格確認書 for one association (ex-officio batches, applications,
 * collections with a replacement): a row lock on the association on PostgreSQL. On SQLite the single
 * writer already serialises transactions.
 */
export async function lockInsurer(trx: Kysely<Database>, dialect: 'sqlite' | 'postgres', insurerNumber: string) {
  let query = trx.selectFrom('insurers').selectAll().where('insurer_number', '=', insurerNumber);
  if (dialect === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber });
  return row;
}
