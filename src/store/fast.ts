/**
 * Hand-written SQL for the hot path (verification, authentication), run by the raw driver when it
 * is safe to, and through Kysely otherwise (docs/PERFORMANCE.md).
 *
 * Kysely builds and compiles each query and serialises every query on SQLite's one connection
 * behind an async mutex: ≈50–60 µs per query on this machine (toolchain.md §3), several times the
 * cost of an indexed lookup. The verification path runs ten of them. Here:
 * - SQLite: a prepared better-sqlite3 statement (cached per SQL text) runs synchronously — but only
 *   when no transaction is open on the connection (`inTransaction`): a Kysely transaction awaiting
 *   between statements must not have its uncommitted rows read by someone else, so then the query
 *   goes through Kysely and waits for the transaction like any other;
 * - PostgreSQL: a named prepared statement on the store's pool (parsed and planned once per
 *   connection), with the same `$n` parameters;
 * - inside a transaction (`trx`) on SQLite: the same prepared statement, run directly, since the
 *   transaction holds the one connection and every statement on it is the transaction's own (the
 *   registry and the audit write a dozen per notification: docs/PERFORMANCE.md);
 * - a transaction on PostgreSQL, or any executor not opened by `openStore`: Kysely's `executeQuery`
 *   with the same SQL, so the query joins the transaction.
 * The SQL is written once with `?` placeholders; rows come back as each driver returns them, exactly
 * as through Kysely.
 */
import { createHash } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';

interface RawHandles {
  dialect: 'sqlite' | 'postgres';
  sqlite?: SqliteDatabase.Database;
  pool?: pg.Pool;
}

const handles = new WeakMap<object, RawHandles>();
/** The same handles by the Kysely adapter, which a store's transactions share with it. */
const byAdapter = new WeakMap<object, RawHandles>();

/** Called by openStore: queries through this Kysely instance may use its raw driver. */
// biome-ignore lint/suspicious/noExplicitAny: any store schema
export function registerRawHandles(db: Kysely<any>, raw: RawHandles): void {
  handles.set(db, raw);
  byAdapter.set(db.getExecutor().adapter, raw);
}

/**
 * The SQLite connection when `db` is a transaction open on it: the caller holds the connection, so
 * its statements may run on it directly. A controlled transaction already ended answers undefined
 * (Kysely then refuses the query as it always does); a callback transaction must not be kept past
 * its callback, as with Kysely.
 */
function sqliteOfTransaction(db: Kysely<unknown> | object): SqliteDatabase.Database | undefined {
  const executor = db as Kysely<unknown> & { isCommitted?: boolean; isRolledBack?: boolean };
  if (executor.isTransaction !== true || executor.isCommitted === true || executor.isRolledBack === true) {
    return undefined;
  }
  const sqlite = byAdapter.get(executor.getExecutor().adapter)?.sqlite;
  return sqlite?.inTransaction ? sqlite : undefined;
}

const STATEMENTS_PER_DATABASE = 200;
const sqliteStatements = new WeakMap<SqliteDatabase.Database, Map<string, SqliteDatabase.Statement>>();

function sqliteStatement(sqlite: SqliteDatabase.Database, sql: string): SqliteDatabase.Statement {
  let cache = sqliteStatements.get(sqlite);
  if (!cache) {
    cache = new Map();
    sqliteStatements.set(sqlite, cache);
  }
  let statement = cache.get(sql);
  if (!statement || statement.busy) {
    statement = sqlite.prepare(sql);
    if (cache.size >= STATEMENTS_PER_DATABASE) cache.delete(cache.keys().next().value as string);
    cache.set(sql, statement);
  }
  return statement;
}

const postgresText = new Map<string, { name: string; text: string }>();
/** The statement name of each PostgreSQL text of this module (`namePreparedStatements`). */
const postgresNames = new Map<string, string>();

/** `?` placeholders as `$1, $2…` (the SQL of this module never has a literal `?`). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The PostgreSQL text of `sql` and a name to prepare it under. */
function forPostgres(sql: string): { name: string; text: string } {
  let prepared = postgresText.get(sql);
  if (!prepared) {
    prepared = { name: `fast_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`, text: numbered(sql) };
    postgresText.set(sql, prepared);
    postgresNames.set(prepared.text, prepared.name);
  }
  return prepared;
}

/**
 * Makes `client` send this module's SQL as named prepared statements: parsed and planned once per
 * connection, not on every call. Kysely sends a transaction's queries as unnamed ones, so the
 * statements a transaction runs here (a dozen per imported notification, the group commit of
 * verifications) were parsed and planned every time (docs/PERFORMANCE.md). Any other SQL passes
 * through unchanged. openStore calls it for each new connection of its pool.
 */
export function namePreparedStatements(client: pg.ClientBase): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (textOrConfig: unknown, ...rest: unknown[]) => {
    const name = typeof textOrConfig === 'string' ? postgresNames.get(textOrConfig) : undefined;
    const [values] = rest;
    return name !== undefined && rest.length === 1 && Array.isArray(values)
      ? query({ name, text: textOrConfig, values })
      : query(textOrConfig, ...rest);
  };
}

/** The SQLite connection a statement of `db` may run on directly: the store's when idle, or the transaction's. */
function directSqlite(db: Kysely<unknown> | object): SqliteDatabase.Database | undefined {
  const raw = handles.get(db);
  if (!raw) return sqliteOfTransaction(db);
  return raw.sqlite && !raw.sqlite.inTransaction ? raw.sqlite : undefined;
}

