import { describe, expect, it } from 'vitest';
import { keyringFromSecret } from '../security/keyring.js';
import { hashPin, isValidPin, verifyPin } from './pin.js';

const keyring = keyringFromSecret(Buffer.alloc(32, 7));
const otherKeyring = keyringFromSecret(Buffer.alloc(32, 8));

describe('PIN', () => {
  it('is exactly 4 ASCII digits', () => {
    expect(isValidPin('0000')).toBe(true);
    expect(isValidPin('1234')).toBe(true);
    expect(isValidPin('123')).toBe(false);
    expect(isValidPin('12345')).toBe(false);
    expect(isValidPin('１２３４')).toBe(false);
    expect(isValidPin('12a4')).toBe(false);
  });

  it('is stored as a salted scrypt hash, never in plain', async () => {
    const a = await hashPin(keyring, '1234');
    const b = await hashPin(keyring, '1234');
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    expect(a).not.toContain('1234');
    expect(a).not.toBe(b); // a fresh salt each time
  });

  it('verifies the right PIN only, and only with the same master key (keyed pepper)', async () => {
    const stored = await hashPin(keyring, '0420');
    expect(await verifyPin(keyring, '0420', stored)).toBe(true);
    expect(await verifyPin(keyring, '0421', stored)).toBe(false);
    expect(await verifyPin(keyring, '420', stored)).toBe(false);
    expect(await verifyPin(otherKeyring, '0420', stored)).toBe(false);
    expect(await verifyPin(keyring, '0420', 'garbage')).toBe(false);
  });
});
