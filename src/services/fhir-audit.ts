/**
 * The audit log as FHIR AuditEvent searches read it (the resource itself: src/fhir/audit-event.ts).
 * Admins see their association's records, operators all.
 */
import { type Kysely, sql } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import type { Page, ResultParams } from '../fhir/bundle.js';
import { type DatePrefix, dateParam } from '../fhir/search.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import type { Actor } from './actor.js';

export interface AuditFilter {
  seqs?: number[] | undefined;
  memberIds?: string[] | undefined;
  /** Date parameters (prefix + YYYY[-MM[-DD[Thh:mm…]]]) on the record's instant, ANDed. */
  dates?: string[] | undefined;
  /** Audit actions (audit-action codes), ORed. */
  actions?: string[] | undefined;
  /** AuditEvent.action codes (R read, E execute), ORed. */
  kinds?: Array<'R' | 'E'> | undefined;
  /** The snapshot: only records up to this sequence number (stable paging). */
  upTo?: number | undefined;
}

const PREFIX_SQL: Record<DatePrefix, '=' | '<>' | '>' | '>=' | '<' | '<='> = {
  eq: '=',
  ne: '<>',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
};

/** The newest sequence number the actor may see: a search's snapshot. */
export async function auditHead(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * One page of the log as the actor may see it (newest first unless sorted by `_id`/`date`, both the
 * sequence order) and the number of matching records. Admin: records of its association; operator: all.
 */
export async function auditPage(
  db: Kysely<Database>,
  actor: Actor,
  filter: AuditFilter,
  page: Page,
  result?: ResultParams,
): Promise<{ rows: AuditLogTable[]; total: number }> {
  let query = db.selectFrom('audit_log');
  if (actor.role === 'admin') {
    if (!actor.insurerNumber) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
    query = query.where('insurer_number', '=', actor.insurerNumber);
  } else if (actor.role !== 'operator') {
    throw new ShikakuError('FORBIDDEN', { role: actor.role });
  }
  if (filter.seqs) query = query.where('seq', 'in', filter.seqs.length > 0 ? filter.seqs : [-1]);
  if (filter.upTo !== undefined) query = query.where('seq', '<=', filter.upTo);
  if (filter.memberIds) query = query.where('member_id', 'in', filter.memberIds.length > 0 ? filter.memberIds : ['']);
  if (filter.actions) query = query.where('action', 'in', filter.actions.length > 0 ? filter.actions : ['']);
  if (filter.kinds) {
    const kinds = new Set(filter.kinds);
    // The same rule as AuditEvent.action (audit-event.ts): reads and views are R, the rest E.
    const isRead = sql<boolean>`(action like ${'%.read'} or action like ${'%.view'})`;
    if (!kinds.has('R')) query = query.where(sql<boolean>`not ${isRead}`);
    if (!kinds.has('E')) query = query.where(isRead);
  }
  for (const d of filter.dates ?? []) {
    const parsed = dateParam(d);
    if (!parsed) continue;
    // Compared at the parameter's precision: the first N characters of the ISO instant (UTC).
    query = query.where(
      sql<string>`substr(at, 1, ${sql.lit(parsed.value.length)})`,
      PREFIX_SQL[parsed.prefix],
      parsed.value,
    );
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = result?.countOnly
    ? []
    : await query
        .selectAll()
        .orderBy('seq', result?.sort && !result.sort.descending ? 'asc' : 'desc')
        .limit(page.count)
        .offset(page.offset)
        .execute();
  return { rows: rows.map((r) => ({ ...r, seq: Number(r.seq) })), total: Number(total.n) };
}
