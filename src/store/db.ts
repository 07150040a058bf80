import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, type MigrationProvider, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { namePreparedStatements, registerRawHandles } from './fast.js';
import { MIGRATIONS } from './migrations/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** A description safe for logs (no password). */
  readonly description: string;
  /** SQLite only: the better-sqlite3 handle, for the online backup and the integrity check. */
  readonly sqlite?: SqliteDatabase.Database;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `file`. */
  databaseUrl?: string | undefined;
  /** SQLite file (created with its folder), or `:memory:`. */
  file?: string | undefined;
}

/** Opens the store and brings its schema up to date (migrations run on every start). */
export async function openStore(options: StoreOptions): Promise<Store> {
  const store = options.databaseUrl?.startsWith('postgres')
    ? openPostgres(options.databaseUrl)
    : openSqlite(options.file ?? './data/shikaku.db');
  try {
    await migrate(store.db);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * The store holds personal data: a folder it creates is the owner's alone (0700) and its file is
 * 0600 (SQLite gives the -wal and -shm files the database file's mode). A folder that already
 * exists keeps its mode: `--db /tmp/x.db` must not lock others out of /tmp.
 */
function ownerOnly(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  chmodSync(file, 0o600);
}

function openSqlite(file: string): Store {
  if (file !== ':memory:') ownerOnly(file);
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  // Each import row runs in a savepoint, which journals every page it changes first: in memory,
  // not in a temporary file with a write() per page (the import's writes took half as long).
  sqlite.pragma('temp_store = MEMORY');
  // Reads of a large store go through the page cache of the OS without a syscall each.
  sqlite.pragma(`mmap_size = ${SQLITE_MMAP_BYTES}`);
  // No ANALYZE here: with stat4 present better-sqlite3 re-prepares indexed lookups (toolchain.md §2).
  const checkpointer = file === ':memory:' ? null : startCheckpointer(sqlite, file);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite) }) });
  registerRawHandles(db, { dialect: 'sqlite', sqlite });
  return {
    db,
    dialect: 'sqlite',
    description: `sqlite:${file}`,
    sqlite,
    close: async () => {
      await checkpointer?.terminate();
      await db.destroy();
    },
  };
}

/** Memory-mapped bytes of the SQLite file (file-backed pages: the OS reclaims them under pressure). */
export const SQLITE_MMAP_BYTES = 256 * 1024 * 1024;
/**
 * WAL pages after which a commit checkpoints by itself: only under writes without a pause, as any
 * pause of CHECKPOINT_INTERVAL_MS lets the checkpointer catch up and the next commit restart the WAL.
 * That commit stalls the event loop for tens of milliseconds (its checkpoint syncs the WAL and the
 * database file); 100,000 pages (400 MiB of WAL) make it a rare event even at saturation.
 */
const FALLBACK_AUTOCHECKPOINT_PAGES = 100_000;
/** Often enough that the frames left to the fallback above are few (docs/PERFORMANCE.md). */
const CHECKPOINT_INTERVAL_MS = 50;

/**
 * Checkpoints the WAL from a worker thread with its own connection (docs/PERFORMANCE.md). SQLite's
 * automatic checkpoint runs inside the commit that crosses 1,000 WAL pages, on the event loop, and
 * fsyncs: every few dozen verifications one stalled for tens of milliseconds. A PASSIVE checkpoint
 * from another connection waits for no lock and blocks no reader or writer; the commit keeps its own
 * automatic checkpoint only as a fallback, far later.
 */
function startCheckpointer(sqlite: SqliteDatabase.Database, file: string): Worker | null {
  const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const source = `
    const { workerData } = require('node:worker_threads');
    const Database = require(workerData.modulePath);
    const db = new Database(workerData.file, { fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    setInterval(() => {
      try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
    }, workerData.interval);`;
  try {
    const worker = new Worker(source, {
      eval: true,
      workerData: { modulePath, file, interval: CHECKPOINT_INTERVAL_MS },
    });
    worker.unref();
    worker.on('error', () => sqlite.pragma('wal_autocheckpoint = 1000'));
    sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    return worker;
  } catch {
    return null;
  }
}

/** Prepared statements kept per SQL text (docs/PERFORMANCE.md). */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * The handle Kysely's SQLite driver uses, with its prepared statements cached by SQL text. The driver
 * prepares every query it runs, and on the verification path preparing cost more than running
 * (≈100 µs against 10–30 µs): Kysely builds the same SQL for the same query shape, so a statement is
 * prepared once and reused. A cached statement still busy (an open `iterate`) is not shared: that
 * caller gets a fresh one. SQLite re-prepares a cached statement by itself after a schema change.
 */
function cachingStatements(sqlite: SqliteDatabase.Database): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (source: string): SqliteDatabase.Statement => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      // Least recently used goes first: one-off statements must not push out the hot ones.
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = sqlite.prepare(source);
    if (!hit) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      cache.set(source, statement);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property, receiver) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Connections per process (docs/PERFORMANCE.md): SHIKAKU_PG_POOL, else DEFAULT_PG_POOL. */
export const DEFAULT_PG_POOL = 10;

export function postgresPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHIKAKU_PG_POOL?.trim();
  if (!raw) return DEFAULT_PG_POOL;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1)
    throw new Error(`SHIKAKU_PG_POOL must be a whole number ≥ 1, not "${raw}"`);
  return Number(raw);
}

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: postgresPoolSize() });
  pool.on('connect', namePreparedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  registerRawHandles(db, { dialect: 'postgres', pool });
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    dialect: 'postgres',
    description: `postgres://${safe.host}${safe.pathname}`,
    close: () => db.destroy(),
  };
}

const provider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => MIGRATIONS,
};

async function migrate(db: Kysely<Database>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
