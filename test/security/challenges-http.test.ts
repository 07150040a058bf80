/**
 * Challenges over HTTP (issue 6 item 5; DESIGN.md §5.1): single use and valid 5 minutes, for the
 * JSON API, FHIR and the member portal; and the reception signer cannot be turned into a PIN-less
 * portal login. The service rules are tested in src/services/challenges.test.ts; here the whole
 * request path, with the clock moved.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { PURGE_BATCH } from '../../src/services/challenges.js';
import type { Clock, ServiceContext } from '../../src/services/context.js';
import { DEMO_PIN, type DemoResult, loadDemo } from '../../src/services/demo.js';
import { PORTAL_CHALLENGES_OPEN_MAX } from '../../src/services/portal-session.js';
import { fillChallenges } from '../support/challenges.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

const START = Date.parse('2026-11-23T01:00:00Z');
const MINUTE = 60_000;

describe.each(STORE_KINDS)('challenges over HTTP on %s', (kind) => {
  let now = START;
  const clock: Clock = { now: () => new Date(now) };
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;

  beforeAll(async () => {
    ctx = await openTestContext(kind, clock);
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    demo = await loadDemo(app, ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  async function challenge(): Promise<string> {
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/verifications/challenge',
      headers: as(demo.tokens.provider),
    });
    expect(response.statusCode).toBe(200);
    return response.json().challenge;
  }

  async function sign(c: string) {
    const response = await app.inject({
      method: 'POST',
      url: `/api/v1/cards/${demo.cards.taro}:sign`,
      headers: as(demo.tokens.provider),
      payload: { challenge: c, pin: DEMO_PIN },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { certificate: string; signature: string };
  }

  async function verify(c: string, signed: { certificate: string; signature: string }) {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: as(demo.tokens.provider),
      payload: {
        method: 'card',
        card: { certificate: signed.certificate, challenge: c, signature: signed.signature },
        identityCheck: 'pin',
        consent: { medication: true, healthCheckups: false, limitInfo: true },
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { outcome: string; reasons: Array<{ code: string }>; qualification: unknown };
  }

  it('a challenge answers once: the same signed challenge again is CHALLENGE_INVALID and names nobody', async () => {
    now = START;
    const c = await challenge();
    const signed = await sign(c);
    const first = await verify(c, signed);
    expect(first.outcome).toBe('eligible');
    const again = await verify(c, signed);
    expect(again).toMatchObject({ outcome: 'ineligible', qualification: null });
    expect(again.reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
  });

  it('a challenge is good for 5 minutes: at 4:59 it answers, at 6:00 it is stale', async () => {
    now = START;
    const fresh = await challenge();
    const stale = await challenge();
    const signedFresh = await sign(fresh);
    const signedStale = await sign(stale);
    now = START + 5 * MINUTE - 1000;
    expect((await verify(fresh, signedFresh)).outcome).toBe('eligible');
    now = START + 6 * MINUTE;
    const late = await verify(stale, signedStale);
    expect(late).toMatchObject({ outcome: 'ineligible', qualification: null });
    expect(late.reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
    now = START;
  });

  it('the FHIR $challenge is single use and expires alike', async () => {
    now = START;
    const issue = async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/fhir/R4/CoverageEligibilityRequest/$challenge',
        headers: as(demo.tokens.provider),
      });
      expect(response.statusCode).toBe(200);
      const value = response.json().parameter.find((p: { name: string }) => p.name === 'challenge');
      return value.valueBase64Binary as string;
    };
    const c = await issue();
    const signed = await sign(c);
    expect((await verify(c, signed)).outcome).toBe('eligible');
    expect((await verify(c, signed)).reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
    const stale = await issue();
    const signedStale = await sign(stale);
    now = START + 6 * MINUTE;
    expect((await verify(stale, signedStale)).reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
    now = START;
  });

  describe('member portal login', () => {
    async function portalChallenge(): Promise<string> {
      const response = await app.inject({ method: 'GET', url: '/api/v1/me/challenge' });
      expect(response.statusCode).toBe(200);
      return response.json().challenge;
    }
    async function portalSign(c: string) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/me/card:sign',
        payload: { cardId: demo.cards.taro, challenge: c, pin: DEMO_PIN },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { certificate: string; signature: string };
    }
    const session = (c: string, signed: { certificate: string; signature: string }) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/me/session',
        payload: { challenge: c, certificate: signed.certificate, signature: signed.signature },
      });

    it('a portal challenge opens one session only, and none once stale', async () => {
      now = START;
      const c = await portalChallenge();
      const signed = await portalSign(c);
      expect((await session(c, signed)).statusCode).toBe(201);
      const replay = await session(c, signed);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('AUTH_REQUIRED');

      const stale = await portalChallenge();
      const signedStale = await portalSign(stale);
      now = START + 6 * MINUTE;
      expect((await session(stale, signedStale)).statusCode).toBe(401);
      now = START;
    });

    it('a reception terminal cannot sign a portal challenge with a card it saw (no PIN-less portal login)', async () => {
      now = START;
      const c = await portalChallenge();
      for (const token of [demo.tokens.provider, demo.tokens.operator]) {
        const response = await app.inject({
          method: 'POST',
          url: `/api/v1/cards/${demo.cards.taro}:sign`,
          headers: as(token),
          payload: { challenge: c },
        });
        expect(response.statusCode, response.body).toBe(403);
        expect(response.json()).toMatchObject({ code: 'FORBIDDEN', details: { scope: 'challenge' } });
      }
      // Nor can a reception challenge, signed at the counter, open a portal session.
      const counter = await challenge();
      const signed = await sign(counter);
      const login = await session(counter, signed);
      expect(login.statusCode).toBe(401);
      expect(login.body).not.toContain('協会 太郎');
    });

    it('nobody can fill the table: at the cap of open portal challenges the route answers 429, coded', async () => {
      now = START + 10 * MINUTE;
      const count = async () =>
        Number(
          (
            await ctx.store.db
              .selectFrom('challenges')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      await fillChallenges(ctx, PORTAL_CHALLENGES_OPEN_MAX, { expiresAt: new Date(now + MINUTE).toISOString() });
      const full = await app.inject({ method: 'GET', url: '/api/v1/me/challenge' });
      expect(full.statusCode).toBe(429);
      expect(full.headers['content-type']).toContain('application/problem+json');
      expect(full.json()).toMatchObject({ code: 'RATE_LIMITED', details: { reason: 'PORTAL_CHALLENGES_FULL' } });
      // Every challenge of the earlier tests was stale by now, and went with the purge of that call.
      expect(await count()).toBe(PORTAL_CHALLENGES_OPEN_MAX);

      // A minute on they are stale: issuing purges a batch of them and a fresh challenge logs in.
      now += MINUTE + 1000;
      const c = await portalChallenge();
      expect(await count()).toBe(PORTAL_CHALLENGES_OPEN_MAX - PURGE_BATCH + 1);
      expect((await session(c, await portalSign(c))).statusCode).toBe(201);
      await ctx.store.db.deleteFrom('challenges').execute();
      now = START;
    });
  });
});
