import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreFile, shikaku } from '../../test/support/cli.js';
import { keyringFromSecret } from '../security/keyring.js';

const KEY = '21'.repeat(32);

describe('shikaku audit verify', () => {
  let dir: string;
  let original: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-audit-cli-'));
    original = join(dir, 'original.db');
    await demoStoreFile(original, keyringFromSecret(Buffer.from(KEY, 'hex')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the store with one tampering applied through SQLite directly, as an intruder would. */
  function tampered(name: string, tamper: (db: SqliteDatabase.Database) => void): string {
    const file = join(dir, `${name}.db`);
    copyFileSync(original, file);
    const db = new SqliteDatabase(file);
    tamper(db);
    db.close();
    return file;
  }

  it('exits 0 on an intact chain and prints the records checked and the head to anchor', async () => {
    const result = await shikaku(['audit', 'verify', '--db', original]);
    expect(result.code).toBe(0);
    const records = Number(/intact: (\d+) records checked/.exec(result.stdout)?.[1]);
    expect(records).toBeGreaterThan(20);
    const head = /head (\d+):([0-9a-f]{64})/.exec(result.stdout);
    expect(Number(head?.[1])).toBe(records);
    const anchored = await shikaku(['audit', 'verify', '--db', original, '--anchor', `${head?.[1]}:${head?.[2]}`]);
    expect(anchored.code).toBe(0);
  }, 60_000);

  it.concurrent.each([
    [
      'a modified record',
      'record modified',
      7,
      (db: SqliteDatabase.Database) => db.prepare("update audit_log set detail = '{}' where seq = 7").run(),
    ],
    [
      'a deleted middle record',
      'sequence gap',
      5,
      (db: SqliteDatabase.Database) => db.prepare('delete from audit_log where seq = 5').run(),
    ],
    [
      'a deleted tail',
      'records removed from the end',
      null,
      (db: SqliteDatabase.Database) =>
        db.prepare('delete from audit_log where seq = (select max(seq) from audit_log)').run(),
    ],
    [
      'two records reordered',
      'broken link',
      3,
      (db: SqliteDatabase.Database) => {
        db.prepare('update audit_log set seq = -1 where seq = 3').run();
        db.prepare('update audit_log set seq = 3 where seq = 4').run();
        db.prepare('update audit_log set seq = 4 where seq = -1').run();
      },
    ],
  ])(
    'exits 1 on %s, naming the first broken record and why',
    async (name, problem, brokenAt, tamper) => {
      const file = tampered(name.replace(/\W+/g, '-'), tamper);
      const result = await shikaku(['audit', 'verify', '--db', file]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`BROKEN at record ${brokenAt ?? ''}`);
      expect(result.stdout).toContain(problem);
    },
    60_000,
  );

  it('refuses a malformed anchor', async () => {
    const result = await shikaku(['audit', 'verify', '--db', original, '--anchor', 'nonsense']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--anchor must be SEQ:HASH');
  });
});
