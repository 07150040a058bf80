/**
 * Backup and restore of the SQLite store (docs/OPERATIONS.md). The backup is SQLite's online backup
 * (pages copied while the server keeps serving), turned into a self-contained file (rollback journal,
 * not WAL) and checked before it is called good. A restore never overwrites a store in place: the
 * copy is checked, written beside the target and renamed over it, the old files kept aside.
 * PostgreSQL is backed up with pg_dump; these functions only say how.
 */
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Store } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { type AuditVerification, verifyAuditChain } from './audit.js';
import { type ColumnKeyUsage, keyUsage } from './key-rotation.js';

export interface SqliteCheck {
  /** `PRAGMA integrity_check` said "ok". */
  integrity: boolean;
  /** Its messages when not. */
  integrityMessages: string[];
  audit: AuditVerification;
  /** Key ids the file's ciphertexts need (the keyring must hold them). */
  keys: ColumnKeyUsage[];
}

/** Integrity, audit chain and key usage of a SQLite file, opened read-only. */
export async function checkSqliteFile(file: string): Promise<SqliteCheck> {
  const sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const messages = (sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map(
      (r) => r.integrity_check,
    );
    const integrity = messages.length === 1 && messages[0] === 'ok';
    const tables = new Set(
      (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map(
        (r) => r.name,
      ),
    );
    if (!tables.has('audit_log') || !tables.has('audit_chains')) {
      throw new Error(`${file} is not a Shikaku store (no audit log)`);
    }
    const audit = await verifyAuditChain(db);
    const keys = await keyUsage({ store: { db, dialect: 'sqlite', description: file, close: async () => {} } });
    return { integrity, integrityMessages: integrity ? [] : messages, audit, keys };
  } finally {
    await db.destroy();
  }
}

/** `PRAGMA integrity_check` of an open store (SQLite), or null on PostgreSQL. */
export function integrityOf(store: Store): string[] | null {
  if (!store.sqlite) return null;
  return (store.sqlite.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Online backup of an open SQLite store to `out` (which must not exist), mode 0600, as one file in
 * rollback-journal mode; then checked read-only. Throws on PostgreSQL.
 */
export async function backupSqlite(store: Store, out: string): Promise<SqliteCheck> {
  if (!store.sqlite) throw new Error('online backup is for SQLite; back PostgreSQL up with pg_dump');
  if (existsSync(out)) throw new Error(`${out} already exists`);
  const partial = `${out}.partial`;
  rmSync(partial, { force: true });
  await store.sqlite.backup(partial);
  const copy = new SqliteDatabase(partial);
  try {
    // A WAL-mode copy would need its -wal/-shm beside it; a backup should be one file.
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  chmodSync(partial, 0o600);
  fsyncFile(partial);
  renameSync(partial, out);
  return checkSqliteFile(out);
}

export interface RestorePlan {
  /** Where the previous store went (with its -wal/-shm), or null when there was none. */
  replacedTo: string | null;
}

/**
 * Copies a checked backup to `target` (a SQLite file path). Refuses a backup that fails its checks,
 * and an existing target unless `force` (the old files are then renamed to `<target>.replaced-<stamp>`).
 * The server must be stopped: a running server keeps the old file open.
 */
export async function restoreSqlite(
  backup: string,
  target: string,
  options: { force?: boolean; stamp: string },
): Promise<{ check: SqliteCheck; plan: RestorePlan }> {
  const check = await checkSqliteFile(backup);
  if (!check.integrity)
    throw new Error(`the backup fails its integrity check: ${check.integrityMessages.slice(0, 3).join('; ')}`);
  if (!check.audit.ok) {
    throw new Error(`the backup's audit chain is broken at record ${check.audit.brokenAt}: ${check.audit.problem}`);
  }
  const exists = existsSync(target);
  if (exists && !options.force) throw new Error(`${target} exists: pass --force to replace it (it is kept aside)`);
  const incoming = `${target}.restoring`;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(backup, incoming);
  chmodSync(incoming, 0o600);
  fsyncFile(incoming);
  let replacedTo: string | null = null;
  if (exists) {
    replacedTo = `${target}.replaced-${options.stamp}`;
    // The -wal and -shm belong to the old file: they move with it, never stay beside the new one.
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(target + suffix)) renameSync(target + suffix, replacedTo + suffix);
    }
    renameSync(target, replacedTo);
  } else {
    for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  }
  renameSync(incoming, target);
  return { check, plan: { replacedTo } };
}

/** The commands for PostgreSQL, which pg_dump and pg_restore do better than we could. */
export function postgresBackupHelp(description: string, out: string): string {
  return [
    'PostgreSQL: back up with pg_dump (consistent snapshot, the server keeps running):',
    `  pg_dump --format=custom --no-owner --file='${out}' "$DATABASE_URL"      # ${description}`,
    'restore into an empty database, then check:',
    `  createdb shikaku_restored && pg_restore --no-owner --exit-on-error --dbname=postgres://…/shikaku_restored '${out}'`,
    '  DATABASE_URL=postgres://…/shikaku_restored npx shikaku audit verify',
    'Keep the keyring (SHIKAKU_KEY or shikaku.key) with the backup, stored separately: the dump cannot be read without it.',
  ].join('\n');
}
