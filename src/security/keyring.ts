import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Secrets at rest (DESIGN.md §3.4): AES-256-GCM for My Numbers and private keys, and an HMAC blind
 * index so a person is found by My Number without decrypting anything. Both keys derive from one
 * 32-byte master secret; the key id in each ciphertext allows rotation later.
 */
export interface Keyring {
  readonly keyId: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(value: string): string;
}

const VERSION = 'v1';

export function keyringFromSecret(secret: Buffer): Keyring {
  if (secret.length !== 32) throw new Error('the master key must be 32 bytes');
  const encKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'shikaku/aes-256-gcm', 32));
  const indexKey = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'shikaku/blind-index', 32));
  const keyId = createHmac('sha256', secret).update('shikaku/key-id').digest('hex').slice(0, 8);
  return {
    keyId,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
        ':',
      );
    },
    decrypt(sealed) {
      const [version, id, iv, tag, body] = sealed.split(':');
      if (version !== VERSION || id !== keyId || !iv || !tag || body === undefined) {
        throw new Error(`cannot decrypt: sealed with key ${id ?? '?'} (this keyring is ${keyId})`);
      }
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    blindIndex(value) {
      return createHmac('sha256', indexKey).update(value).digest('hex');
    },
  };
}

/**
 * The master key: `SHIKAKU_KEY` (64 hex chars or base64 of 32 bytes), else a key file that is
 * created on first run with mode 0600.
 */
export function loadKeyring(keyFile: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  const fromEnv = env.SHIKAKU_KEY;
  if (fromEnv) return keyringFromSecret(decodeSecret(fromEnv));
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(keyFile, 0o600);
  return keyringFromSecret(decodeSecret(readFileSync(keyFile, 'utf8').trim()));
}

function decodeSecret(text: string): Buffer {
  const secret = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (secret.length !== 32) throw new Error('SHIKAKU_KEY must be 32 bytes (64 hex characters or base64)');
  return secret;
}
