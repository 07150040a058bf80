/**
 * The user-certificate PIN: 4 digits, locked after 3 wrong tries (RULES.md §4).
 *
 * Stored as `scrypt$N$r$p$salt$hash` (salt 16 random bytes). The scrypt input is not the PIN itself
 * but an HMAC of it under the keyring's index key: a 4-digit PIN has only 10,000 values, so no work
 * factor stops an offline search, while the keyed pepper makes a stolen database useless without the
 * master key. That lets the work factor stay small (N = 2^10, ~2.5 ms), so a bench can issue a
 * million cards; the lock after 3 tries is what protects the card online.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';

/** Wrong tries that lock the PIN (RULES.md §4). */
export const PIN_MAX_TRIES = 3;

const PIN = /^\d{4}$/;
const N = 1 << 10;
const R = 8;
const P = 1;
const LENGTH = 32;

export function isValidPin(pin: string): boolean {
  return PIN.test(pin);
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, LENGTH, { N: n, r, p }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function pepper(keyring: Keyring, pin: string): string {
  return keyring.blindIndex(`card-pin\u0000${pin}`);
}

export async function hashPin(keyring: Keyring, pin: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(pepper(keyring, pin), salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check of a PIN against its stored hash; false for a malformed hash. */
export async function verifyPin(keyring: Keyring, pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash || !isValidPin(pin)) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(pepper(keyring, pin), Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
