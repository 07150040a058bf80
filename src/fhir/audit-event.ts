/**
 * A FHIR AuditEvent view of the hash-chained audit log (src/services/audit.ts): one event per record,
 * id = its sequence number, with its hash and the previous one, so a client can re-check the chain.
 * Admins see their association's records, operators all. Records hold ids and codes only, never a
 * name or a My Number, so the view discloses no personal data beyond member ids.
 */
import type { AuditEvent, AuditEventEntity } from '@medplum/fhirtypes';
import { type Kysely, sql } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import type { Actor } from '../services/actor.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import type { Page } from './bundle.js';
import { SHIKAKU_BASE, SID } from './systems.js';

export const AUDIT_ACTION_SYSTEM = `${SHIKAKU_BASE}/CodeSystem/audit-action`;
const TOKEN_SYSTEM = `${SHIKAKU_BASE}/sid/token`;
const AUDIT_SYSTEM = `${SHIKAKU_BASE}/sid/audit`;

/** Reads are R; everything else the log records (verifications, notifications, issuances…) is E. */
function actionOf(action: string): AuditEvent['action'] {
  return action.endsWith('.read') || action.endsWith('.view') ? 'R' : 'E';
}

export function toAuditEvent(row: AuditLogTable): AuditEvent {
  const seq = String(row.seq);
  const colon = row.actor.indexOf(':');
  const role = colon < 0 ? row.actor : row.actor.slice(0, colon);
  const tokenId = colon < 0 ? '' : row.actor.slice(colon + 1);
  const entity: AuditEventEntity[] = [];
  if (row.member_id) {
    entity.push({
      what: { identifier: { system: SID.member, value: row.member_id } },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
    });
  }
  if (row.insurer_number) entity.push({ what: { reference: `Organization/${row.insurer_number}` } });
  entity.push({
    what: { identifier: { system: AUDIT_SYSTEM, value: seq } },
    detail: [
      { type: 'detail', valueString: row.detail },
      { type: 'hash', valueString: row.hash },
      { type: 'prevHash', valueString: row.prev_hash },
    ],
  });
  return {
    resourceType: 'AuditEvent',
    id: seq,
    type: { system: AUDIT_ACTION_SYSTEM, code: row.action },
    action: actionOf(row.action),
    recorded: row.at,
    outcome: '0',
    agent: [
      {
        role: [{ text: role }],
        who: { ...(tokenId ? { identifier: { system: TOKEN_SYSTEM, value: tokenId } } : {}), display: row.actor },
        requestor: true,
      },
    ],
    source: { observer: { display: 'Shikaku' } },
    entity,
  };
}

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
