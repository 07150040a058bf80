import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shikaku } from '../../test/support/cli.js';
import { expiryFor } from './token.js';

const env = { SHIKAKU_KEY: '41'.repeat(32) };

describe('token expiry defaults', () => {
  const now = new Date('2026-11-23T00:00:00.000Z');
  it('gives member tokens 24 hours and provider tokens 90 days unless told otherwise', () => {
    expect(expiryFor('member', {}, now)).toBe('2026-11-24T00:00:00.000Z');
    expect(expiryFor('provider', {}, now)).toBe('2027-02-21T00:00:00.000Z');
    expect(expiryFor('admin', {}, now)).toBeUndefined();
    expect(expiryFor('operator', { expiresIn: '90m' }, now)).toBe('2026-11-23T01:30:00.000Z');
    expect(expiryFor('provider', { expiresIn: 'never' }, now)).toBeUndefined();
    expect(expiryFor('member', { expiresAt: '2026-12-01T09:00:00+09:00' }, now)).toBe('2026-12-01T00:00:00.000Z');
  });
  it('refuses a malformed lifetime, a bad instant, or both options', () => {
    expect(() => expiryFor('member', { expiresIn: '8 hours' }, now)).toThrow(/90m, 8h, 30d or never/);
    expect(() => expiryFor('member', { expiresIn: '0h' }, now)).toThrow();
    expect(() => expiryFor('member', { expiresAt: 'tomorrow' }, now)).toThrow();
    expect(() => expiryFor('member', { expiresAt: '2026-12-01T00:00:00Z', expiresIn: '8h' }, now)).toThrow(/not both/);
  });
});

describe('shikaku token create / list / revoke', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-token-cli-'));
    db = join(dir, 'shikaku.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists ids, roles, scopes and expiry but never a token, and revokes by id', async () => {
    const created = await shikaku(
      ['token', 'create', '--role', 'provider', '--provider', '1311234566', '--expires-in', '8h', '--db', db],
      env,
    );
    expect(created.code).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^shk_/);
    const id = /token (\S+) \(provider\) expires (\S+)/.exec(created.stderr);
    expect(id).not.toBeNull();
    const expires = new Date(id?.[2] ?? '').getTime() - Date.now();
    expect(expires).toBeGreaterThan(7.9 * 3_600_000);
    expect(expires).toBeLessThanOrEqual(8 * 3_600_000);
    const member = await shikaku(['token', 'create', '--role', 'member', '--member', 'm-1', '--db', db], env);
    expect(member.stderr).toMatch(/\(member\) expires \d{4}-/);

    const list = await shikaku(['token', 'list', '--db', db, '--json'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toContain('shk_');
    expect(list.stdout).not.toContain(token.slice(4));
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.role).sort()).toEqual(['member', 'provider']);
    expect(rows.find((r) => r.role === 'provider')).toMatchObject({
      id: id?.[1],
      providerCode: '1311234566',
      status: 'active',
    });
    for (const row of rows) expect(Object.keys(row)).not.toContain('tokenHash');

    const revoked = await shikaku(['token', 'revoke', id?.[1] ?? '', '--db', db], env);
    expect(revoked.code).toBe(0);
    expect((await shikaku(['token', 'revoke', id?.[1] ?? '', '--db', db], env)).code).toBe(1);
    const active = await shikaku(['token', 'list', '--db', db], env);
    expect(active.stdout).not.toContain(id?.[1]);
    const all = await shikaku(['token', 'list', '--db', db, '--all'], env);
    expect(all.stdout).toMatch(new RegExp(`${id?.[1]}\\s+provider\\s+revoked`));
    expect((await shikaku(['audit', 'verify', '--db', db], env)).code).toBe(0);
  }, 90_000);
});
