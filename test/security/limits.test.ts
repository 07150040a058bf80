/**
 * Abuse limits (issue 6 item 5; src/http/limits.ts): a rate limit per token (not per address: a
 * hospital's terminals share one) on the per-patient routes, answered 429 RATE_LIMITED with
 * Retry-After; per-route body limits answered 413 BODY_TOO_LARGE.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, routeTable } from '../../src/http/app.js';
import {
  BATCH_RATE_LIMITED_ROUTES,
  BODY_LIMITS,
  DEFAULT_VERIFY_PER_MINUTE,
  RATE_LIMITED_ROUTES,
  verifyRateFromEnv,
} from '../../src/http/limits.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { DEMO_PIN, DEMO_PROVIDER, type DemoResult, loadDemo } from '../../src/services/demo.js';
import { createToken } from '../../src/services/tokens.js';
import { openTestContext } from '../support/stores.js';

const KiB = 1024;

describe('the limits table', () => {
  it('names registered routes only', async () => {
    const ctx = await openTestContext('sqlite');
    const app = await buildApp({ ctx, limits: { verifyPerMinute: 1 } });
    const registered = new Set(routeTable(app).map((r) => `${r.method} ${r.url}`));
    await app.close();
    await ctx.store.close();
    expect(RATE_LIMITED_ROUTES.filter((k) => !registered.has(k))).toEqual([]);
    expect(BATCH_RATE_LIMITED_ROUTES.filter((k) => !registered.has(k))).toEqual([]);
    expect(Object.keys(BODY_LIMITS).filter((k) => !registered.has(k))).toEqual([]);
  });

  it('reads SHIKAKU_RATE_LIMIT_VERIFY: default 600 a minute, 0 disables, anything else is refused', () => {
    expect(verifyRateFromEnv({})).toBe(DEFAULT_VERIFY_PER_MINUTE);
    expect(DEFAULT_VERIFY_PER_MINUTE).toBe(600);
    expect(verifyRateFromEnv({ SHIKAKU_RATE_LIMIT_VERIFY: '' })).toBe(600);
    expect(verifyRateFromEnv({ SHIKAKU_RATE_LIMIT_VERIFY: '0' })).toBe(0);
    expect(verifyRateFromEnv({ SHIKAKU_RATE_LIMIT_VERIFY: ' 120 ' })).toBe(120);
    for (const bad of ['-1', '1.5', 'lots', '1e3']) {
      expect(() => verifyRateFromEnv({ SHIKAKU_RATE_LIMIT_VERIFY: bad }), bad).toThrow(/SHIKAKU_RATE_LIMIT_VERIFY/);
    }
  });
});

describe('rate limits', () => {
  const LIMIT = 3;
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  let terminal2 = '';

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    // The demo loads with the limit off (it is many calls by one token), then the app under test.
    const loader = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    demo = await loadDemo(loader, ctx);
    await loader.close();
    app = await buildApp({ ctx, limits: { verifyPerMinute: LIMIT } });
    terminal2 = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const get = (url: string, token?: string) =>
    app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (url: string, token: string | undefined, payload?: unknown) =>
    app.inject({
      method: 'POST',
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  function expectLimited(response: LightMyRequestResponse): void {
    expect(response.statusCode, response.body).toBe(429);
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers['x-ratelimit-limit']).toBe(String(LIMIT));
  }

  it('answers the challenge route LIMIT times a minute per token, then 429 RATE_LIMITED problem+json', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const ok = await get('/api/v1/verifications/challenge', demo.tokens.provider);
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1 - i));
    }
    const limited = await get('/api/v1/verifications/challenge', demo.tokens.provider);
    expectLimited(limited);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED', ja: expect.any(String) });
    // The wait in whole seconds, in each language's own words (not 「1 minute後に」).
    const { ja, en, details } = limited.json() as { ja: string; en: string; details: { retryAfterSeconds: number } };
    expect(ja).toBe(`リクエストが多すぎます：${details.retryAfterSeconds}秒後に再試行してください`);
    expect(en).toBe(`Too many requests: retry in ${details.retryAfterSeconds} s`);
  });

  it('keys by token, not by address: another terminal of the same hospital (same IP) still works', async () => {
    const other = await get('/api/v1/verifications/challenge', terminal2);
    expect(other.statusCode).toBe(200);
  });

  it('counts each limited route on its own: the limited terminal may still verify by number', async () => {
    const ichiro = demo.members.find((m) => m.key === 'ichiro');
    const response = await post('/api/v1/verifications', demo.tokens.provider, {
      method: 'number',
      asOf: '2025-12-01',
      document: 'legacy_card',
      insurerNumber: '06139992',
      symbol: ichiro?.symbol,
      number: ichiro?.number,
      branch: ichiro?.branch,
      birthDate: '1975-06-15',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().outcome).toBe('eligible');
  });

  it('gives a batch of up to 1,000 checks a hundredth of the budget (at least one a minute)', async () => {
    const token = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER })).token;
    const ichiro = demo.members.find((m) => m.key === 'ichiro');
    const item = {
      ref: 'r1',
      method: 'number',
      asOf: '2025-12-01',
      document: 'legacy_card',
      insurerNumber: '06139992',
      symbol: ichiro?.symbol,
      number: ichiro?.number,
      branch: ichiro?.branch,
      birthDate: '1975-06-15',
    };
    const first = await post('/api/v1/verifications:batch', token, { items: [item] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['x-ratelimit-limit']).toBe('1');
    const second = await post('/api/v1/verifications:batch', token, { items: [item] });
    expect(second.statusCode).toBe(429);
    expect(second.json()).toMatchObject({ code: 'RATE_LIMITED' });
  });

  it("limits the card's :sign route per token", async () => {
    const c = await get('/api/v1/verifications/challenge', terminal2);
    const { challenge } = c.json();
    for (let i = 0; i < LIMIT; i++) {
      const signed = await post(`/api/v1/cards/${demo.cards.taro}:sign`, terminal2, { challenge, pin: DEMO_PIN });
      expect(signed.statusCode, signed.body).toBe(200);
    }
    expectLimited(await post(`/api/v1/cards/${demo.cards.taro}:sign`, terminal2, { challenge, pin: DEMO_PIN }));
  });

  it('limits FHIR $challenge and $submit, answered as an OperationOutcome (throttled)', async () => {
    const token = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER })).token;
    for (let i = 0; i < LIMIT; i++) {
      expect((await post('/fhir/R4/CoverageEligibilityRequest/$challenge', token)).statusCode).toBe(200);
    }
    const limited = await post('/fhir/R4/CoverageEligibilityRequest/$challenge', token);
    expectLimited(limited);
    expect(limited.headers['content-type']).toMatch(/^application\/fhir\+json/);
    expect(limited.json().issue[0]).toMatchObject({
      code: 'throttled',
      details: { coding: [{ code: 'RATE_LIMITED' }] },
    });
    for (let i = 0; i < LIMIT; i++) await post('/fhir/R4/CoverageEligibilityRequest/$submit', token, {});
    expectLimited(await post('/fhir/R4/CoverageEligibilityRequest/$submit', token, {}));
  });

  it('keys a request without a valid token by address (the public portal challenge)', async () => {
    const from = (ip: string) => app.inject({ method: 'GET', url: '/api/v1/me/challenge', remoteAddress: ip });
    for (let i = 0; i < LIMIT; i++) expect((await from('203.0.113.7')).statusCode).toBe(200);
    expectLimited(await from('203.0.113.7'));
    expect((await from('203.0.113.8')).statusCode).toBe(200);
  });

  it('leaves other routes alone', async () => {
    for (let i = 0; i < LIMIT + 2; i++) {
      const response = await get('/api/v1/whoami', demo.tokens.provider);
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
  });
});

describe('rate limits off and from the environment', () => {
  let ctx: ServiceContext;
  let provider = '';
  const saved = process.env.SHIKAKU_RATE_LIMIT_VERIFY;

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    provider = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER })).token;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.SHIKAKU_RATE_LIMIT_VERIFY;
    else process.env.SHIKAKU_RATE_LIMIT_VERIFY = saved;
  });
  afterAll(async () => {
    await ctx.store.close();
  });

  async function statuses(app: FastifyInstance, n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = await app.inject({
        method: 'GET',
        url: '/api/v1/verifications/challenge',
        headers: { authorization: `Bearer ${provider}` },
      });
      out.push(r.statusCode);
    }
    await app.close();
    return out;
  }

  it('0 disables the limit', async () => {
    process.env.SHIKAKU_RATE_LIMIT_VERIFY = '0';
    expect(await statuses(await buildApp({ ctx }), 8)).toEqual(Array(8).fill(200));
  });

  it('a value in the environment sets it', async () => {
    process.env.SHIKAKU_RATE_LIMIT_VERIFY = '2';
    expect(await statuses(await buildApp({ ctx }), 3)).toEqual([200, 200, 429]);
  });
});

describe('body limits', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER })).token;
    tokens.admin = (await createToken(ctx, { role: 'admin', insurerNumber: '06139992' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  /** A JSON body of about `bytes` bytes: an object (or array) padded with one long string. */
  function padded(bytes: number, shape: 'object' | 'array' = 'object'): string {
    const pad = 'x'.repeat(bytes);
    return shape === 'array' ? JSON.stringify([{ pad }]) : JSON.stringify({ method: 'number', pad });
  }
  const send = (url: string, token: string, body: string, type = 'application/json') =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': type },
      payload: body,
    });

  it('refuses a verification over 64 KiB with 413 BODY_TOO_LARGE, and reads one just under it', async () => {
    const over = await send('/api/v1/verifications', tokens.provider ?? '', padded(64 * KiB + 1));
    expect(over.statusCode).toBe(413);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.json()).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    const under = await send('/api/v1/verifications', tokens.provider ?? '', padded(60 * KiB));
    expect(under.statusCode).toBe(400); // read, then refused by the schema
  });

  it('refuses a notification over 256 KiB, a FHIR eligibility request over 64 KiB (OperationOutcome)', async () => {
    const notification = await send('/api/v1/notifications', tokens.admin ?? '', padded(256 * KiB + 1));
    expect(notification.statusCode).toBe(413);
    expect(notification.json().code).toBe('BODY_TOO_LARGE');
    expect((await send('/api/v1/notifications', tokens.admin ?? '', padded(200 * KiB))).statusCode).toBe(400);
    const fhir = await send(
      '/fhir/R4/CoverageEligibilityRequest/$submit',
      tokens.provider ?? '',
      padded(64 * KiB + 1),
      'application/fhir+json',
    );
    expect(fhir.statusCode).toBe(413);
    expect(fhir.json().issue[0]).toMatchObject({ code: 'too-long', details: { coding: [{ code: 'BODY_TOO_LARGE' }] } });
  });

  it('lets a batch or a CSV upload be large (up to 8 MiB), not larger', async () => {
    const batch = await send('/api/v1/notifications:batch', tokens.admin ?? '', padded(1024 * KiB, 'array'));
    expect(batch.statusCode).toBe(200); // read, every row refused on its own
    expect(batch.json()).toMatchObject({ accepted: 0, rejected: 1 });
    const huge = await send('/api/v1/notifications:batch', tokens.admin ?? '', padded(8 * 1024 * KiB, 'array'));
    expect(huge.statusCode).toBe(413);
    const csv = await send(
      '/api/v1/notifications:import',
      tokens.admin ?? '',
      'x'.repeat(8 * 1024 * KiB + 1),
      'text/csv',
    );
    expect(csv.statusCode).toBe(413);
    expect(csv.json().code).toBe('BODY_TOO_LARGE');
  });
});
