import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyringFromSecret, loadKeyring } from './keyring.js';

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
    expect(keyring.blindIndex('123456789018')).not.toBe(keyringFromSecret(Buffer.alloc(32, 2)).blindIndex('123456789018'));
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
