import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/db.js';
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
  let headQuery = trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const rows = chainAuditRecords(head, records);
  const last = rows[rows.length - 1] as AuditLogTable;
  // Chunks keep each INSERT far below both stores' limits on bound parameters.
  for (let i = 0; i < rows.length; i += 2_000) {
    await trx
      .insertInto('audit_log')
      .values(rows.slice(i, i + 2_000))
      .execute();
  }
  await trx.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
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
