import type { Kysely, Transaction } from 'kysely';
import { dialectOf } from '../store/fast.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import { auditHash, type ChainHead, GENESIS, LEGACY_CHAIN } from './audit-chain.js';

export type AuditVerification =
  | { ok: true; records: number; chains: number; head: AuditHead }
  | { ok: false; records: number; brokenAt: number; problem: AuditProblem };

/**
 * The last record of the log (highest seq): keep it somewhere else (an "anchor") to catch a
 * truncated tail of its chain, and any rewrite before it in that chain.
 */
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
  /** Records read per query (the log is streamed, never loaded whole). */
  pageSize?: number;
  /** A head recorded earlier: the record at `seq` must still have that hash. */
  anchor?: AuditHead;
}

interface Broken {
  brokenAt: number;
  problem: AuditProblem;
}

/**
 * Recomputes every chain from its genesis, reading the log once in seq order inside one snapshot
 * (heads and records agree even while others write): detects a modified, deleted, inserted or
 * reordered record and a truncated chain (against its head row in audit_chains and, stronger, against
 * an anchor kept elsewhere). `brokenAt` is a seq: the missing record's when a chain's link names it.
 * `records` counts the records read, up to the first broken one.
 */
export async function verifyAuditChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<AuditVerification> {
  if (db.isTransaction) return verifyIn(db, options);
  const transaction =
    dialectOf(db) === 'postgres' ? db.transaction().setIsolationLevel('repeatable read') : db.transaction();
  return transaction.execute((trx) => verifyIn(trx, options));
}

async function verifyIn(
  db: Kysely<Database> | Transaction<Database>,
  options: VerifyOptions,
): Promise<AuditVerification> {
  const pageSize = options.pageSize ?? 5000;
  const heads = new Map<string, ChainHead>(
    (await db.selectFrom('audit_chains').select(['chain', 'seq', 'hash']).execute()).map((h) => [
      h.chain,
      { seq: Number(h.seq), hash: h.hash },
    ]),
  );
  const seen = new Map<string, ChainHead>();
  let legacyNext = 1;
  let records = 0;
  let last: AuditHead = { seq: 0, hash: GENESIS };
  let anchorSeen = false;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', last.seq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      records++;
      const seq = Number(row.seq);
      const broken =
        row.chain === null ? checkLegacy(row, seq, legacyNext, heads, seen) : checkChained(row, seq, heads, seen);
      if (broken) return { ok: false, records, ...broken };
      if (row.chain === null) legacyNext++;
      seen.set(row.chain ?? LEGACY_CHAIN, { seq, hash: row.hash });
      if (options.anchor && seq === options.anchor.seq) {
        if (row.hash !== options.anchor.hash) return { ok: false, records, brokenAt: seq, problem: 'anchor mismatch' };
        anchorSeen = true;
      }
      last = { seq, hash: row.hash };
    }
    if (rows.length < pageSize) break;
  }
  if (options.anchor && !anchorSeen) {
    return { ok: false, records, brokenAt: last.seq + 1, problem: 'anchor mismatch' };
  }
  const tail = truncatedChain(heads, seen);
  if (tail) return { ok: false, records, ...tail };
  return { ok: true, records, chains: seen.size, head: last };
}

/** A record from before 0007: the legacy chain is gapless from seq 1 and ends at its head. */
function checkLegacy(
  row: AuditLogTable,
  seq: number,
  expected: number,
  heads: ReadonlyMap<string, ChainHead>,
  seen: ReadonlyMap<string, ChainHead>,
): Broken | undefined {
  if (seq > (heads.get(LEGACY_CHAIN)?.seq ?? 0)) return { brokenAt: seq, problem: 'records beyond the head' };
  if (seq !== expected) return { brokenAt: expected, problem: 'sequence gap' };
  if (row.prev_hash !== (seen.get(LEGACY_CHAIN)?.hash ?? GENESIS)) return { brokenAt: seq, problem: 'broken link' };
  if (auditHash({ ...row, seq }) !== row.hash) return { brokenAt: seq, problem: 'record modified' };
  return undefined;
}

/** A chained record links to the last record seen of its chain, by seq and hash. */
function checkChained(
  row: AuditLogTable,
  seq: number,
  heads: ReadonlyMap<string, ChainHead>,
  seen: ReadonlyMap<string, ChainHead>,
): Broken | undefined {
  const chain = row.chain as string;
  if (chain === LEGACY_CHAIN || seq > (heads.get(chain)?.seq ?? 0)) {
    return { brokenAt: seq, problem: 'records beyond the head' };
  }
  const prev = seen.get(chain) ?? { seq: 0, hash: GENESIS };
  const prevSeq = Number(row.prev_seq);
  // A link to a later record of this chain than the last one found: the records between are gone.
  if (prevSeq > prev.seq && prevSeq < seq) return { brokenAt: prevSeq, problem: 'sequence gap' };
  if (prevSeq !== prev.seq || row.prev_hash !== prev.hash) return { brokenAt: seq, problem: 'broken link' };
  if (auditHash({ ...row, seq }) !== row.hash) return { brokenAt: seq, problem: 'record modified' };
  return undefined;
}

/** A chain whose head names a record that was not found (the first such, by seq). */
function truncatedChain(
  heads: ReadonlyMap<string, ChainHead>,
  seen: ReadonlyMap<string, ChainHead>,
): Broken | undefined {
  let first: Broken | undefined;
  for (const [chain, head] of heads) {
    const found = seen.get(chain) ?? { seq: 0, hash: GENESIS };
    let broken: Broken | undefined;
    if (head.seq > found.seq) broken = { brokenAt: found.seq + 1, problem: 'records removed from the end' };
    else if (head.hash !== found.hash) broken = { brokenAt: found.seq, problem: 'record modified' };
    if (broken && (!first || broken.brokenAt < first.brokenAt)) first = broken;
  }
  return first;
}
