/**
 * Issue #16 through the verification API, as a reception uses it: a 70–74 dependent of an insured under
 * 70 (point 1, and the FHIR Coverage the verification discloses), dependents losing cover with their insured (point 2), and the reader type (point 10).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { issueCard, registerCard } from '../../src/services/cards.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeHousehold, makeInsurer, makeResident, notify, OPERATOR, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('issue #16 in the verification answer on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let provider = '';
  let insurer = '';

  /** An insured with one dependent; returns the household's 記号・番号. */
  function household(opts: { symbol: string; insuredBorn: string; dependentBorn: string; remuneration: number }) {
    return makeHousehold(ctx, { insurerNumber: insurer, ...opts });
  }

  async function verifyDependent(h: Awaited<ReturnType<typeof household>>, asOf: string) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { authorization: `Bearer ${provider}` },
      payload: {
        method: 'number',
        asOf,
        document: 'notice',
        insurerNumber: insurer,
        symbol: h.symbol,
        number: h.number,
        birthDate: h.dependent.birthDate,
        consent: { limitInfo: true },
      },
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurer = await makeInsurer(ctx);
    provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('point 1: a 70–74 dependent follows the insured', () => {
    it('pays 2割 and is 一般 while the insured is under 70, whatever the insured earns', async () => {
      // Insured turns 70 on 1957-12-02 + 70 = 2027-12-02; the dependent is 70–74 from 2025-07-01.
      const h = await household({
        symbol: '7001',
        insuredBorn: '1957-12-02',
        dependentBorn: '1955-06-15',
        remuneration: 300_000,
      });
      const answer = await verifyDependent(h, '2025-12-02');
      expect(answer.outcome).toBe('eligible');
      expect(answer.qualification).toMatchObject({ relationship: 'dependent', burdenRatio: 20, limitCategory: '一般' });
      // The FHIR Coverage disclosed by that verification says the same (copaypct).
      const coverage = await app.inject({
        method: 'GET',
        url: `/fhir/R4/Coverage/${h.dependentId}`,
        headers: { authorization: `Bearer ${provider}` },
      });
      expect(coverage.statusCode).toBe(200);
      expect(coverage.json().costToBeneficiary).toEqual([
        expect.objectContaining({ valueQuantity: expect.objectContaining({ value: 20, unit: '%' }) }),
      ]);
    });

    it('pays 3割 and is 現役並みⅠ once the insured is 70–74 and earns ≥ 280,000', async () => {
      // The insured born on the 1st is 70–74 from the birthday month itself: 2025-12-01.
      const h = await household({
        symbol: '7002',
        insuredBorn: '1955-12-01',
        dependentBorn: '1955-06-15',
        remuneration: 300_000,
      });
      expect((await verifyDependent(h, '2025-11-30')).qualification).toMatchObject({
        burdenRatio: 20,
        limitCategory: '一般',
      });
      expect((await verifyDependent(h, '2025-12-01')).qualification).toMatchObject({
        burdenRatio: 30,
        limitCategory: '現役並みⅠ',
      });
    });
  });

  describe("point 2: a dependent's cover ends with the insured's 75th birthday", () => {
    it.each([
      ['on the 1st', '1950-12-01', '2025-11-30', '2025-12-01'],
      ['on the 2nd', '1950-12-02', '2025-12-01', '2025-12-02'],
      ['on 02-29 (moves on 03-01 in a common year)', '1952-02-29', '2027-02-28', '2027-03-01'],
    ])('insured born %s: covered the day before, INSURED_COVER_ENDED on the day', async (_what, born, before, on) => {
      const symbol = `75${born.slice(8, 10)}`;
      const h = await household({ symbol, insuredBorn: born, dependentBorn: '1985-05-05', remuneration: 300_000 });
      const covered = await verifyDependent(h, before);
      expect(covered).toMatchObject({ outcome: 'eligible', reasons: [] });
      const ended = await verifyDependent(h, on);
      expect(ended.outcome).toBe('ineligible');
      expect(ended.reasons.map((r: { code: string }) => r.code)).toContain('INSURED_COVER_ENDED');
      expect(ended.fallbacks.map((f: { code: string }) => f.code)).toEqual([
        'FULL_PAYMENT_AND_CLAIM',
        'CONTACT_INSURER',
      ]);
      // The insured's facts are never disclosed with the dependent's qualification.
      expect(Object.keys(ended.qualification)).not.toContain('insured');
      expect(ended.qualification).toMatchObject({ relationship: 'dependent', lostOn: null });
    });
  });

  describe('point 10: the reader type', () => {
    let cardId = '';
    /** A registered card of a new insured born on `birthDate`, PIN 1234. */
    async function cardHolder(birthDate: string): Promise<string> {
      const p = person({ birthDate });
      await makeResident(ctx, p);
      await notify(ctx, {
        kind: 'acquisition',
        insurerNumber: insurer,
        recordedOn: '2024-10-01',
        symbol: '1010',
        acquiredOn: '2012-04-01',
        standardMonthlyRemuneration: 300_000,
        person: p,
      });
      const id = (await issueCard(ctx, OPERATOR, { myNumber: p.myNumber, issuedOn: '2024-06-03', pin: '1234' })).cardId;
      await registerCard(ctx, OPERATOR, id, { recordedOn: '2024-06-03', channel: 'reader' });
      return id;
    }

    beforeAll(async () => {
      cardId = await cardHolder('1989-10-01');
    });

    /** Signs a fresh challenge with the card (with the PIN, or without: a face or visual check) and verifies. */
    async function verifyByCard(
      body: Record<string, unknown>,
      signer: { cardId: string; pin?: string } = { cardId, pin: '1234' },
    ) {
      const auth = { authorization: `Bearer ${provider}` };
      const { challenge } = (
        await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: auth })
      ).json();
      const { certificate, signature } = (
        await app.inject({
          method: 'POST',
          url: `/api/v1/cards/${signer.cardId}:sign`,
          headers: auth,
          payload: signer.pin === undefined ? { challenge } : { challenge, pin: signer.pin },
        })
      ).json();
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/verifications',
        headers: auth,
        payload: { method: 'card', asOf: '2025-12-02', card: { certificate, signature, challenge }, ...body },
      });
      expect(res.statusCode).toBe(200);
      return res.json();
    }

    it('refuses a face check on a generic reader, and names the reader', async () => {
      const answer = await verifyByCard({ identityCheck: 'face', reader: 'genericReader' });
      expect(answer).toMatchObject({
        outcome: 'ineligible',
        reasons: [{ code: 'IDENTITY_CHECK_NOT_ALLOWED' }],
        fallbacks: [{ code: 'IDENTIFY_BY_PIN_OR_VISUAL' }],
        reader: 'genericReader',
        qualification: null,
      });
      const row = await ctx.store.db
        .selectFrom('verifications')
        .select('reader')
        .where('id', '=', answer.verificationId)
        .executeTakeFirstOrThrow();
      expect(row.reader).toBe('genericReader');
    });

    it('accepts a PIN on a generic reader and a face check on a face reader', async () => {
      expect(await verifyByCard({ identityCheck: 'pin', reader: 'genericReader' })).toMatchObject({
        outcome: 'eligible',
        reader: 'genericReader',
      });
      expect(await verifyByCard({ identityCheck: 'face', reader: 'faceReader' })).toMatchObject({
        outcome: 'eligible',
        reader: 'faceReader',
      });
    });

    it('without a reader, answers as before and names none', async () => {
      const answer = await verifyByCard({ identityCheck: 'face' });
      expect(answer.outcome).toBe('eligible');
      expect(answer).not.toHaveProperty('reader');
    });

    it('offers a PIN-locked card the visual check only on a generic reader, face or visual on a face reader', async () => {
      const locked = await cardHolder('1990-05-05');
      const auth = { authorization: `Bearer ${provider}` };
      const tries: number[] = [];
      for (const pin of ['0000', '0001', '0002']) {
        const { challenge } = (
          await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: auth })
        ).json();
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/cards/${locked}:sign`,
          headers: auth,
          payload: { challenge, pin },
        });
        tries.push(res.statusCode);
      }
      expect(tries).toEqual([401, 401, 423]);
      const onGeneric = await verifyByCard({ identityCheck: 'pin', reader: 'genericReader' }, { cardId: locked });
      expect(onGeneric).toMatchObject({ outcome: 'ineligible', reasons: [{ code: 'CARD_PIN_LOCKED' }] });
      expect(onGeneric.fallbacks.map((f: { code: string }) => f.code)).toEqual([
        'IDENTIFY_BY_VISUAL',
        'RENEW_AT_MUNICIPALITY',
      ]);
      const onFace = await verifyByCard({ identityCheck: 'pin', reader: 'faceReader' }, { cardId: locked });
      expect(onFace.fallbacks.map((f: { code: string }) => f.code)).toEqual([
        'IDENTIFY_BY_FACE_OR_VISUAL',
        'RENEW_AT_MUNICIPALITY',
      ]);
      // The visual check the generic reader offers does verify the locked card.
      expect(
        await verifyByCard({ identityCheck: 'visual', reader: 'genericReader' }, { cardId: locked }),
      ).toMatchObject({ outcome: 'eligible' });
    });
  });
});
