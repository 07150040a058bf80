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
 *
 * A card verification's challenge is used up in the same transaction (issue #20 §5): one UPDATE for
 * the group's challenges, before its rows. A record whose challenge is refused there (used meanwhile,
 * by this process or another on the same PostgreSQL; expired) is replaced by its `refused` record, and
 * its caller is told so, to answer CHALLENGE_INVALID as the refused record says.
 */
import type { Insertable } from 'kysely';
import type pg from 'pg';
import type { Store } from '../store/db.js';
import { rawPool } from '../store/fast.js';
import type { VerificationsTable } from '../store/schema.js';
import type { Actor } from './actor.js';
import {
  type AuditEntry,
  type AuditRecord,
  appendAuditBatch,
  chainAuditRecords,
  INSERT_AUDIT,
  postgresAuditStatements,
} from './audit.js';
import {
  type ChallengeClaim,
  claimsWon,
  consumeChallenges,
  consumeChallengesParams,
  consumeChallengesSql,
} from './challenges.js';
import { GroupCommit } from './group-commit.js';

export interface DisclosureRecord {
  verification: Insertable<VerificationsTable>;
  actor: Actor;
  /** ISO instant of the audit record. */
  at: string;
  audit: AuditEntry;
  /** A card verification's challenge, and the record written instead when it is refused. */
  challenge?: { claim: ChallengeClaim; refused: DisclosureRecord };
}

/** Whether each record's challenge held (true without one), and the records to write accordingly. */
function settle(records: readonly DisclosureRecord[], won: readonly boolean[]) {
  let next = 0;
  const held = records.map((r) => (r.challenge ? won[next++] === true : true));
  const written = records.map((r, i) => (held[i] || !r.challenge ? r : r.challenge.refused));
  return { held, written };
}

const claimsOf = (records: readonly DisclosureRecord[]): ChallengeClaim[] =>
  records.flatMap((r) => (r.challenge ? [r.challenge.claim] : []));

const auditOf = (r: DisclosureRecord): AuditRecord => ({ actor: r.actor, at: r.at, entry: r.audit });

/** Records written per transaction at most (bound parameters stay far below both stores' limits). */
export const MAX_GROUP = 200;

function writeRecords(store: Store, records: readonly DisclosureRecord[]): Promise<boolean[]> {
  const pool = rawPool(store.db);
  if (pool) return writePostgres(pool, records);
  return store.db.transaction().execute(async (trx) => {
    const { held, written } = settle(records, await consumeChallenges(trx, claimsOf(records)));
    await trx
      .insertInto('verifications')
      .values(written.map((r) => r.verification))
      .execute();
    await appendAuditBatch(trx, store.dialect, written.map(auditOf));
    return held;
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
 * The same transaction on PostgreSQL in two round trips instead of six: BEGIN with the group's
 * challenges used up, the locked heads of its audit chains and its seqs, then every INSERT, the heads'
 * upsert and COMMIT as one multi-statement query (literals escaped by the driver). The head rows,
 * which only writers of the same chains wait for, are held for one round trip; the chains a refused
 * record would go to are locked with the others, since which records are written is known only then.
 */
async function writePostgres(pool: pg.Pool, records: readonly DisclosureRecord[]): Promise<boolean[]> {
  const client = await pool.connect();
  try {
    const literal = (value: unknown): string => {
      if (value === null || value === undefined) return 'NULL';
      if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
      return client.escapeLiteral(String(value));
    };
    const claims = claimsOf(records);
    const refused = records.flatMap((r) => (r.challenge ? [auditOf(r.challenge.refused)] : []));
    const statements = postgresAuditStatements(records.map(auditOf), literal, refused);
    const params = consumeChallengesParams(claims);
    const consume =
      claims.length === 0 ? [] : [consumeChallengesSql(claims.length).replace(/\?/g, () => literal(params.shift()))];
    const results = (await client.query(
      ['BEGIN', ...consume, statements.lock].join(';\n'),
    )) as unknown as pg.QueryResult[];
    const changed =
      claims.length === 0 ? [] : (results[1] as pg.QueryResult<{ challenge: string; provider_code: string }>).rows;
    const { held, written } = settle(records, claimsWon(claims, changed));
    const entries = written.map(auditOf);
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
          written.map((r) => r.verification),
          VERIFICATION_COLUMNS,
        )}`,
        `INSERT INTO audit_log (${INSERT_AUDIT.columns.join(', ')}) VALUES ${tuples(audit, INSERT_AUDIT.columns)}`,
        statements.seal(moved),
        'COMMIT',
      ].join(';\n'),
    );
    return held;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const queues = new WeakMap<Store, GroupCommit<DisclosureRecord, boolean>>();

/**
 * Writes a verification row and its audit record, grouped with the other verifications in flight in
 * this process; resolves once they are committed: true, or false when the record's challenge was
 * refused and its `refused` record was written instead.
 */
export function recordDisclosure(store: Store, record: DisclosureRecord): Promise<boolean> {
  let queue = queues.get(store);
  if (!queue) {
    queue = new GroupCommit((records) => writeRecords(store, records), MAX_GROUP);
    queues.set(store, queue);
  }
  return queue.add(record);
}
