/**
 * The hash-chained audit log, one chain per association (issue #20, docs/PERFORMANCE.md).
 *
 * A record belongs to the chain of its association (`insurer:<保険者番号>`, the distribution key);
 * a record without one to the chain of the provider that asked (`provider:<医療機関コード>`, e.g. a
 * verification that found nobody) or else of the actor (`actor:<role>:<token id>`). So no row is
 * locked by every writer: a writer locks the head rows (`audit_chains`) of the chains it appends to,
 * and only writers of the same association wait for each other.
 *
 * Each record carries its chain, the `seq` and hash of the previous record of that chain
 * (`prev_seq`, `prev_hash`) and a hash over all of it (`auditHash`): a modified, removed, inserted or
 * reordered record breaks its chain. `seq` is the log's time-ordered key: on SQLite the next integer
 * (its one writer at a time keeps the log gapless), on PostgreSQL `audit_log_seq` (no lock; a rolled
 * back transaction leaves a gap, which no chain notices since each links its own records).
 * Records from before migration 0007 (no chain) stay one closed legacy chain, verified as before.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../store/db.js';
import { fastAll, fastInsertMany, fastRun, insertStatement, placeholders } from '../store/fast.js';
import type { AuditLogTable, Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import {
  type AuditEntry,
  type AuditRecord,
  auditChainOf,
  type ChainHead,
  chainAuditRecords,
  GENESIS,
} from './audit-chain.js';

export {
  type AuditEntry,
  type AuditRecord,
  auditChainOf,
  auditHash,
  type ChainedFields,
  type ChainHead,
  chainAuditRecords,
  GENESIS,
  LEGACY_CHAIN,
} from './audit-chain.js';
export {
  type AuditHead,
  type AuditProblem,
  type AuditVerification,
  type VerifyOptions,
  verifyAuditChain,
} from './audit-verify.js';

/** One audit_log row; its columns are also the multi-statement writer's (src/services/disclosure-log.ts). */
export const INSERT_AUDIT = insertStatement<AuditLogTable>('audit_log', [
  'seq',
  'at',
  'actor',
  'action',
  'insurer_number',
  'member_id',
  'detail',
  'chain',
  'prev_seq',
  'prev_hash',
  'hash',
]);

const UPSERT_HEAD_INTO = 'insert into audit_chains (chain, seq, hash) values';
const UPSERT_HEAD_ON_CONFLICT = 'on conflict (chain) do update set seq = excluded.seq, hash = excluded.hash';

/**
 * Appends one record inside the caller's transaction, so the record and the change it describes
 * commit together. Returns its seq.
 */
export async function appendAudit(
  trx: Kysely<Database>,
  dialect: Dialect,
  actor: Actor,
  at: string,
  entry: AuditEntry,
): Promise<number> {
  const [seq] = await appendAuditBatch(trx, dialect, [{ actor, at, entry }]);
  return seq as number;
}

/**
 * Appends a chunk of records inside the caller's transaction, sealed set-wise: the heads of the
 * chains they touch are read (and on PostgreSQL row-locked, in chain order) in one statement, the
 * records are chained in memory in the order given, inserted in one go, and every touched head moves
 * in one statement. The rows are exactly what as many `appendAudit` calls would write. Returns the
 * seq of each record, in the order given.
 */
export async function appendAuditBatch(
  trx: Kysely<Database>,
  dialect: Dialect,
  records: readonly AuditRecord[],
): Promise<number[]> {
  if (records.length === 0) return [];
  const chains = [...new Set(records.map((r) => auditChainOf(r.actor, r.entry)))].sort();
  const { heads, seqs } =
    dialect === 'postgres'
      ? await lockPostgres(trx, chains, records.length)
      : await readSqlite(trx, chains, records.length);
  const { rows, moved } = chainAuditRecords(heads, seqs, records);
  await fastInsertMany(trx, INSERT_AUDIT, rows);
  const entries = [...moved];
  await fastRun(
    trx,
    `${UPSERT_HEAD_INTO} ${entries.map(() => '(?, ?, ?)').join(', ')} ${UPSERT_HEAD_ON_CONFLICT}`,
    entries.flatMap(([chain, head]) => [chain, head.seq, head.hash]),
  );
  return rows.map((r) => r.seq);
}

/**
 * SQLite: the heads and the log's top seq in one read. The transaction's writes hold the database
 * lock until it commits, so the next seqs are the transaction's alone.
 */
