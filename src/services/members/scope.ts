/**
 * Reads are scoped: an admin sees their association, an employer its own 記号; anything else is
 * MEMBER_NOT_FOUND, so existence is never revealed across associations.
 */
import type { Kysely, Selectable } from 'kysely';
import { ShikakuError } from '../../domain/codes.js';
import type { Database, MembersTable } from '../../store/schema.js';
import { type Actor, requireRole } from '../actor.js';

/**
 * The member row if the actor may see it: admin of its association, employer of its 記号.
 * Otherwise MEMBER_NOT_FOUND, exactly as for an unknown id.
 */
export async function loadMemberInScope(
  db: Kysely<Database>,
  actor: Actor,
  memberId: string,
  roles: Array<'admin' | 'employer'> = ['admin', 'employer'],
): Promise<Selectable<MembersTable>> {
  requireRole(actor, ...roles);
  const row = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirst();
  if (!row || !inScope(actor, row)) throw new ShikakuError('MEMBER_NOT_FOUND');
  return row;
}

function inScope(actor: Actor, row: { insurer_number: string; symbol: string }): boolean {
  if (actor.insurerNumber === null || actor.insurerNumber !== row.insurer_number) return false;
  return actor.role !== 'employer' || actor.employerSymbol === row.symbol;
}
