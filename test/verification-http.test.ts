import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { residentSchema } from '../src/contract/residents.js';
import { buildApp } from '../src/http/app.js';
import { systemActor } from '../src/services/actor.js';
import { issueCard, registerCard } from '../src/services/cards.js';
import type { ServiceContext } from '../src/services/context.js';
import { createInsurer } from '../src/services/insurers.js';
import { issueLegacyCard } from '../src/services/legacy-cards.js';
import { parseNotification, submitNotification } from '../src/services/registry.js';
import { upsertResident } from '../src/services/residents.js';
import { createToken } from '../src/services/tokens.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const INSURER = '06139992';
const PROVIDER = '1311234566';
const MY_NUMBER = testMyNumber(8101);
const PERSON = {
  myNumber: MY_NUMBER,
  name: '協会 太郎',
  nameKana: 'キョウカイ タロウ',
  birthDate: '1989-10-01',
  sex: 'male',
  address: '東京都千代田区霞が関1-2-2',
};

const numberBody = {
  method: 'number',
  asOf: '2025-12-02',
  document: 'legacy_card',
  insurerNumber: INSURER,
  symbol: '1234',
  number: '567',
  branch: '00',
  birthDate: '1989-10-01',
};

describe.each(STORE_KINDS)('verification API on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let provider = '';
  let admin = '';
  let cardId = '';
  const bodies: string[] = [];

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  async function verifyHttp(payload: unknown, token = provider) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: auth(token),
      payload: payload as object,
    });
    bodies.push(res.body);
    return res;
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    const operator = systemActor('operator');
    const adminActor = systemActor('admin', { insurerNumber: INSURER });
    await createInsurer(ctx, operator, {
      insurerNumber: INSURER,
      name: 'シカク健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    await upsertResident(ctx, operator, residentSchema.parse(PERSON));
    const { result } = await submitNotification(
      ctx,
      adminActor,
      parseNotification({
        kind: 'acquisition',
        insurerNumber: INSURER,
        recordedOn: '2024-10-01',
        symbol: '1234',
        number: '567',
        acquiredOn: '2012-04-01',
        standardMonthlyRemuneration: 300_000,
        person: PERSON,
      }),
    );
    await issueLegacyCard(ctx, adminActor, result.memberId, { issuedOn: '2024-04-01' });
    cardId = (await issueCard(ctx, operator, { myNumber: MY_NUMBER, issuedOn: '2024-06-03', pin: '1234' })).cardId;
    await registerCard(ctx, operator, cardId, { recordedOn: '2024-06-03', channel: 'reader' });
    provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('GET /api/v1/verifications/challenge', () => {
    it('gives a provider 32 random bytes in base64, valid 5 minutes', async () => {
      const res = await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: auth(provider) });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['challenge', 'expiresAt']);
      expect(Buffer.from(body.challenge, 'base64')).toHaveLength(32);
      expect(body.expiresAt).toBe('2025-11-21T01:05:00.000Z');
    });

    it('answers 401 without a token and 403 to another role, as problem+json', async () => {
      const anonymous = await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED', status: 401 });
      const wrongRole = await app.inject({
        method: 'GET',
        url: '/api/v1/verifications/challenge',
        headers: auth(admin),
      });
      expect(wrongRole.statusCode).toBe(403);
      expect(wrongRole.json()).toMatchObject({ code: 'FORBIDDEN' });
    });
  });

  describe('POST /api/v1/verifications', () => {
    it('answers a card verification 200 eligible, with the §5.1 shape', async () => {
      const { challenge } = (
        await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: auth(provider) })
      ).json();
      const signed = await app.inject({
        method: 'POST',
        url: `/api/v1/cards/${cardId}:sign`,
        headers: auth(provider),
        payload: { challenge, pin: '1234' },
      });
      expect(signed.statusCode).toBe(200);
      const { certificate, signature } = signed.json();
      const res = await verifyHttp({
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate, challenge, signature },
        identityCheck: 'pin',
        consent: { medication: true, healthCheckups: false, limitInfo: true },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['fallbacks', 'outcome', 'qualification', 'reasons', 'verificationId']);
      expect(body).toMatchObject({
        outcome: 'eligible',
        reasons: [],
        fallbacks: [],
        qualification: {
          insurerNumber: INSURER,
          insurerName: 'シカク健康保険組合',
          symbol: '1234',
          number: '567',
          branch: '00',
          relationship: 'insured',
          name: '協会 太郎',
          nameKana: 'キョウカイ タロウ',
          birthDate: '1989-10-01',
          sex: 'male',
          acquiredOn: '2012-04-01',
          lostOn: null,
          burdenRatio: 30,
          limitCategory: 'ウ',
          specificDisease: [],
        },
      });

      // The same challenge again: still 200, answered CHALLENGE_INVALID.
      const replay = await verifyHttp({
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate, challenge, signature },
        identityCheck: 'pin',
      });
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toMatchObject({
        outcome: 'ineligible',
        qualification: null,
        reasons: [{ code: 'CHALLENGE_INVALID' }],
      });
    });

    it('answers every outcome 200 with coded, bilingual reasons and fallbacks', async () => {
      const expired = await verifyHttp({ ...numberBody, asOf: '2026-04-01' });
      expect(expired.statusCode).toBe(200);
      const body = expired.json();
      expect(body.outcome).toBe('ineligible');
      expect(body.qualification).toBeNull();
      expect(body.reasons).toEqual([
        { code: 'LEGACY_CARD_EXPIRED', ja: expect.stringMatching(/健康保険証/), en: expect.any(String) },
      ]);
      expect(body.fallbacks.map((f: { code: string }) => f.code)).toEqual([
        'SHOW_CERTIFICATE',
        'SHOW_PORTAL_SCREEN',
        'APPLY_CERTIFICATE',
      ]);
      const temporary = (await verifyHttp(numberBody)).json();
      expect(temporary.outcome).toBe('eligible');
      expect(temporary.reasons.map((r: { code: string }) => r.code)).toEqual([
        'LEGACY_CARD_TEMPORARY_MEASURE',
        'CONSENT_NOT_GIVEN',
      ]);
      expect(temporary.qualification.limitCategory).toBeNull();
      const mismatch = (await verifyHttp({ ...numberBody, birthDate: '1989-10-02' })).json();
      expect(mismatch).toMatchObject({
        outcome: 'not_found',
        qualification: null,
        reasons: [{ code: 'NO_MATCHING_QUALIFICATION' }],
      });
    });

    it('accepts the number body without branch, asOf or consent', async () => {
      const { branch: _b, asOf: _a, ...minimal } = numberBody;
      const res = await verifyHttp(minimal);
      expect(res.statusCode).toBe(200);
      // Today (2025-11-21 in Japan) a legacy card is still a proof.
      expect(res.json()).toMatchObject({ outcome: 'eligible', qualification: { branch: '00' } });
    });

    it.each([
      ['an unknown field', { ...numberBody, myNumber: MY_NUMBER }, 'VALIDATION_UNKNOWN_FIELD'],
      [
        'an unknown field in consent',
        { ...numberBody, consent: { limitInfo: true, everything: true } },
        'VALIDATION_UNKNOWN_FIELD',
      ],
      ['an impossible date', { ...numberBody, asOf: '2025-02-29' }, 'VALIDATION_DATE'],
      ['a wrong insurer check digit', { ...numberBody, insurerNumber: '06139993' }, 'INSURER_NUMBER_CHECK_DIGIT'],
      ['an unknown method', { ...numberBody, method: 'fax' }, 'VALIDATION_FAILED'],
      ['an unknown document', { ...numberBody, document: 'passport' }, 'VALIDATION_FAILED'],
      ['a card body without the card', { method: 'card', identityCheck: 'pin' }, 'VALIDATION_FAILED'],
      [
        'an unknown identity check',
        { method: 'card', card: { certificate: 'x', challenge: 'y', signature: 'z' }, identityCheck: 'none' },
        'VALIDATION_FAILED',
      ],
      ['a 3-digit branch', { ...numberBody, branch: '001' }, 'VALIDATION_FAILED'],
    ])('answers %s 400 problem+json', async (_what, payload, code) => {
      const res = await verifyHttp(payload);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()).toMatchObject({ code, status: 400 });
    });

    it('answers 401 without a token and 403 to a non-provider', async () => {
      const anonymous = await app.inject({ method: 'POST', url: '/api/v1/verifications', payload: numberBody });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      const res = await verifyHttp(numberBody, admin);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('never sends a My Number, its last 4 digits or any 12-digit run', async () => {
      expect(bodies.length).toBeGreaterThan(10);
      for (const raw of bodies) {
        const parsed = JSON.parse(raw);
        const { verificationId: _id, ...rest } = parsed; // a random UUID may hold any digits
        const json = JSON.stringify(rest);
        expect(json).not.toMatch(/\d{12}/);
        expect(json).not.toContain(MY_NUMBER);
        if (parsed.outcome) expect(json).not.toContain(MY_NUMBER.slice(-4));
      }
    });

    it('documents both routes in the OpenAPI description', async () => {
      const res = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(res.statusCode).toBe(200);
      const paths = res.json().paths;
      expect(paths['/api/v1/verifications']?.post).toBeDefined();
      expect(paths['/api/v1/verifications/challenge']?.get).toBeDefined();
    });
  });
});