async function readSqlite(
  trx: Kysely<Database>,
  chains: readonly string[],
  count: number,
): Promise<{ heads: Map<string, ChainHead>; seqs: number[] }> {
  const rows = await fastAll<{ chain: string | null; seq: number; hash: string | null }>(
    trx,
    `select null as chain, coalesce(max(seq), 0) as seq, null as hash from audit_log
     union all select chain, seq, hash from audit_chains where chain in (${placeholders(chains.length)})`,
    chains,
  );
  const top = Number(rows.find((r) => r.chain === null)?.seq ?? 0);
  return { heads: headsOf(rows), seqs: Array.from({ length: count }, (_, i) => top + 1 + i) };
}

/**
 * PostgreSQL: the heads row-locked in chain order (no two writers wait for each other in a circle),
 * a chain's first record creating its head row first; then the seqs, drawn only once the locks are
 * held, so a chain's records have increasing seqs.
 */
async function lockPostgres(
  trx: Kysely<Database>,
  chains: readonly string[],
  count: number,
): Promise<{ heads: Map<string, ChainHead>; seqs: number[] }> {
  const lock = `select chain, seq, hash from audit_chains where chain in (${placeholders(chains.length)}) order by chain for update`;
  let rows = await fastAll<{ chain: string; seq: number | string; hash: string }>(trx, lock, chains);
  if (rows.length < chains.length) {
    await fastRun(trx, newChainsSql(chains.length), newChainsParams(chains));
    rows = await fastAll(trx, lock, chains);
  }
  const seqRows = await fastAll<{ seq: number | string }>(trx, NEXT_SEQS, [count]);
  return { heads: headsOf(rows), seqs: seqRows.map((r) => Number(r.seq)).sort((a, b) => a - b) };
}

const NEXT_SEQS = "select nextval('audit_log_seq') as seq from generate_series(1, ?)";

function newChainsSql(n: number): string {
  return `insert into audit_chains (chain, seq, hash) values ${Array.from({ length: n }, () => '(?, 0, ?)').join(', ')} on conflict (chain) do nothing`;
}

function newChainsParams(chains: readonly string[]): string[] {
  return chains.flatMap((c) => [c, GENESIS]);
}

function headsOf(rows: ReadonlyArray<{ chain: string | null; seq: number | string; hash: string | null }>) {
  const heads = new Map<string, ChainHead>();
  for (const r of rows)
    if (r.chain !== null && r.hash !== null) heads.set(r.chain, { seq: Number(r.seq), hash: r.hash });
  return heads;
}

/**
 * The statements a writer that sends its own SQL to PostgreSQL runs around `chainAuditRecords`
 * (src/services/disclosure-log.ts): `lock` after BEGIN (its last two results are the locked heads
 * and the seqs), then `seal` with the new heads, before COMMIT. `literal` escapes a value. The chains
 * of `alternatives` (records that may be written instead of some of `records`) are locked too.
 */
export function postgresAuditStatements(
  records: readonly AuditRecord[],
  literal: (value: unknown) => string,
  alternatives: readonly AuditRecord[] = [],
) {
  const chains = [...new Set([...records, ...alternatives].map((r) => auditChainOf(r.actor, r.entry)))].sort();
  const inList = chains.map(literal).join(', ');
  return {
    lock: [
      `INSERT INTO audit_chains (chain, seq, hash) VALUES ${chains.map((c) => `(${literal(c)}, 0, ${literal(GENESIS)})`).join(', ')} ON CONFLICT (chain) DO NOTHING`,
      `SELECT chain, seq, hash FROM audit_chains WHERE chain IN (${inList}) ORDER BY chain FOR UPDATE`,
      `SELECT nextval('audit_log_seq') AS seq FROM generate_series(1, ${records.length})`,
    ].join(';\n'),
    heads: (rows: ReadonlyArray<{ chain: string; seq: number | string; hash: string }>) => headsOf(rows),
    seqs: (rows: ReadonlyArray<{ seq: number | string }>) => rows.map((r) => Number(r.seq)).sort((a, b) => a - b),
    seal: (moved: ReadonlyMap<string, ChainHead>) =>
      `${UPSERT_HEAD_INTO} ${[...moved].map(([c, h]) => `(${literal(c)}, ${literal(h.seq)}, ${literal(h.hash)})`).join(', ')} ${UPSERT_HEAD_ON_CONFLICT}`,
  };
}