/** The PostgreSQL pool behind `db`, when it was opened by openStore (a transaction answers undefined). */
export function rawPool(db: object): pg.Pool | undefined {
  return handles.get(db)?.pool;
}

/** The dialect behind `db`, when it was opened by openStore (a transaction answers undefined). */
export function rawDialect(db: object): 'sqlite' | 'postgres' | undefined {
  return handles.get(db)?.dialect;
}

/**
 * Rows of a SELECT (see the module note for which path runs it). `oneOff` SQL (an IN list whose text
 * varies with its length) is not prepared under a name on PostgreSQL, where each name stays for the
 * connection's life.
 */
export async function fastAll<R>(
  db: Kysely<unknown> | object,
  sql: string,
  params: readonly unknown[],
  { oneOff = false } = {},
): Promise<R[]> {
  const raw = handles.get(db);
  const sqlite = directSqlite(db);
  if (sqlite) return sqliteStatement(sqlite, sql).all(...params) as R[];
  if (raw?.pool) {
    const { name, text } = oneOff ? { name: undefined, text: numbered(sql) } : forPostgres(sql);
    const result = await raw.pool.query({ name, text, values: params as unknown[] });
    return result.rows as R[];
  }
  return (await kyselyQuery<R>(db, sql, params, oneOff)).rows;
}

/**
 * Rows changed by an INSERT, UPDATE or DELETE (autocommit outside a transaction). `oneOff` SQL (a
 * set-wise statement whose text varies with its row count) is not prepared under a name on PostgreSQL.
 */
export async function fastRun(
  db: Kysely<unknown> | object,
  sql: string,
  params: readonly unknown[],
  { oneOff = false } = {},
): Promise<number> {
  const raw = handles.get(db);
  const sqlite = directSqlite(db);
  if (sqlite) return sqliteStatement(sqlite, sql).run(...params).changes;
  if (raw?.pool) {
    const { name, text } = oneOff ? { name: undefined, text: numbered(sql) } : forPostgres(sql);
    const result = await raw.pool.query({ name, text, values: params as unknown[] });
    return result.rowCount ?? 0;
  }
  return Number((await kyselyQuery(db, sql, params, oneOff)).numAffectedRows ?? 0);
}

/** `sql` through Kysely's executor; `oneOff` SQL (a batch's INSERT) is not kept in the text cache. */
function kyselyQuery<R>(db: Kysely<unknown> | object, sql: string, params: readonly unknown[], oneOff = false) {
  const executor = db as Kysely<unknown>;
  const dialect = handles.get(db)?.dialect ?? dialectOf(executor);
  const text = dialect !== 'postgres' ? sql : oneOff ? numbered(sql) : forPostgres(sql).text;
  return executor.executeQuery<R>(CompiledQuery.raw(text, [...params]));
}

/** The dialect of any Kysely executor (a transaction included), from its adapter. */
// biome-ignore lint/suspicious/noExplicitAny: any store schema
export function dialectOf(db: Kysely<any>): 'sqlite' | 'postgres' {
  const adapter = db.getExecutor().adapter;
  return adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}

/** `?, ?, …`: the placeholders of an IN list or a VALUES tuple of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** An INSERT of one row by column list, its SQL built once (`insertStatement`). */
export interface InsertStatement<T> {
  /** `insert into "table" ("a", "b")`, for the multi-row form. */
  readonly into: string;
  readonly sql: string;
  readonly columns: ReadonlyArray<keyof T & string>;
}

/** `insert into "table" ("a", "b") values (?, ?)`: the columns in this order. */
export function insertStatement<T>(table: string, columns: ReadonlyArray<keyof T & string>): InsertStatement<T> {
  const into = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')})`;
  return { into, sql: `${into} values (${placeholders(columns.length)})`, columns };
}

/** Inserts `row` (see the module note for which path runs it). */
export function fastInsert<T>(db: Kysely<unknown> | object, statement: InsertStatement<T>, row: T): Promise<number> {
  return fastRun(
    db,
    statement.sql,
    statement.columns.map((c) => row[c]),
  );
}

/** Bound values per multi-row INSERT: below SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_PER_INSERT = 30_000;

/**
 * Inserts `rows` in order. Inside a transaction on SQLite: the one-row statement, prepared once, per
 * row; Kysely would build and compile a statement with every value of the batch in it, a quarter of
 * the ex-officio run (docs/PERFORMANCE.md). Elsewhere: multi-row INSERTs, one round trip per chunk.
 */
export async function fastInsertMany<T>(
  db: Kysely<unknown> | object,
  statement: InsertStatement<T>,
  rows: readonly T[],
): Promise<void> {
  const { columns } = statement;
  const own = handles.has(db) ? undefined : sqliteOfTransaction(db);
  if (own) {
    const prepared = sqliteStatement(own, statement.sql);
    for (const row of rows) prepared.run(...columns.map((c) => row[c]));
    return;
  }
  const perInsert = Math.max(1, Math.floor(VALUES_PER_INSERT / columns.length));
  const tuple = `(${placeholders(columns.length)})`;
  const raw = handles.get(db);
  for (let i = 0; i < rows.length; i += perInsert) {
    const chunk = rows.slice(i, i + perInsert);
    const sql = `${statement.into} values ${chunk.map(() => tuple).join(', ')}`;
    const params = chunk.flatMap((row) => columns.map((c) => row[c]));
    if (raw?.sqlite && !raw.sqlite.inTransaction) raw.sqlite.prepare(sql).run(...params);
    else if (raw?.pool) await raw.pool.query(numbered(sql), params);
    else await kyselyQuery(db, sql, params, true);
  }
}
