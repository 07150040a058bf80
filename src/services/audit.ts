import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { type Actor, actorLabel } from './actor.js';

export interface AuditEntry {
  readonly action: string;
  readonly insurerNumber?: string | null;
  readonly memberId?: string | null;
  /** Codes, ids and dates only: never a My Number or a name. */
  readonly detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so the record and the
 * change it describes commit together. The head row serialises writers (a row lock on PostgreSQL).
 */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: Dialect,
  actor: Actor,
  at: string,
  entry: AuditEntry,
): Promise<number> {
  let headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const row = {
    seq: Number(head.seq) + 1,
    at,
    actor: actorLabel(actor),
    action: entry.action,
    insurer_number: entry.insurerNumber ?? null,
    member_id: entry.memberId ?? null,
    detail: JSON.stringify(entry.detail ?? {}),
    prev_hash: head.hash,
  };
  const hash = auditHash(row);
  await trx
    .insertInto('audit_log')
    .values({ ...row, hash })
    .execute();
  await trx.updateTable('audit_head').set({ seq: row.seq, hash }).where('id', '=', 1).execute();
  return row.seq;
}

interface ChainedFields {
  seq: number;
  at: string;
  actor: string;
  action: string;
  insurer_number: string | null;
  member_id: string | null;
  detail: string;
  prev_hash: string;
}

export function auditHash(row: ChainedFields): string {
  const canonical = JSON.stringify([
    row.seq,
    row.at,
    row.actor,
    row.action,
    row.insurer_number,
    row.member_id,
    row.detail,
    row.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export type AuditVerification = { ok: true; records: number } | { ok: false; records: number; brokenAt: number; problem: string };

/** Recomputes the chain: detects a modified, deleted, inserted or reordered record. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<AuditVerification> {
  const rows = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const row of rows) {
    const seq = Number(row.seq);
    if (seq !== expectedSeq) return { ok: false, records: rows.length, brokenAt: seq, problem: 'sequence gap' };
    if (row.prev_hash !== prev) return { ok: false, records: rows.length, brokenAt: seq, problem: 'broken link' };
    if (auditHash({ ...row, seq }) !== row.hash) {
      return { ok: false, records: rows.length, brokenAt: seq, problem: 'record modified' };
    }
    prev = row.hash;
    expectedSeq += 1;
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head && (Number(head.seq) !== rows.length || head.hash !== prev)) {
    return { ok: false, records: rows.length, brokenAt: rows.length, problem: 'records removed from the end' };
  }
  return { ok: true, records: rows.length };
}
