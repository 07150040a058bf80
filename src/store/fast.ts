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
 * - a transaction (`trx`) or any executor not opened by `openStore`: Kysely's `executeQuery` with the
 *   same SQL, so the query joins the transaction.
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

/** Called by openStore: queries through this Kysely instance may use its raw driver. */
export function registerRawHandles(db: Kysely<unknown> | object, raw: RawHandles): void {
  handles.set(db, raw);
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

/** `?` placeholders as `$1, $2…` (the SQL of this module never has a literal `?`), and a statement name. */
function forPostgres(sql: string): { name: string; text: string } {
  let prepared = postgresText.get(sql);
  if (!prepared) {
    let n = 0;
    prepared = {
      name: `fast_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`,
      text: sql.replace(/\?/g, () => `$${++n}`),
    };
    postgresText.set(sql, prepared);
  }
  return prepared;
}

/** The PostgreSQL pool behind `db`, when it was opened by openStore (a transaction answers undefined). */
export function rawPool(db: object): pg.Pool | undefined {
  return handles.get(db)?.pool;
}

/** The dialect behind `db`, when it was opened by openStore (a transaction answers undefined). */
export function rawDialect(db: object): 'sqlite' | 'postgres' | undefined {
  return handles.get(db)?.dialect;
}

/** Rows of a SELECT (see the module note for which path runs it). */
export async function fastAll<R>(db: Kysely<unknown> | object, sql: string, params: readonly unknown[]): Promise<R[]> {
  const raw = handles.get(db);
  if (raw?.sqlite && !raw.sqlite.inTransaction) return sqliteStatement(raw.sqlite, sql).all(...params) as R[];
  if (raw?.pool) {
    const { name, text } = forPostgres(sql);
    const result = await raw.pool.query({ name, text, values: params as unknown[] });
    return result.rows as R[];
  }
  return (await kyselyQuery<R>(db, sql, params)).rows;
}

/** Rows changed by an INSERT, UPDATE or DELETE (autocommit outside a transaction). */
export async function fastRun(db: Kysely<unknown> | object, sql: string, params: readonly unknown[]): Promise<number> {
  const raw = handles.get(db);
  if (raw?.sqlite && !raw.sqlite.inTransaction) return sqliteStatement(raw.sqlite, sql).run(...params).changes;
  if (raw?.pool) {
    const { name, text } = forPostgres(sql);
    const result = await raw.pool.query({ name, text, values: params as unknown[] });
    return result.rowCount ?? 0;
  }
  return Number((await kyselyQuery(db, sql, params)).numAffectedRows ?? 0);
}

function kyselyQuery<R>(db: Kysely<unknown> | object, sql: string, params: readonly unknown[]) {
  const executor = db as Kysely<unknown>;
  const dialect = handles.get(db)?.dialect ?? dialectOf(executor);
  const text = dialect === 'postgres' ? forPostgres(sql).text : sql;
  return executor.executeQuery<R>(CompiledQuery.raw(text, [...params]));
}

/** The dialect of any Kysely executor (a transaction included), from its adapter. */
function dialectOf(db: Kysely<unknown>): 'sqlite' | 'postgres' {
  const adapter = db.getExecutor().adapter;
  return adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}
