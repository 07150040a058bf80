/**
 * The engine's own bulk insert of the rows a CSV import wrote (issue #20, docs/PERFORMANCE.md): the
 * floor no import design can beat on this store, schema, indexes and foreign keys included.
 * - SQLite: one transaction, one prepared statement per table, rows in key order;
 * - PostgreSQL: COPY … FROM STDIN per table, in one transaction.
 * Members get time-ordered ids (UUID version 7 shape, in the order they were written) in place of the
 * import's random ones, and every reference follows: random keys are a cost of our design (the
 * privacy reason of docs/PERFORMANCE.md), not of the engine. Nothing else is computed: no parse,
 * validation, encryption, lookup, rule or hash.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Store } from '../src/store/db.js';
import { rawPool } from '../src/store/fast.js';

type Row = Record<string, unknown>;

/** Tables in the order a parent precedes its children, each with the order its rows go in. */
const TABLES = [
  ['members', 'created_at, id'],
  ['member_versions', 'member_id, version'],
  ['notifications', 'id'],
  ['notices', 'id'],
  ['audit_log', 'seq'],
  ['audit_chains', 'chain'],
] as const;

/** A UUID of version 7's shape whose order is `n`'s: the same key locality as a time-ordered id. */
export function orderedId(base: number, n: number): string {
  const time = (base + n).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/**
 * Every row the import wrote, members re-keyed in order (read untimed); audit records from `afterSeq`
 * on (the fresh store holds the ones before: its insurer.create).
 */
export async function importedRows(from: Store, afterSeq: number): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  for (const [table, order] of TABLES) {
    const where = table === 'audit_log' ? ` where seq > ${Number(afterSeq)}` : '';
    tables.set(table, (await sql.raw<Row>(`select * from ${table}${where} order by ${order}`).execute(from.db)).rows);
  }
  const ids = new Map<unknown, string>();
  const base = Date.now();
  for (const m of tables.get('members') ?? []) ids.set(m.id, orderedId(base, ids.size));
  const rekey = (value: unknown) => (value === null ? null : (ids.get(value) ?? value));
  for (const m of tables.get('members') ?? []) {
    m.id = rekey(m.id);
    m.insured_member_id = rekey(m.insured_member_id);
  }
  for (const table of ['member_versions', 'notifications', 'notices']) {
    for (const r of tables.get(table) ?? []) r.member_id = rekey(r.member_id);
  }
  const versions = tables.get('member_versions') ?? [];
  versions.sort((a, b) =>
    a.member_id === b.member_id
      ? Number(a.version) - Number(b.version)
      : String(a.member_id) < String(b.member_id)
        ? -1
        : 1,
  );
  return tables;
}

/** COPY text format of one value (docs: "COPY … text format"). */
function copyText(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/**
 * Writes `tables` into `to` (a fresh store with the same insurer and residents) with the engine's
 * bulk path and answers notifications per second.
 */
export async function rawBulkInsert(
  tables: ReadonlyMap<string, Row[]>,
  to: Store,
): Promise<{ notifications: number; rows: number; seconds: number; rowsPerSecond: number }> {
  const notifications = tables.get('notifications')?.length ?? 0;
  let rows = 0;
  for (const list of tables.values()) rows += list.length;
  const started = performance.now();
  if (to.sqlite) {
    const sqlite = to.sqlite;
    sqlite.transaction(() => {
      for (const [table, list] of tables) {
        const first = list[0];
        if (!first) continue;
        const columns = Object.keys(first);
        // audit_chains already holds the insurer.create record's chain: the import's head replaces it.
        const verb = table === 'audit_chains' ? 'insert or replace' : 'insert';
        const statement = sqlite.prepare(
          `${verb} into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
        );
        for (const row of list) statement.run(...columns.map((c) => row[c] ?? null));
      }
    })();
  } else {
    const pool = rawPool(to.db);
    if (!pool) throw new Error('raw insert: no PostgreSQL pool');
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // The insurer.create record's chain head: the import's rows carry the newer head.
      await client.query('DELETE FROM audit_chains');
      for (const [table, list] of tables) {
        const first = list[0];
        if (!first) continue;
        const columns = Object.keys(first);
        const lines = function* () {
          for (const row of list) yield `${columns.map((c) => copyText(row[c])).join('\t')}\n`;
        };
        await pipeline(
          Readable.from(lines()),
          client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`)),
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { notifications, rows, seconds, rowsPerSecond: notifications / seconds };
}
