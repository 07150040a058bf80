import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/db.js';
import { fastAll, fastInsert, fastInsertMany, fastRun, insertStatement } from '../store/fast.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import { type Actor, actorLabel } from './actor.js';

export interface AuditEntry {
  readonly action: string;
  readonly insurerNumber?: string | null;
  readonly memberId?: string | null;
  /** Codes, ids and dates only: never a My Number or a name. */
  readonly detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

const AUDIT_HEAD = 'select seq, hash from audit_head where id = 1';
/** One audit_log row; its columns are also the multi-statement writer's (src/services/disclosure-log.ts). */
export const INSERT_AUDIT = insertStatement<AuditLogTable>('audit_log', [
  'seq',
  'at',
  'actor',
  'action',
  'insurer_number',
  'member_id',
  'detail',
  'prev_hash',
  'hash',
]);
const MOVE_HEAD = 'update audit_head set seq = ?, hash = ? where id = 1';

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so the record and the
 * change it describes commit together. The head row serialises writers (a row lock on PostgreSQL).
 * Hand-written SQL (src/store/fast.ts): every notification and document writes one or two records.
 */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: Dialect,
  actor: Actor,
  at: string,
  entry: AuditEntry,
): Promise<number> {
  const [row] = chainAuditRecords(await lockedHead(trx, dialect), [{ actor, at, entry }]) as [AuditLogTable];
  await fastInsert(trx, INSERT_AUDIT, row);
  await fastRun(trx, MOVE_HEAD, [row.seq, row.hash]);
  return row.seq;
}

/** The head of the chain, row-locked on PostgreSQL until the transaction ends. */
async function lockedHead(trx: Kysely<Database>, dialect: Dialect): Promise<{ seq: number | string; hash: string }> {
  const [head] = await fastAll<{ seq: number | string; hash: string }>(
    trx,
    dialect === 'postgres' ? `${AUDIT_HEAD} for update` : AUDIT_HEAD,
    [],
  );
  if (!head) throw new Error('audit_head is missing');
  return head;
}

/**
 * Appends several records in one go inside the caller's transaction: the head is read (and on
 * PostgreSQL locked) once, the records are chained in order and inserted in one statement, and the
 * head moves once. The chain is exactly what as many `appendAudit` calls would write; this only saves
 * round trips, which matters when verifications are recorded in groups (src/services/disclosure-log.ts).
 * Returns the sequence number of each record.
 */
export async function appendAuditBatch(
  trx: Kysely<Database>,
  dialect: Dialect,
  records: ReadonlyArray<{ actor: Actor; at: string; entry: AuditEntry }>,
): Promise<number[]> {
  if (records.length === 0) return [];
  const rows = chainAuditRecords(await lockedHead(trx, dialect), records);
  const last = rows[rows.length - 1] as AuditLogTable;
  await fastInsertMany(trx, INSERT_AUDIT, rows);
  await fastRun(trx, MOVE_HEAD, [last.seq, last.hash]);
  return rows.map((r) => r.seq);
}

/**
 * The audit_log rows that `records` become after `head` (pure): what appendAudit/appendAuditBatch
 * insert, for a writer that talks to the store by other means (src/services/disclosure-log.ts).
 * The new head is the last row.
 */
export function chainAuditRecords(
  head: { seq: number | string; hash: string },
  records: ReadonlyArray<{ actor: Actor; at: string; entry: AuditEntry }>,
): AuditLogTable[] {
  let seq = Number(head.seq);
  let prev = head.hash;
  return records.map(({ actor, at, entry }) => {
    const row = {
      seq: ++seq,
      at,
      actor: actorLabel(actor),
      action: entry.action,
      insurer_number: entry.insurerNumber ?? null,
      member_id: entry.memberId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      prev_hash: prev,
    };
    prev = auditHash(row);
    return { ...row, hash: prev };
  });
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

export type AuditVerification =
  | { ok: true; records: number; head: AuditHead }
  | { ok: false; records: number; brokenAt: number; problem: AuditProblem };

/** The last record of the chain: keep it somewhere else (an "anchor") to catch a truncated tail. */
export interface AuditHead {
  seq: number;
  hash: string;
}

export type AuditProblem =
  | 'sequence gap'
  | 'broken link'
  | 'record modified'
  | 'records removed from the end'
  | 'records beyond the head'
  | 'anchor mismatch';

export interface VerifyOptions {
  /** Records read per query (the chain is streamed, never loaded whole). */
  pageSize?: number;
  /** A head recorded earlier: the record at `seq` must still have that hash. */
  anchor?: AuditHead;
}

/**
 * Recomputes the chain from the genesis: detects a modified, deleted, inserted or reordered record,
 * and a truncated tail (against the audit_head row and, stronger, against an anchor kept elsewhere).
 * `records` counts the records read, up to the first broken one.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  let prev = GENESIS;
  let expectedSeq = 1;
  let records = 0;
  let anchorSeen = false;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      records++;
      if (seq !== expectedSeq) return { ok: false, records, brokenAt: expectedSeq, problem: 'sequence gap' };
      if (row.prev_hash !== prev) return { ok: false, records, brokenAt: seq, problem: 'broken link' };
      if (auditHash({ ...row, seq }) !== row.hash)
        return { ok: false, records, brokenAt: seq, problem: 'record modified' };
      if (options.anchor && seq === options.anchor.seq) {
        if (row.hash !== options.anchor.hash) return { ok: false, records, brokenAt: seq, problem: 'anchor mismatch' };
        anchorSeen = true;
      }
      prev = row.hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) break;
  }
  const last = expectedSeq - 1;
  if (options.anchor && !anchorSeen) {
    return { ok: false, records, brokenAt: last + 1, problem: 'anchor mismatch' };
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (head) {
    const headSeq = Number(head.seq);
    if (headSeq > last) return { ok: false, records, brokenAt: last + 1, problem: 'records removed from the end' };
    if (headSeq < last) return { ok: false, records, brokenAt: headSeq + 1, problem: 'records beyond the head' };
    if (head.hash !== prev) return { ok: false, records, brokenAt: last, problem: 'record modified' };
  }
  return { ok: true, records, head: { seq: last, hash: prev } };
}
