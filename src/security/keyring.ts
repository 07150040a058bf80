import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { pooledRandomBytes } from './random.js';

/**
 * Secrets at rest (DESIGN.md §3.4): AES-256-GCM for My Numbers and private keys, and an HMAC blind
 * index so a person is found by My Number without decrypting anything.
 *
 * Two kinds of secret, because they age differently:
 * - the **index secret** keys the blind index (and the PIN pepper). It never rotates: every stored
 *   index and PIN hash depends on it, and a PIN hash cannot be recomputed.
 * - the **encryption keys** seal values. They rotate (`shikaku keys rotate`): a new key becomes
 *   current, old keys stay to open what they sealed until every value is re-encrypted. Each
 *   ciphertext names its key (`v1:<keyId>:iv:tag:body`), so decryption needs no guessing.
 *
 * A single 32-byte master secret (SHIKAKU_KEY, or the key file of earlier versions) is the one-key
 * case: it is both the index secret and the only encryption key, derived exactly as before.
 */
export interface Keyring {
  /** The key new ciphertexts are sealed with. */
  readonly keyId: string;
  /** Every key this keyring can open, oldest first. */
  readonly keyIds: readonly string[];
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
  blindIndex(value: string): string;
}

/** The keyring file (JSON, mode 0600). Secrets are 64 hex characters (32 bytes). */
export interface KeyringDocument {
  format: typeof FORMAT;
  /** Keys the blind index; never rotated. */
  index: string;
  /** Id of the key that seals new values. */
  current: string;
  keys: Array<{ id: string; secret: string; createdAt: string }>;
}

const VERSION = 'v1';
const FORMAT = 'shikaku-keyring/1';

function encryptionKey(secret: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'shikaku/aes-256-gcm', 32));
}

/** The id a secret's ciphertexts carry: 8 hex characters, derived so it cannot drift from the key. */
export function keyIdOf(secret: Buffer): string {
  return createHmac('sha256', secret).update('shikaku/key-id').digest('hex').slice(0, 8);
}

/** The key id embedded in a ciphertext, or null when the text is not one of ours. */
export function sealedKeyId(sealed: string): string | null {
  const [version, id] = sealed.split(':', 2);
  return version === VERSION && id ? id : null;
}

/** The prefix every ciphertext sealed by `keyId` starts with (for `LIKE 'v1:id:%'` scans). */
export function sealedPrefix(keyId: string): string {
  return `${VERSION}:${keyId}:`;
}

function decodeHex32(text: string, what: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new Error(`keyring: ${what} must be 64 hex characters`);
  return Buffer.from(text, 'hex');
}

/** The keyring a document describes; checks that each stored id matches its secret. */
export function keyringFromDocument(doc: KeyringDocument): Keyring {
  if (doc.format !== FORMAT) throw new Error(`keyring: unknown format ${String(doc.format)}`);
  const indexKey = Buffer.from(
    hkdfSync('sha256', decodeHex32(doc.index, 'index'), Buffer.alloc(0), 'shikaku/blind-index', 32),
  );
  const keys = new Map<string, Buffer>();
  for (const entry of doc.keys) {
    const secret = decodeHex32(entry.secret, `key ${entry.id}`);
    if (keyIdOf(secret) !== entry.id) throw new Error(`keyring: key ${entry.id} does not match its secret`);
    keys.set(entry.id, encryptionKey(secret));
  }
  const currentKey = keys.get(doc.current);
  if (!currentKey) throw new Error(`keyring: the current key ${doc.current} is not in the keyring`);
  const current = doc.current;
  const keyIds = Object.freeze([...keys.keys()]);
  return {
    keyId: current,
    keyIds,
    encrypt(plain) {
      const iv = pooledRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        VERSION,
        current,
        iv.toString('base64'),
        cipher.getAuthTag().toString('base64'),
        body.toString('base64'),
      ].join(':');
    },
    decrypt(sealed) {
      const [version, id, iv, tag, body] = sealed.split(':');
      const key = id === undefined ? undefined : keys.get(id);
      if (version !== VERSION || !key || !iv || !tag || body === undefined) {
        throw new UnknownKeyError(id ?? '?', keyIds);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
    blindIndex(value) {
      return createHmac('sha256', indexKey).update(value).digest('hex');
    },
  };
}

/** A ciphertext sealed by a key this keyring does not hold (or not a ciphertext at all). */
export class UnknownKeyError extends Error {
  constructor(
    readonly sealedWith: string,
    held: readonly string[],
  ) {
    super(`cannot decrypt: sealed with key ${sealedWith} (this keyring holds ${held.join(', ') || 'no key'})`);
    this.name = 'UnknownKeyError';
  }
}

/** The document of the one-key case: the master secret is the index secret and the only key. */
export function documentFromSecret(secret: Buffer, createdAt = new Date(0).toISOString()): KeyringDocument {
  if (secret.length !== 32) throw new Error('the master key must be 32 bytes');
  const hex = secret.toString('hex');
  const id = keyIdOf(secret);
  return { format: FORMAT, index: hex, current: id, keys: [{ id, secret: hex, createdAt }] };
}

/** One master secret: the blind index and the only encryption key derive from it (as in v0.1). */
export function keyringFromSecret(secret: Buffer): Keyring {
  return keyringFromDocument(documentFromSecret(secret));
}

/** A fresh keyring: a random index secret and one random encryption key. */
export function newKeyringDocument(createdAt: string): KeyringDocument {
  const doc: KeyringDocument = { format: FORMAT, index: randomBytes(32).toString('hex'), current: '', keys: [] };
  return addKey(doc, createdAt);
}

/** The document with a new random encryption key, made current. The index secret is kept. */
export function addKey(doc: KeyringDocument, createdAt: string): KeyringDocument {
  let secret = randomBytes(32);
  while (doc.keys.some((k) => k.id === keyIdOf(secret))) secret = randomBytes(32);
  const id = keyIdOf(secret);
  return { ...doc, current: id, keys: [...doc.keys, { id, secret: secret.toString('hex'), createdAt }] };
}

/** Parses SHIKAKU_KEY or a key file: a keyring JSON document, or a bare 32-byte secret (hex/base64). */
export function parseKeyringText(text: string, what = 'SHIKAKU_KEY'): { doc: KeyringDocument; legacy: boolean } {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let doc: KeyringDocument;
    try {
      doc = JSON.parse(trimmed) as KeyringDocument;
    } catch {
      throw new Error(`${what} is not valid keyring JSON`);
    }
    keyringFromDocument(doc); // validates
    return { doc, legacy: false };
  }
  const secret = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (secret.length !== 32) throw new Error(`${what} must be 32 bytes (64 hex characters or base64) or a keyring JSON`);
  return { doc: documentFromSecret(secret), legacy: true };
}

