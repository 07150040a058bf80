/**
 * Group commit of verification records (DESIGN.md §3.5; docs/PERFORMANCE.md).
 *
 * Every answered verification writes a `verifications` row and an audit record, committed before the
 * answer leaves (a disclosure is never answered unrecorded). One transaction per verification made
 * the commit the most expensive step of a verification (SQLite writes its WAL pages per commit;
 * PostgreSQL takes the row locks of the audit chains' heads per commit). Here the records of the
 * verifications in flight are written together (src/services/group-commit.ts): one transaction writes every queued row and chains the audit records in queue
 * order (`appendAuditBatch`). Each caller's promise settles only when its own group has committed, so
 * the guarantee is unchanged: answered ⇒ recorded.
 */
import type { Insertable } from 'kysely';
import type pg from 'pg';
import type { Store } from '../store/db.js';
import { rawPool } from '../store/fast.js';
import type { VerificationsTable } from '../store/schema.js';
import type { Actor } from './actor.js';
import {
  type AuditEntry,
  appendAuditBatch,
  chainAuditRecords,
  INSERT_AUDIT,
  postgresAuditStatements,
} from './audit.js';
import { GroupCommit } from './group-commit.js';

export interface DisclosureRecord {
  verification: Insertable<VerificationsTable>;
  actor: Actor;
  /** ISO instant of the audit record. */
  at: string;
  audit: AuditEntry;
}

/** Records written per transaction at most (bound parameters stay far below both stores' limits). */
export const MAX_GROUP = 200;

function writeRecords(store: Store, records: readonly DisclosureRecord[]): Promise<void> {
  const pool = rawPool(store.db);
  if (pool) return writePostgres(pool, records);
  return store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('verifications')
      .values(records.map((r) => r.verification))
      .execute();
    await appendAuditBatch(
      trx,
      store.dialect,
      records.map((r) => ({ actor: r.actor, at: r.at, entry: r.audit })),
    );
  });
}

const VERIFICATION_COLUMNS = [
  'id',
  'provider_code',
  'method',
  'as_of',
  'outcome',
  'reasons',
  'member_id',
  'insurer_number',
  'reader',
  'created_at',
] as const;

/**
 * The same transaction on PostgreSQL in two round trips instead of six: BEGIN with the locked heads
 * of the group's audit chains and its seqs, then every INSERT, the heads' upsert and COMMIT as one
 * multi-statement query (literals escaped by the driver). The head rows, which only writers of the
 * same chains wait for, are held for one round trip.
 */
async function writePostgres(pool: pg.Pool, records: readonly DisclosureRecord[]): Promise<void> {
  const client = await pool.connect();
  try {
    const literal = (value: unknown): string => {
      if (value === null || value === undefined) return 'NULL';
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      return client.escapeLiteral(String(value));
    };
    const entries = records.map((r) => ({ actor: r.actor, at: r.at, entry: r.audit }));
    const statements = postgresAuditStatements(entries, literal);
    const results = (await client.query(`BEGIN;\n${statements.lock}`)) as unknown as pg.QueryResult[];
    const [heads, seqs] = results.slice(-2) as [
      pg.QueryResult<{ chain: string; seq: string; hash: string }>,
      pg.QueryResult<{ seq: string }>,
    ];
    const { rows: audit, moved } = chainAuditRecords(statements.heads(heads.rows), statements.seqs(seqs.rows), entries);
    const tuples = (rows: readonly object[], columns: readonly string[]) =>
      rows.map((row) => `(${columns.map((c) => literal((row as Record<string, unknown>)[c])).join(', ')})`).join(',\n');
    await client.query(
      [
        `INSERT INTO verifications (${VERIFICATION_COLUMNS.join(', ')}) VALUES ${tuples(
          records.map((r) => r.verification),
          VERIFICATION_COLUMNS,
        )}`,
        `INSERT INTO audit_log (${INSERT_AUDIT.columns.join(', ')}) VALUES ${tuples(audit, INSERT_AUDIT.columns)}`,
        statements.seal(moved),
        'COMMIT',
      ].join(';\n'),
    );
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const queues = new WeakMap<Store, GroupCommit<DisclosureRecord>>();

/**
 * Writes a verification row and its audit record, grouped with the other verifications in flight in
 * this process; resolves once they are committed.
 */
export function recordDisclosure(store: Store, record: DisclosureRecord): Promise<void> {
  let queue = queues.get(store);
  if (!queue) {
    queue = new GroupCommit((records) => writeRecords(store, records), MAX_GROUP);
    queues.set(store, queue);
  }
  return queue.add(record);
}
