import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movableClock } from '../../test/support/clock.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { systemActor } from './actor.js';
import { CHALLENGE_BYTES, consumeChallenge, issueChallenge, purgeChallenges } from './challenges.js';
import type { ServiceContext } from './context.js';

const PROVIDER = '1311234566';
const OTHER_PROVIDER = '1319876543';
const provider = systemActor('provider', { tokenId: 't-provider', providerCode: PROVIDER });

describe.each(STORE_KINDS)('challenges on %s', (kind) => {
  let ctx: ServiceContext;
  const clock = movableClock('2025-12-02T00:00:00.000Z');
  beforeAll(async () => {
    ctx = await openTestContext(kind, clock);
  });
  afterAll(() => ctx.store.close());

  it('issues 32 random bytes in base64, valid 5 minutes, stored unused', async () => {
    const issued = await issueChallenge(ctx, provider);
    expect(Buffer.from(issued.challenge, 'base64')).toHaveLength(CHALLENGE_BYTES);
    expect(Buffer.from(issued.challenge, 'base64').toString('base64')).toBe(issued.challenge);
    expect(issued.expiresAt).toBe(new Date(clock.now().getTime() + 5 * 60_000).toISOString());
    const row = await ctx.store.db
      .selectFrom('challenges')
      .selectAll()
      .where('challenge', '=', issued.challenge)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ provider_code: PROVIDER, used_at: null, expires_at: issued.expiresAt });
    const other = await issueChallenge(ctx, provider);
    expect(other.challenge).not.toBe(issued.challenge);
  });

  it('is used once only', async () => {
    const { challenge } = await issueChallenge(ctx, provider);
    expect(await consumeChallenge(ctx, challenge, PROVIDER)).toBe(true);
    expect(await consumeChallenge(ctx, challenge, PROVIDER)).toBe(false);
  });

  it('refuses an unknown challenge and one issued to another provider', async () => {
    expect(await consumeChallenge(ctx, Buffer.alloc(32, 1).toString('base64'), PROVIDER)).toBe(false);
    const { challenge } = await issueChallenge(ctx, provider);
    expect(await consumeChallenge(ctx, challenge, OTHER_PROVIDER)).toBe(false);
    // The failed attempt by the other provider does not burn it for the one it was issued to.
    expect(await consumeChallenge(ctx, challenge, PROVIDER)).toBe(true);
  });

  it('works up to 5 minutes and is stale from then on', async () => {
    const a = await issueChallenge(ctx, provider);
    const b = await issueChallenge(ctx, provider);
    clock.advance(5 * 60_000 - 1);
    expect(await consumeChallenge(ctx, a.challenge, PROVIDER)).toBe(true);
    clock.advance(1);
    expect(await consumeChallenge(ctx, b.challenge, PROVIDER)).toBe(false);
    const c = await issueChallenge(ctx, provider);
    clock.advance(6 * 60_000);
    expect(await consumeChallenge(ctx, c.challenge, PROVIDER)).toBe(false);
  });

  it('lets exactly one of many concurrent uses win', async () => {
    const { challenge } = await issueChallenge(ctx, provider);
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeChallenge(ctx, challenge, PROVIDER)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('is for providers only', async () => {
    await expect(issueChallenge(ctx, systemActor('admin', { insurerNumber: '06139992' }))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(issueChallenge(ctx, systemActor('provider'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('purges expired challenges only', async () => {
    const fresh = await issueChallenge(ctx, provider);
    const now = clock.now().toISOString();
    const removed = await purgeChallenges(ctx, now);
    expect(removed).toBeGreaterThan(0);
    const left = await ctx.store.db.selectFrom('challenges').select(['challenge', 'expires_at']).execute();
    expect(left.map((r) => r.challenge)).toContain(fresh.challenge);
    for (const r of left) expect(r.expires_at >= now).toBe(true);
  });
});
