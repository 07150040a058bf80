/**
 * Issue #19 §6 leftovers: a repeated query key answers problem+json with its own code on the JSON
 * API; the card stand-in can be switched off for production (its routes then answer 404).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeInsurer } from '../support/registry.js';
import { openTestContext } from '../support/stores.js';

describe('query keys and the card stand-in (issue #19 §6)', () => {
  let ctx: ServiceContext;
  let admin = '';
  let operator = '';
  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    const insurer = await makeInsurer(ctx);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    operator = (await createToken(ctx, { role: 'operator' })).token;
  });
  afterAll(() => ctx.store.close());

  it('answers ?asOf=a&asOf=b with QUERY_PARAMETER_REPEATED problem+json, on routes with and without a query schema', async () => {
    const app = await buildApp({ ctx });
    for (const url of [
      '/api/v1/members/00000000-0000-0000-0000-000000000000?asOf=2025-11-01&asOf=2025-12-01',
      '/api/v1/members?symbol=1&symbol=2',
      '/api/v1/notifications/jobs/x?a=1&a=1',
    ]) {
      const res = await app.inject({ url, headers: { authorization: `Bearer ${admin}` } });
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({
        code: 'QUERY_PARAMETER_REPEATED',
        ja: expect.any(String),
        en: expect.any(String),
      });
    }
    const once = await app.inject({ url: '/api/v1/members?symbol=1', headers: { authorization: `Bearer ${admin}` } });
    expect(once.statusCode).toBe(200);
    await app.close();
  });

  it('SHIKAKU_CARD_STANDIN=off removes the stand-in: known and unknown card ids answer the same 404', async () => {
    const on = await buildApp({ ctx });
    await on.inject({
      method: 'POST',
      url: '/api/v1/residents',
      headers: { authorization: `Bearer ${operator}` },
      payload: {
        myNumber: '123456789018',
        name: '協会 太郎',
        nameKana: 'キョウカイ タロウ',
        birthDate: '1989-10-01',
        sex: 'male',
        address: '東京都千代田区',
      },
    });
    const issued = await on.inject({
      method: 'POST',
      url: '/api/v1/cards',
      headers: { authorization: `Bearer ${operator}` },
      payload: { myNumber: '123456789018', issuedOn: '2024-06-03', pin: '1234' },
    });
    await on.close();
    expect(issued.statusCode).toBe(201);
    const cardId = (issued.json() as { cardId: string }).cardId;
    process.env.SHIKAKU_CARD_STANDIN = 'off';
    try {
      const off = await buildApp({ ctx });
      const answers = [];
      for (const id of [cardId, 'no-such-card']) {
        for (const who of [{}, { authorization: `Bearer ${operator}` }]) {
          const res = await off.inject({
            method: 'POST',
            url: `/api/v1/cards/${id}:sign`,
            headers: who,
            payload: { challenge: 'AAAA', pin: '0000' },
          });
          answers.push([res.statusCode, res.json().code]);
        }
      }
      expect(answers).toEqual(Array(4).fill([404, 'NOT_FOUND']));
      await off.close();
    } finally {
      delete process.env.SHIKAKU_CARD_STANDIN;
    }
  });
});
