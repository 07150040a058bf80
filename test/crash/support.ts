/**
 * Crash-test harness: a store the test and a child `shikaku` process share (a SQLite file, or a fresh
 * PostgreSQL database), a child runner that can be SIGKILLed once the store shows some progress, and
 * the integrity checks a store must pass after any crash.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { keyringFromSecret } from '../../src/security/keyring.js';
import { type AuditVerification, verifyAuditChain } from '../../src/services/audit.js';
import { integrityOf } from '../../src/services/backup.js';
import { type ServiceContext, systemClock } from '../../src/services/context.js';
import { openStore } from '../../src/store/db.js';
import { BIN } from '../support/cli.js';
import { createTestDatabase, dropTestDatabase } from '../support/stores.js';

export const CRASH_KEY = '61'.repeat(32);

export interface CrashStore {
  kind: 'sqlite' | 'postgres';
  /** What `--db` takes: the SQLite file or the postgres:// URL. */
  db: string;
  /** Runs one SQL query returning rows (a separate connection from the child's). */
  query<T>(text: string): Promise<T[]>;
  /** A service context on the store (for setup and the audit chain). */
  context(): Promise<ServiceContext>;
  dispose(): Promise<void>;
}

export async function crashStore(kind: 'sqlite' | 'postgres'): Promise<CrashStore> {
  const keyring = keyringFromSecret(Buffer.from(CRASH_KEY, 'hex'));
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'shikaku-crash-'));
    const file = join(dir, 'shikaku.db');
    const contexts: ServiceContext[] = [];
    return {
      kind,
      db: file,
      async query<T>(text: string) {
        const reader = new SqliteDatabase(file, { readonly: true });
        try {
          return reader.prepare(text).all() as T[];
        } finally {
          reader.close();
        }
      },
      async context() {
        const ctx = { store: await openStore({ file }), keyring, clock: systemClock };
        contexts.push(ctx);
        return ctx;
      },
      async dispose() {
        for (const c of contexts) await c.store.close().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const { url, name } = await createTestDatabase('shikaku_crash');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const contexts: ServiceContext[] = [];
  return {
    kind,
    db: url,
    async query<T>(text: string) {
      return (await pool.query(text)).rows as T[];
    },
    async context() {
      const ctx = { store: await openStore({ databaseUrl: url }), keyring, clock: systemClock };
      contexts.push(ctx);
      return ctx;
    },
    async dispose() {
      for (const c of contexts) await c.store.close().catch(() => {});
      await pool.end();
      await dropTestDatabase(name);
    },
  };
}

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The progress count when the kill was sent (null when the child was left to finish). */
  killedAt: number | null;
}

/**
 * Runs `node bin/shikaku.js …args`. With `killWhen`, polls `progress()` every 25 ms and SIGKILLs the
 * child as soon as `killWhen(progress)` holds — the store has some of the work, not all of it.
 */
export function runShikaku(
  args: string[],
  options: { progress?: () => Promise<number>; killWhen?: (n: number) => boolean; env?: Record<string, string> } = {},
): Promise<ChildRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, SHIKAKU_KEY: CRASH_KEY, ...options.env };
  delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  let killedAt: number | null = null;
  let exited = false;
  const done = new Promise<ChildRun>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr, killedAt });
    });
  });
  if (options.progress && options.killWhen) {
    const { progress, killWhen } = options;
    const poll = async () => {
      while (!exited) {
        let n = 0;
        try {
          n = await progress();
        } catch {
          // The schema may not exist yet while the child migrates.
        }
        if (killWhen(n)) {
          killedAt = n;
          child.kill('SIGKILL');
          return;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    void poll();
  }
  return done;
}

export interface StoreHealth {
  /** SQLite `PRAGMA integrity_check` (["ok"] when sound); null on PostgreSQL. */
  integrity: string[] | null;
  /** SQLite `PRAGMA foreign_key_check` rows (none when sound); null on PostgreSQL. */
  foreignKeyViolations: number | null;
  audit: AuditVerification;
}

/** The checks a store must pass after a crash and a re-run. */
export async function storeHealth(store: CrashStore): Promise<StoreHealth> {
  const ctx = await store.context();
  const integrity = integrityOf(ctx.store);
  const foreignKeyViolations = ctx.store.sqlite
    ? (ctx.store.sqlite.pragma('foreign_key_check') as unknown[]).length
    : null;
  const audit = await verifyAuditChain(ctx.store.db);
  return { integrity, foreignKeyViolations, audit };
}
