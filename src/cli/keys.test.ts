import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoStoreFile, shikaku } from '../../test/support/cli.js';
import {
  addKey,
  type KeyringDocument,
  keyringFromDocument,
  keyringFromSecret,
  writeKeyringFile,
} from '../security/keyring.js';

const SECRET = Buffer.alloc(32, 0x31);

/** Key ids of every sealed value of the file, counted. */
function keyIdsIn(file: string): Record<string, number> {
  const db = new SqliteDatabase(file, { readonly: true });
  const counts: Record<string, number> = {};
  for (const [table, column] of [
    ['members', 'my_number_enc'],
    ['residents', 'my_number_enc'],
    ['cards', 'private_key_enc'],
    ['ca', 'private_key_enc'],
  ] as const) {
    for (const row of db.prepare(`select ${column} as v from ${table} where ${column} is not null`).all() as Array<{
      v: string;
    }>) {
      const id = row.v.split(':')[1] ?? '?';
      counts[id] = (counts[id] ?? 0) + 1;
    }
  }
  db.close();
  return counts;
}

describe('shikaku keys', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-keys-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates a key file of the old one-secret format: migrates it, adds a key, re-encrypts, resumes', async () => {
    const data = join(dir, 'file');
    mkdirSync(data);
    const db = join(data, 'shikaku.db');
    const keyFile = join(data, 'shikaku.key');
    await demoStoreFile(db, keyringFromSecret(SECRET));
    writeFileSync(keyFile, `${SECRET.toString('hex')}\n`, { mode: 0o600 });
    const oldId = keyringFromSecret(SECRET).keyId;
    const total = Object.values(keyIdsIn(db)).reduce((a, b) => a + b, 0);
    expect(keyIdsIn(db)).toEqual({ [oldId]: total });

    const rotated = await shikaku(['keys', 'rotate', '--db', db, '--batch', '3']);
    expect(rotated.code).toBe(0);
    const doc = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyringDocument;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(doc.keys.map((k) => k.id)).toEqual([oldId, doc.current]);
    expect(doc.index).toBe(SECRET.toString('hex'));
    expect(rotated.stdout).toContain(`new current key: ${doc.current}`);
    expect(rotated.stdout).toContain(`${total} values re-encrypted with key ${doc.current}, 0 still on an older key`);
    expect(keyIdsIn(db)).toEqual({ [doc.current]: total });
    // No secret is ever printed.
    for (const k of doc.keys) expect(rotated.stdout + rotated.stderr).not.toContain(k.secret);

    // What a rotation killed after writing its key file looks like: a new key, values on the old one.
    const next = addKey(doc, '2026-11-23T02:00:00.000Z');
    writeKeyringFile(keyFile, next);
    const resumed = await shikaku(['keys', 'rotate', '--db', db]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming: ${total} values are still on an older key`);
    expect(keyIdsIn(db)).toEqual({ [next.current]: total });
    expect((JSON.parse(readFileSync(keyFile, 'utf8')) as KeyringDocument).keys).toHaveLength(3);

    const list = await shikaku(['keys', 'list', '--db', db]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${next.current} (current)`);
    expect(list.stdout).toContain(`members.my_number_enc: ${next.current}=`);

    const pruned = await shikaku(['keys', 'prune', '--db', db]);
    expect(pruned.stdout).toContain(`removed / 削除: ${oldId}, ${doc.current}`);
    const left = JSON.parse(readFileSync(keyFile, 'utf8')) as KeyringDocument;
    expect(left.keys.map((k) => k.id)).toEqual([next.current]);
    // The index secret survives every rotation and prune: lookups still find the demo people.
    expect(keyringFromDocument(left).blindIndex('x')).toBe(keyringFromSecret(SECRET).blindIndex('x'));
    const served = await shikaku(['token', 'list', '--db', db]);
    expect(served.code).toBe(0);
  }, 90_000);

  it('with SHIKAKU_KEY, writes the extended keyring for the operator, then re-encrypts once it is in place', async () => {
    const data = join(dir, 'env');
    mkdirSync(data);
    const db = join(data, 'shikaku.db');
    await demoStoreFile(db, keyringFromSecret(SECRET));
    const env = { SHIKAKU_KEY: SECRET.toString('hex') };
    const refused = await shikaku(['keys', 'rotate', '--db', db], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--keyring-out');
    expect(existsSync(join(data, 'shikaku.key'))).toBe(false);

    const out = join(data, 'new-keyring.json');
    const written = await shikaku(['keys', 'rotate', '--db', db, '--keyring-out', out], env);
    expect(written.code).toBe(0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as KeyringDocument;
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(Object.keys(keyIdsIn(db))).toEqual([keyringFromSecret(SECRET).keyId]);

    const finished = await shikaku(['keys', 'rotate', '--db', db], { SHIKAKU_KEY: readFileSync(out, 'utf8') });
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('resuming');
    expect(Object.keys(keyIdsIn(db))).toEqual([doc.current]);
  }, 90_000);

  it('refuses to open a store with data under a keyring created just now, and leaves no key file', async () => {
    const data = join(dir, 'lost');
    mkdirSync(data);
    const db = join(data, 'shikaku.db');
    await demoStoreFile(db, keyringFromSecret(SECRET));
    const result = await shikaku(['token', 'list', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the keyring does not hold key');
    expect(existsSync(join(data, 'shikaku.key'))).toBe(false);
  }, 60_000);
});
