import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, LOGGER_OPTIONS } from '../src/http/app.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { type DemoResult, loadDemo } from '../src/services/demo.js';
import { openTestContext } from './support/stores.js';

describe('structured logs and OpenAPI', () => {
  let ctx: ServiceContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let demo: DemoResult;
  const lines: string[] = [];

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = await buildApp({ ctx, logger: { ...LOGGER_OPTIONS, level: 'info', stream } });
    // The demo sends names, kana, addresses and My Numbers through every registry and card route.
    demo = await loadDemo(app, ctx);
    await app.inject({
      method: 'GET',
      url: `/api/v1/members?kana=${encodeURIComponent('キョウカイ')}`,
      headers: { authorization: `Bearer ${demo.tokens.admin}` },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/notifications',
      headers: { authorization: `Bearer ${demo.tokens.admin}` },
      payload: { kind: 'acquisition', person: { myNumber: '123456789019', name: '誤記 太郎' } },
    });
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('logs requests as JSON lines', () => {
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((l) => l.includes('"path":"/api/v1/notifications"'))).toBe(true);
  });

  it('never logs a My Number, a name, a kana search or a token', async () => {
    const text = lines.join('\n');
    // A standalone run of 12 digits (fractions such as responseTime are preceded by a dot).
    expect(text).not.toMatch(/(?<![\d.])\d{12}(?!\d)/);
    const demoNumbers = await ctx.store.db.selectFrom('residents').select('my_number_enc').execute();
    expect(demoNumbers.length).toBeGreaterThan(5);
    for (const { my_number_enc } of demoNumbers) expect(text).not.toContain(ctx.keyring.decrypt(my_number_enc));
    for (const personal of ['協会', 'キョウカイ', '髙橋', '高橋', '霞が関', '誤記', encodeURIComponent('キョウカイ')]) {
      expect(text).not.toContain(personal);
    }
    for (const token of Object.values(demo.tokens)) expect(text).not.toContain(token);
  });

  it('serves the OpenAPI document generated from the request schemas, and its UI', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/verifications', '/api/v1/notifications', '/api/v1/insurers', '/api/v1/cards']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const verification = doc.paths['/api/v1/verifications'].post;
    expect(JSON.stringify(verification.requestBody)).toContain('identityCheck');
    expect((await app.inject({ method: 'GET', url: '/docs/' })).statusCode).toBe(200);
  });

  it('answers /healthz when the store answers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', store: 'sqlite' });
  });
});

describe('authentication comes before validation', () => {
  it('answers 401 to a caller without a token even when the body is malformed', async () => {
    const ctx = await openTestContext('sqlite');
    const app = await buildApp({ ctx });
    try {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/verifications',
        payload: { method: 'nonsense' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      expect(response.json().errors).toBeUndefined();
    } finally {
      await app.close();
      await ctx.store.close();
    }
  });
});
