import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addKey,
  documentFromSecret,
  keyringFromDocument,
  keyringFromSecret,
  loadKeyring,
  loadKeyringSource,
  sealedKeyId,
  UnknownKeyError,
  writeKeyringFile,
} from './keyring.js';

describe('keyring', () => {
  const keyring = keyringFromSecret(Buffer.alloc(32, 1));

  it('encrypts with a fresh IV each time and decrypts back', () => {
    const a = keyring.encrypt('123456789018');
    const b = keyring.encrypt('123456789018');
    expect(a).not.toBe(b);
    expect(a).not.toContain('123456789018');
    expect(keyring.decrypt(a)).toBe('123456789018');
  });

  it('detects a tampered ciphertext', () => {
    const sealed = keyring.encrypt('123456789018').split(':');
    sealed[4] = Buffer.from('x23456789018').toString('base64');
    expect(() => keyring.decrypt(sealed.join(':'))).toThrow();
  });

  it('refuses a ciphertext sealed by another key', () => {
    const other = keyringFromSecret(Buffer.alloc(32, 2));
    expect(() => other.decrypt(keyring.encrypt('123456789018'))).toThrow(/sealed with key/);
  });

  it('gives a stable blind index per key', () => {
    expect(keyring.blindIndex('123456789018')).toBe(keyring.blindIndex('123456789018'));
    expect(keyring.blindIndex('123456789018')).not.toBe(
      keyringFromSecret(Buffer.alloc(32, 2)).blindIndex('123456789018'),
    );
  });

  it('creates the key file on first run with mode 0600 and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shikaku-key-')), 'sub', 'shikaku.key');
    const first = loadKeyring(file, {});
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadKeyring(file, {});
    expect(second.decrypt(first.encrypt('621498320257'))).toBe('621498320257');
  });

  it('takes SHIKAKU_KEY from the environment', () => {
    const hex = 'ab'.repeat(32);
    const fromEnv = loadKeyring('/nonexistent/never-created', { SHIKAKU_KEY: hex });
    expect(fromEnv.keyId).toBe(keyringFromSecret(Buffer.from(hex, 'hex')).keyId);
    expect(() => loadKeyring('/nonexistent', { SHIKAKU_KEY: 'short' })).toThrow(/32 bytes/);
  });
});

describe('keyring documents and rotation', () => {
  const secret = Buffer.alloc(32, 3);

  it('reads the one-secret case exactly as before: same key id, ciphertexts and index', () => {
    const legacy = keyringFromSecret(secret);
    const doc = keyringFromDocument(documentFromSecret(secret));
    expect(doc.keyId).toBe(legacy.keyId);
    expect(doc.keyIds).toEqual([legacy.keyId]);
    expect(doc.decrypt(legacy.encrypt('621498320257'))).toBe('621498320257');
    expect(doc.blindIndex('621498320257')).toBe(legacy.blindIndex('621498320257'));
  });

  it('seals with the new current key, opens both, and keeps the blind index', () => {
    const before = keyringFromDocument(documentFromSecret(secret));
    const old = before.encrypt('123456789018');
    const rotated = keyringFromDocument(addKey(documentFromSecret(secret), '2026-11-23T00:00:00.000Z'));
    expect(rotated.keyId).not.toBe(before.keyId);
    expect(rotated.keyIds).toEqual([before.keyId, rotated.keyId]);
    const fresh = rotated.encrypt('123456789018');
    expect(sealedKeyId(fresh)).toBe(rotated.keyId);
    expect(sealedKeyId(old)).toBe(before.keyId);
    expect(rotated.decrypt(old)).toBe('123456789018');
    expect(rotated.decrypt(fresh)).toBe('123456789018');
    expect(() => before.decrypt(fresh)).toThrow(UnknownKeyError);
    expect(rotated.blindIndex('123456789018')).toBe(before.blindIndex('123456789018'));
  });

  it('refuses a document whose key id does not match its secret, or whose current key is missing', () => {
    const doc = documentFromSecret(secret);
    const [key] = doc.keys;
    expect(() => keyringFromDocument({ ...doc, keys: [{ ...key!, id: 'deadbeef' }], current: 'deadbeef' })).toThrow(
      /does not match/,
    );
    expect(() => keyringFromDocument({ ...doc, current: 'deadbeef' })).toThrow(/not in the keyring/);
  });

  it('migrates a key file of the one-secret format on first load, keeping every key', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shikaku-key-')), 'shikaku.key');
    writeFileSync(file, `${secret.toString('hex')}\n`, { mode: 0o600 });
    const legacy = keyringFromSecret(secret);
    const sealed = legacy.encrypt('621498320257');
    const loaded = loadKeyringSource(file, {});
    expect(loaded.created).toBe(false);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'shikaku-keyring/1', current: legacy.keyId });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loaded.keyring.decrypt(sealed)).toBe('621498320257');
    expect(loaded.keyring.blindIndex('1')).toBe(legacy.blindIndex('1'));
  });

  it('creates a new key file with an index secret separate from the encryption key', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shikaku-key-')), 'shikaku.key');
    const source = loadKeyringSource(file, {});
    expect(source.created).toBe(true);
    expect(source.doc.index).not.toBe(source.doc.keys[0]?.secret);
    expect(loadKeyringSource(file, {}).created).toBe(false);
  });

  it('takes a keyring JSON from SHIKAKU_KEY, and SHIKAKU_KEY_FILE for the file', () => {
    const doc = addKey(documentFromSecret(secret), '2026-11-23T00:00:00.000Z');
    const fromEnv = loadKeyringSource('/nonexistent', { SHIKAKU_KEY: JSON.stringify(doc) });
    expect(fromEnv.origin).toBe('env');
    expect(fromEnv.keyring.keyId).toBe(doc.current);
    const file = join(mkdtempSync(join(tmpdir(), 'shikaku-key-')), 'elsewhere.json');
    writeKeyringFile(file, doc);
    expect(loadKeyringSource('/nonexistent', { SHIKAKU_KEY_FILE: file }).keyring.keyIds).toHaveLength(2);
  });

  it('a file-backed keyring opens values sealed with a key added to its file after it was loaded', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'shikaku-key-')), 'shikaku.key');
    const server = loadKeyring(file, {});
    const next = addKey(loadKeyringSource(file, {}).doc, '2026-11-23T00:00:00.000Z');
    writeKeyringFile(file, next);
    // Another mtime than the first write, even on coarse filesystems.
    utimesSync(file, new Date(), new Date(Date.now() + 2000));
    const sealed = keyringFromDocument(next).encrypt('621498320257');
    expect(server.decrypt(sealed)).toBe('621498320257');
    expect(server.keyIds).toContain(next.current);
  });
});