/**
 * Writes the keyring file atomically (temporary file, fsync, rename) with mode 0600, so a crash
 * leaves either the old or the new keyring, never half of one.
 */
export function writeKeyringFile(file: string, doc: KeyringDocument, options: { exclusive?: boolean } = {}): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (options.exclusive && existsSync(file)) throw new Error(`${file} already exists`);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(doc, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  try {
    const dirFd = openSync(dirname(file), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}

export interface KeyringSource {
  keyring: Keyring;
  doc: KeyringDocument;
  /** Where the keys come from: the environment cannot be written back by `keys rotate`. */
  origin: 'env' | 'file';
  file: string | null;
  /** The key file was created by this call (a first run). */
  created: boolean;
}

/**
 * Loads the keys: `SHIKAKU_KEY` (a 32-byte secret or a keyring JSON), else the keyring file
 * (`SHIKAKU_KEY_FILE`, else `keyFile`), created on first run with mode 0600. A key file of the
 * one-secret format is rewritten as a keyring document on first load (same keys, same index).
 */
export function loadKeyringSource(keyFile: string, env: NodeJS.ProcessEnv = process.env): KeyringSource {
  const fromEnv = env.SHIKAKU_KEY;
  if (fromEnv) {
    const { doc } = parseKeyringText(fromEnv);
    return { keyring: keyringFromDocument(doc), doc, origin: 'env', file: null, created: false };
  }
  const file = env.SHIKAKU_KEY_FILE || keyFile;
  let created = false;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    try {
      writeKeyringFile(file, newKeyringDocument(new Date().toISOString()), { exclusive: true });
      created = true;
    } catch (error) {
      if (!existsSync(file)) throw error; // else another process created it first: use theirs
    }
  }
  chmodSync(file, 0o600);
  const { doc, legacy } = parseKeyringText(readFileSync(file, 'utf8'), file);
  if (legacy) writeKeyringFile(file, doc);
  return { keyring: fileKeyring(file, doc), doc, origin: 'file', file, created };
}

export function loadKeyring(keyFile: string, env: NodeJS.ProcessEnv = process.env): Keyring {
  return loadKeyringSource(keyFile, env).keyring;
}

/** How often a file-backed keyring looks for a rotated key file before sealing. */
const RELOAD_INTERVAL_MS = 5_000;

/**
 * A keyring that follows its file: a running server meets values a concurrent `keys rotate` has
 * re-encrypted with a key it has not loaded yet, so an unknown key id triggers a reload; and it
 * starts sealing with the new current key within a few seconds of the rotation.
 */
function fileKeyring(file: string, initial: KeyringDocument): Keyring {
  let inner = keyringFromDocument(initial);
  let mtime = statSync(file).mtimeMs;
  let checkedAt = Date.now();
  const reload = (): boolean => {
    checkedAt = Date.now();
    let now: number;
    try {
      now = statSync(file).mtimeMs;
    } catch {
      return false; // the file went away: keep the keys we have
    }
    if (now === mtime) return false;
    const { doc } = parseKeyringText(readFileSync(file, 'utf8'), file);
    // Another index secret would silently break every lookup: keep serving with the keys we have.
    if (doc.index !== initial.index) throw new Error(`keyring: ${file} now holds another index secret`);
    inner = keyringFromDocument(doc);
    mtime = now;
    return true;
  };
  return {
    get keyId() {
      return inner.keyId;
    },
    get keyIds() {
      return inner.keyIds;
    },
    encrypt(plain) {
      if (Date.now() - checkedAt > RELOAD_INTERVAL_MS) {
        try {
          reload();
        } catch {
          // A half-edited or foreign file: keep sealing with the key we have, which is still valid.
        }
      }
      return inner.encrypt(plain);
    },
    decrypt(sealed) {
      try {
        return inner.decrypt(sealed);
      } catch (error) {
        if (error instanceof UnknownKeyError && reload()) return inner.decrypt(sealed);
        throw error;
      }
    },
    blindIndex(value) {
      return inner.blindIndex(value);
    },
  };
}
