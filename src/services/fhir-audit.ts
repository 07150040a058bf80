/**
 * The audit log as FHIR AuditEvent searches read it (the resource itself: src/fhir/audit-event.ts).
 * Admins see their association's records, operators all.
 */
import { type Kysely, sql } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import type { Page } from '../fhir/bundle.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import type { Actor } from './actor.js';

export interface AuditFilter {
  seqs?: number[] | undefined;
  memberIds?: string[] | undefined;
  /** Date parameters (prefix + YYYY[-MM[-DD]]) on the record's instant, ANDed. */
  dates?: string[] | undefined;
}

const PREFIX_SQL = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' } as const;

/**
 * One page of the log as the actor may see it (newest first) and the number of matching records.
 * Admin: records of its association; operator: all.
 */
export async function auditPage(
  db: Kysely<Database>,
  actor: Actor,
  filter: AuditFilter,
  page: Page,
): Promise<{ rows: AuditLogTable[]; total: number }> {
  let query = db.selectFrom('audit_log');
  if (actor.role === 'admin') {
    if (!actor.insurerNumber) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
    query = query.where('insurer_number', '=', actor.insurerNumber);
  } else if (actor.role !== 'operator') {
    throw new ShikakuError('FORBIDDEN', { role: actor.role });
  }
  if (filter.seqs) query = query.where('seq', 'in', filter.seqs.length > 0 ? filter.seqs : [-1]);
  if (filter.memberIds) query = query.where('member_id', 'in', filter.memberIds.length > 0 ? filter.memberIds : ['']);
  for (const d of filter.dates ?? []) {
    const m = d.match(/^(eq|ne|gt|ge|lt|le)?(.+)$/u);
    if (!m?.[2]) continue;
    const op = PREFIX_SQL[(m[1] ?? 'eq') as keyof typeof PREFIX_SQL];
    const value = m[2];
    // Compared at the parameter's precision: the first N characters of the ISO instant.
    query = query.where(sql<string>`substr(at, 1, ${sql.lit(value.length)})`, op, value);
  }
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('seq', 'desc').limit(page.count).offset(page.offset).execute();
  return { rows: rows.map((r) => ({ ...r, seq: Number(r.seq) })), total: Number(total.n) };
}
