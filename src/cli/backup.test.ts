import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreFile, shikaku } from '../../test/support/cli.js';
import { keyringFromSecret } from '../security/keyring.js';
import { backupSqlite, checkSqliteFile, restoreSqlite } from '../services/backup.js';
import { openStore } from '../store/db.js';

const SECRET = '51'.repeat(32);
const env = { SHIKAKU_KEY: SECRET };

function count(file: string, table: string): number {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('shikaku backup and restore (SQLite)', () => {
  let dir: string;
  let live: string;
  let members: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-backup-'));
    live = join(dir, 'live', 'shikaku.db');
    mkdirSync(join(dir, 'live'));
    await demoStoreFile(live, keyringFromSecret(Buffer.from(SECRET, 'hex')));
    members = count(live, 'members');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('backs up while the store is open and written to, into one checked file of mode 0600', async () => {
    const store = await openStore({ file: live });
    try {
      const out = join(dir, 'online.db');
      // A write in flight in the same process: the backup holds a consistent state either way.
      const writing = store.db.updateTable('insurers').set({ reissue_fee_yen: 700 }).execute();
      const check = await backupSqlite(store, out);
      await writing;
      expect(check).toMatchObject({ integrity: true, audit: { ok: true } });
      expect(statSync(out).mode & 0o777).toBe(0o600);
      expect(existsSync(`${out}-wal`)).toBe(false);
      expect(count(out, 'members')).toBe(members);
      await expect(backupSqlite(store, out)).rejects.toThrow(/already exists/);
    } finally {
      await store.close();
    }
  });

  it('backs up and restores through the CLI, refusing to overwrite without --force', async () => {
    const out = join(dir, 'cli-backup.db');
    const backup = await shikaku(['backup', '--out', out, '--db', live], env);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('integrity_check: ok');
    expect(backup.stdout).toMatch(/audit chain: intact, \d+ records/);
    expect(backup.stdout).toContain(`keys needed / 必要な鍵: ${keyringFromSecret(Buffer.from(SECRET, 'hex')).keyId}`);

    const target = join(dir, 'restored', 'shikaku.db');
    const restored = await shikaku(['restore', out, '--db', target], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('keys: the keyring holds every key the data needs');
    expect(count(target, 'members')).toBe(members);

    const again = await shikaku(['restore', out, '--db', target], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('pass --force');
    const forced = await shikaku(['restore', out, '--db', target, '--force'], env);
    expect(forced.code).toBe(0);
    const kept = /previous store is kept as (\S+)/.exec(forced.stdout)?.[1] ?? '';
    expect(existsSync(kept)).toBe(true);

    // Without the keyring the restore says which keys to bring.
    const bare = await shikaku(['restore', out, '--db', join(dir, 'bare', 'shikaku.db')]);
    expect(bare.code).toBe(1);
    expect(bare.stdout).toContain('copy the keyring kept with the backup there');
    expect(existsSync(join(dir, 'bare', 'shikaku.key'))).toBe(false);
  }, 90_000);

  it('refuses a backup whose audit chain was tampered with, leaving the target alone', async () => {
    const out = join(dir, 'tampered.db');
    const store = await openStore({ file: live });
    await backupSqlite(store, out);
    await store.close();
    const db = new SqliteDatabase(out);
    db.prepare("update audit_log set actor = 'operator:x' where seq = 2").run();
    db.close();
    expect((await checkSqliteFile(out)).audit).toMatchObject({ ok: false, brokenAt: 2 });
    const target = join(dir, 'never', 'shikaku.db');
    await expect(restoreSqlite(out, target, { stamp: 'x' })).rejects.toThrow(/audit chain is broken at record 2/);
    expect(existsSync(target)).toBe(false);
  });

  it('prints the pg_dump command for PostgreSQL and exits 2', async () => {
    const result = await shikaku([
      'backup',
      '--out',
      'x.dump',
      '--db',
      'postgres://shikaku:secret@db.example:5432/shikaku',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('pg_dump --format=custom');
    expect(result.stdout).toContain('postgres://db.example:5432/shikaku');
    expect(result.stdout).not.toContain('secret');
  }, 30_000);
});
