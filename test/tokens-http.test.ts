import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { Clock, ServiceContext } from '../src/services/context.js';
import { authenticate, createToken, listTokens, revokeToken } from '../src/services/tokens.js';
import { openTestStore, STORE_KINDS, testKeyring } from './support/stores.js';

/** A clock the test moves forward. */
function movableClock(start: string): Clock & { set(iso: string): void } {
  let now = new Date(start);
  return { now: () => new Date(now), set: (iso) => (now = new Date(iso)) };
}

describe.each(STORE_KINDS)('revoked and expired tokens on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const clock = movableClock('2026-11-23T00:00:00.000Z');
  beforeAll(async () => {
    ctx = { store: await openTestStore(kind), keyring: testKeyring, clock };
    app = await buildApp({ ctx });
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const challenge = (token: string) =>
    app.inject({
      method: 'GET',
      url: '/api/v1/verifications/challenge',
      headers: { authorization: `Bearer ${token}` },
    });

  it('answers 401 once a token is revoked, and audits the revocation', async () => {
    clock.set('2026-11-23T00:00:00.000Z');
    const { id, token } = await createToken(ctx, { role: 'provider', providerCode: '1311234566' });
    expect((await challenge(token)).statusCode).toBe(200);
    expect(await revokeToken(ctx, id)).toBe(true);
    expect(await authenticate(ctx, token)).toBeNull();
    const response = await challenge(token);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
    expect(await revokeToken(ctx, id)).toBe(false);
    const audit = await ctx.store.db.selectFrom('audit_log').selectAll().where('action', '=', 'token.revoke').execute();
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([{ tokenId: id }]);
  });

  it('answers 401 from the instant a token expires, not a millisecond before', async () => {
    clock.set('2026-11-23T00:00:00.000Z');
    const { token } = await createToken(ctx, {
      role: 'provider',
      providerCode: '1311234566',
      expiresAt: '2026-11-23T08:00:00.000Z',
    });
    clock.set('2026-11-23T07:59:59.999Z');
    expect((await challenge(token)).statusCode).toBe(200);
    expect(await authenticate(ctx, token)).not.toBeNull();
    clock.set('2026-11-23T08:00:00.000Z');
    expect((await challenge(token)).statusCode).toBe(401);
    expect(await authenticate(ctx, token)).toBeNull();
  });

  it('lists tokens by status without their values', async () => {
    clock.set('2026-11-23T09:00:00.000Z');
    const all = await listTokens(ctx, { all: true });
    expect(all.map((t) => t.status).sort()).toEqual(['expired', 'revoked']);
    expect(await listTokens(ctx)).toEqual([]);
    expect(JSON.stringify(all)).not.toContain('shk_');
  });
});
