/**
 * Batched inserts straight into the store, for the bench generator: raw better-sqlite3 prepared
 * statements in large transactions on SQLite; multi-row `INSERT … SELECT * FROM unnest($1::type[], …)`
 * on PostgreSQL (one round trip per few thousand rows). Rows are buffered per table and flushed in
 * the order the tables were first written, so a parent row is always in before its children
 * (foreign keys stay on).
 */
import pg from 'pg';
import type { Store } from '../src/store/db.js';

export type Row = Record<string, string | number | null>;

export interface BulkWriter {
  add(table: string, row: Row): void;
  /** Waits while too much is buffered or in flight (PostgreSQL); call now and then while adding. */
  ready(): Promise<void>;
  /** Writes everything buffered. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** Rows written so far, per table. */
  readonly counts: Map<string, number>;
}

const BATCH_ROWS = 5_000;

export interface BulkOptions {
  /** Leave the secondary indexes in place (a small load into a store in use). */
  keepIndexes?: boolean;
}

export async function bulkWriter(
  store: Store,
  databaseUrl: string | undefined,
  options: BulkOptions = {},
): Promise<BulkWriter> {
  return store.dialect === 'sqlite' ? sqliteWriter(store, options) : postgresWriter(databaseUrl, options);
}

function sqliteWriter(store: Store, options: BulkOptions): BulkWriter {
  const sqlite = store.sqlite;
  if (!sqlite) throw new Error('bulk: no better-sqlite3 handle');
  // A load, not a service: durability of each batch does not matter until the end (WAL checkpoint).
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('cache_size = -262144');
  // Secondary indexes are rebuilt at the end: one sorted build is cheaper than a million random inserts.
  const indexes = options.keepIndexes
    ? []
    : (sqlite
        .prepare(
          "select name, sql from sqlite_master where type = 'index' and sql is not null and sql not like '% unique %'",
        )
        .all() as Array<{ name: string; sql: string }>);
  for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
  const buffers = new Map<string, Row[]>();
  const counts = new Map<string, number>();
  const statements = new Map<string, { columns: string[]; run: (values: unknown[]) => void }>();
  let pending = 0;
  const statementFor = (table: string, row: Row) => {
    let s = statements.get(table);
    if (!s) {
      const columns = Object.keys(row);
      const stmt = sqlite.prepare(
        `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      s = { columns, run: (values) => stmt.run(...values) };
      statements.set(table, s);
    }
    return s;
  };
  const writeAll = sqlite.transaction(() => {
    for (const [table, rows] of buffers) {
      if (rows.length === 0) continue;
      const first = rows[0];
      if (!first) continue;
      const s = statementFor(table, first);
      for (const row of rows) s.run(s.columns.map((c) => row[c] ?? null));
      counts.set(table, (counts.get(table) ?? 0) + rows.length);
      rows.length = 0;
    }
  });
  return {
    counts,
    add(table, row) {
      let rows = buffers.get(table);
      if (!rows) {
        rows = [];
        buffers.set(table, rows);
      }
      rows.push(row);
      if (++pending >= BATCH_ROWS * 4) {
        writeAll();
        pending = 0;
      }
    },
    async ready() {},
    async flush() {
      writeAll();
      pending = 0;
    },
    async close() {
      writeAll();
      for (const index of indexes) sqlite.exec(index.sql);
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}

function postgresWriter(databaseUrl: string | undefined, options: BulkOptions): BulkWriter {
  if (!databaseUrl) throw new Error('bulk: PostgreSQL needs the database URL');
  const client = new pg.Client({ connectionString: databaseUrl });
  const connected = client.connect().then(() => undefined);
  const buffers = new Map<string, Row[]>();
  const counts = new Map<string, number>();
  const types = new Map<string, Map<string, string>>();
  // Secondary indexes are rebuilt at the end, as on SQLite (constraint indexes stay).
  let indexes: Array<{ indexname: string; indexdef: string }> = [];
  const connectedAndReady = connected.then(async () => {
    if (options.keepIndexes) return;
    const result = await client.query<{ indexname: string; indexdef: string }>(
      `select indexname, indexdef from pg_indexes where schemaname = current_schema()
         and indexname not in (select conname from pg_constraint)`,
    );
    indexes = result.rows;
    for (const index of indexes) await client.query(`DROP INDEX "${index.indexname}"`);
  });
  let chain: Promise<void> = connectedAndReady;
  let inflight = 0;
  let pending = 0;

  const typesOf = async (table: string): Promise<Map<string, string>> => {
    let t = types.get(table);
    if (!t) {
      const result = await client.query<{ column_name: string; data_type: string }>(
        'select column_name, data_type from information_schema.columns where table_name = $1',
        [table],
      );
      t = new Map(result.rows.map((r) => [r.column_name, r.data_type]));
      types.set(table, t);
    }
    return t;
  };
  const write = async (batches: Array<[string, Row[]]>) => {
    await client.query('BEGIN');
    for (const [table, rows] of batches) {
      const first = rows[0];
      if (!first) continue;
      const columns = Object.keys(first);
      const t = await typesOf(table);
      for (let i = 0; i < rows.length; i += BATCH_ROWS) {
        const slice = rows.slice(i, i + BATCH_ROWS);
        const arrays = columns.map((c) => slice.map((r) => r[c] ?? null));
        const casts = columns.map(
          (c, n) => `$${n + 1}::${t.get(c) === 'integer' ? 'integer' : t.get(c) === 'bigint' ? 'bigint' : 'text'}[]`,
        );
        await client.query(
          `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) SELECT * FROM unnest(${casts.join(', ')})`,
          arrays,
        );
      }
      counts.set(table, (counts.get(table) ?? 0) + rows.length);
    }
    await client.query('COMMIT');
  };
  const schedule = () => {
    const batches: Array<[string, Row[]]> = [];
    for (const [table, rows] of buffers) {
      if (rows.length > 0) batches.push([table, rows.splice(0, rows.length)]);
    }
    pending = 0;
    inflight++;
    chain = chain
      .then(() => write(batches))
      .finally(() => {
        inflight--;
      });
    // Surfaces in ready()/flush(); never an unhandled rejection in between.
    chain.catch(() => undefined);
    return chain;
  };
  return {
    counts,
    add(table, row) {
      let rows = buffers.get(table);
      if (!rows) {
        rows = [];
        buffers.set(table, rows);
      }
      rows.push(row);
      if (++pending >= BATCH_ROWS * 4) void schedule();
    },
    async ready() {
      // One batch may be written while the next is built; more would only pile up in memory.
      if (inflight > 1) await chain;
    },
    async flush() {
      await schedule();
    },
    async close() {
      await schedule();
      for (const index of indexes) await client.query(index.indexdef);
      if (!options.keepIndexes) await client.query('ANALYZE');
      await client.end();
    },
  };
}
