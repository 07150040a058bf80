/**
 * The portal's card reader stand-in (POST /api/v1/me/card:sign) is public: the card is the credential.
 * A stranger must not tell a card id that exists from one that does not (issue #19 §6), and a server
 * with real readers switches the stand-in off (SHIKAKU_CARD_STANDIN=off).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { type DemoResult, loadDemo } from '../../src/services/demo.js';
import { openTestContext } from '../support/stores.js';

describe('POST /api/v1/me/card:sign', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-12-04T01:00:00Z'));
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    demo = await loadDemo(app, ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  async function wrongPin(cardId: string) {
    const { challenge } = (await app.inject({ url: '/api/v1/me/challenge' })).json();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/me/card:sign',
      payload: { cardId, challenge, pin: '0000' },
    });
    const body = response.json();
    return {
      status: response.statusCode,
      code: body.code,
      remainingTries: body.remainingTries,
      keys: Object.keys(body).sort(),
    };
  }

  it('answers an unknown card id exactly as a real card with a wrong PIN, down to the lock', async () => {
    const real = demo.cards.hanako ?? demo.cards.taro;
    expect(real).toBeDefined();
    const unknown = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const realAnswers = [];
    const unknownAnswers = [];
    for (let i = 0; i < 4; i++) {
      realAnswers.push(await wrongPin(real as string));
      unknownAnswers.push(await wrongPin(unknown));
    }
    expect(realAnswers.map((a) => a.code)).toEqual([
      'CARD_PIN_WRONG',
      'CARD_PIN_WRONG',
      'CARD_PIN_LOCKED',
      'CARD_PIN_LOCKED',
    ]);
    expect(unknownAnswers).toEqual(realAnswers);
  });

  it('is not served when the card stand-in is switched off', async () => {
    const before = process.env.SHIKAKU_CARD_STANDIN;
    process.env.SHIKAKU_CARD_STANDIN = 'off';
    const off = await buildApp({ ctx });
    try {
      const response = await off.inject({
        method: 'POST',
        url: '/api/v1/me/card:sign',
        payload: { cardId: demo.cards.taro, challenge: 'x', pin: '1234' },
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await off.close();
      if (before === undefined) delete process.env.SHIKAKU_CARD_STANDIN;
      else process.env.SHIKAKU_CARD_STANDIN = before;
    }
  });
});
