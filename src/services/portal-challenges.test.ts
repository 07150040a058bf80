/**
 * Housekeeping and the cap of portal login challenges (issue #19 §6): the route is public, so issuing
 * purges stale challenges (a bounded batch per call) and refuses while too many are open at once.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fillChallenges } from '../../test/support/challenges.js';
import { movableClock } from '../../test/support/clock.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { systemActor } from './actor.js';
import { CHALLENGE_TTL_MS, issueChallenge, PURGE_BATCH } from './challenges.js';
import type { ServiceContext } from './context.js';
import { issuePortalChallenge, PORTAL_CHALLENGES_OPEN_MAX } from './portal-session.js';

const provider = systemActor('provider', { tokenId: 't-provider', providerCode: '1311234566' });

describe.each(STORE_KINDS)('portal challenges: purge and cap (%s)', (kind) => {
  let ctx: ServiceContext | undefined;
  let clock: ReturnType<typeof movableClock>;

  beforeEach(async () => {
    await ctx?.store.close();
    clock = movableClock('2026-11-23T01:00:00.000Z');
    ctx = await openTestContext(kind, clock);
  });
  afterAll(() => ctx?.store.close());

  const store = () => ctx as ServiceContext;
  const challengesLeft = async () =>
    (await store().store.db.selectFrom('challenges').select('challenge').execute()).map((r) => r.challenge);
  const iso = (offsetMs: number) => new Date(clock.now().getTime() + offsetMs).toISOString();

  it('issuing a portal challenge purges the stale ones of any kind, and the fresh one stays open', async () => {
    const oldPortal = await issuePortalChallenge(store());
    const oldReception = await issueChallenge(store(), provider);
    clock.advance(CHALLENGE_TTL_MS + 1);
    const fresh = await issuePortalChallenge(store());
    const left = await challengesLeft();
    expect(left).not.toContain(oldPortal.challenge);
    expect(left).not.toContain(oldReception.challenge);
    expect(left).toEqual([fresh.challenge]);
  });

  it('purges at most one batch per call, the oldest first, and catches up on the next calls', async () => {
    await fillChallenges(store(), PURGE_BATCH + 10, { expiresAt: iso(-60_000), prefix: 'stale-' });
    await fillChallenges(store(), 3, { expiresAt: iso(-120_000), prefix: 'older-' });
    await issuePortalChallenge(store());
    const left = await challengesLeft();
    expect(left.filter((c) => c.startsWith('older-'))).toEqual([]);
    expect(left.filter((c) => c.startsWith('stale-'))).toHaveLength(13);
    await issuePortalChallenge(store());
    expect((await challengesLeft()).filter((c) => c.startsWith('stale-'))).toEqual([]);
  });

  it(`refuses with RATE_LIMITED (PORTAL_CHALLENGES_FULL) at ${PORTAL_CHALLENGES_OPEN_MAX} open ones`, async () => {
    // Used ones and reception ones do not count: only one short of the cap is open.
    await fillChallenges(store(), PORTAL_CHALLENGES_OPEN_MAX - 1, { expiresAt: iso(60_000), prefix: 'open-' });
    await fillChallenges(store(), 5, { expiresAt: iso(60_000), usedAt: iso(0), prefix: 'used-' });
    await fillChallenges(store(), 5, { expiresAt: iso(60_000), providerCode: '1311234566', prefix: 'rcpt-' });
    await issuePortalChallenge(store());
    await expect(issuePortalChallenge(store())).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      details: { reason: 'PORTAL_CHALLENGES_FULL' },
    });
    // Once they expire, issuing works again (and the purge starts on them).
    clock.advance(60_000);
    const fresh = await issuePortalChallenge(store());
    expect(await challengesLeft()).toContain(fresh.challenge);
  });
});
