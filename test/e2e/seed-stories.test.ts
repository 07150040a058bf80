/**
 * The seed stories of issue #2, end to end, through the HTTP API only (DESIGN.md §5): an operator
 * sets up associations, residents and cards; association admins file notifications and legacy cards;
 * a reception (provider) verifies. The clock is fixed (challenges need one); `asOf` moves the day.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../../src/cards/testing.js';
import { buildApp } from '../../src/http/app.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

const INSURER_A = '06139992';
const INSURER_B = '06130017';
const PROVIDER = '1311234566';

interface Person {
  myNumber: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  address: string;
}

const person = (seed: number, name: string, nameKana: string, birthDate: string, sex: 'male' | 'female'): Person => ({
  myNumber: testMyNumber(seed),
  name,
  nameKana,
  birthDate,
  sex,
  address: '東京都千代田区霞が関1-2-2',
});

/** Story 1: a member who still carries a legacy 健康保険証. */
const legacy = person(97531, '保険 証子', 'ホケン ショウコ', '1985-04-12', 'female');
/** Story 2: a new employee notified on Friday 2025-11-21. */
const newcomer = person(86420, '新入 一太', 'シンニュウ イチタ', '2003-07-01', 'male');
/** Story 3: a certificate issued 2020-06-01 that expired on the 5th birthday after, 2025-03-15. */
const graceful = person(75319, '猶予 期子', 'ユウヨ キコ', '1960-03-15', 'female');
/** Story 4: changes jobs from A to B on 2025-12-16. */
const mover = person(64208, '転職 健', 'テンショク ケン', '1980-07-07', 'male');

interface Answer {
  outcome: string;
  reasons: Array<{ code: string; ja: string; en: string }>;
  fallbacks: Array<{ code: string }>;
  qualification: Record<string, unknown> | null;
  verificationId: string;
}

const codes = (list: Array<{ code: string }>): string[] => list.map((r) => r.code);

describe.each(STORE_KINDS)('seed stories of issue #2 over HTTP on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const token = { operator: '', adminA: '', adminB: '', provider: '' };
  const answers: string[] = [];

  async function call(method: 'GET' | 'POST', url: string, as: string, payload?: object) {
    const res = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${as}` },
      ...(payload ? { payload } : {}),
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  }

  const resident = (p: Person) => call('POST', '/api/v1/residents', token.operator, p);

  async function acquire(
    admin: string,
    insurerNumber: string,
    p: Person,
    fields: { recordedOn: string; symbol: string; number: string; acquiredOn: string; remuneration: number },
  ) {
    return call('POST', '/api/v1/notifications', admin, {
      kind: 'acquisition',
      insurerNumber,
      recordedOn: fields.recordedOn,
      symbol: fields.symbol,
      number: fields.number,
      acquiredOn: fields.acquiredOn,
      standardMonthlyRemuneration: fields.remuneration,
      person: p,
    });
  }

  async function cardFor(p: Person, issuedOn: string, registeredOn: string): Promise<string> {
    const card = await call('POST', '/api/v1/cards', token.operator, { myNumber: p.myNumber, issuedOn, pin: '4321' });
    await call('POST', `/api/v1/cards/${card.cardId}/registration`, token.operator, {
      recordedOn: registeredOn,
      channel: 'reader',
    });
    return card.cardId;
  }

  /** The reception flow: a challenge, the card signs it (PIN), the hub answers. */
  async function verifyByCard(cardId: string, asOf: string): Promise<Answer> {
    const { challenge } = await call('GET', '/api/v1/verifications/challenge', token.provider);
    const { certificate, signature } = await call('POST', `/api/v1/cards/${cardId}:sign`, token.provider, {
      challenge,
      pin: '4321',
    });
    return verify({
      method: 'card',
      asOf,
      card: { certificate, challenge, signature },
      identityCheck: 'pin',
      consent: { medication: true, healthCheckups: true, limitInfo: true },
    });
  }

  async function verify(body: object): Promise<Answer> {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { authorization: `Bearer ${token.provider}` },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    answers.push(res.body);
    return res.json();
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind, fixedClock('2025-11-21T01:00:00Z'));
    app = await buildApp({ ctx });
    token.operator = (await createToken(ctx, { role: 'operator' })).token;
    token.adminA = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER_A })).token;
    token.adminB = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER_B })).token;
    token.provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    for (const [insurerNumber, name] of [
      [INSURER_A, 'シカク健康保険組合'],
      [INSURER_B, 'ツギノ健康保険組合'],
    ]) {
      await call('POST', '/api/v1/insurers', token.operator, {
        insurerNumber,
        name,
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      });
    }
    for (const p of [legacy, newcomer, graceful, mover]) await resident(p);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('1. a legacy card: accepted on 2025-12-01, with the temporary-measure warning on 2025-12-02, refused from 2026-04-01', async () => {
    const member = await acquire(token.adminA, INSURER_A, legacy, {
      recordedOn: '2024-10-01',
      symbol: '1234',
      number: '101',
      acquiredOn: '2010-04-01',
      remuneration: 300_000,
    });
    await call('POST', `/api/v1/members/${member.memberId}/legacy-cards`, token.adminA, { issuedOn: '2024-04-01' });
    const byLegacyCard = (asOf: string) =>
      verify({
        method: 'number',
        asOf,
        document: 'legacy_card',
        insurerNumber: INSURER_A,
        symbol: '1234',
        number: '101',
        branch: '00',
        birthDate: legacy.birthDate,
      });

    const dec1 = await byLegacyCard('2025-12-01');
    expect(dec1.outcome).toBe('eligible');
    expect(codes(dec1.reasons)).toEqual(['CONSENT_NOT_GIVEN']); // no limitInfo consent: category withheld
    expect(dec1.qualification).toMatchObject({ symbol: '1234', number: '101', branch: '00', burdenRatio: 30 });

    const dec2 = await byLegacyCard('2025-12-02');
    expect(dec2.outcome).toBe('eligible');
    expect(codes(dec2.reasons)).toEqual(['LEGACY_CARD_TEMPORARY_MEASURE', 'CONSENT_NOT_GIVEN']);
    expect(dec2.qualification).toMatchObject({ number: '101' });

    const apr1 = await byLegacyCard('2026-04-01');
    expect(apr1).toMatchObject({ outcome: 'ineligible', qualification: null });
    expect(codes(apr1.reasons)).toEqual(['LEGACY_CARD_EXPIRED']);
    expect(codes(apr1.fallbacks)).toContain('SHOW_CERTIFICATE');
  });

  it('2. an acquisition recorded on Friday 2025-11-21: pending on Tuesday 11-25, eligible by card on Wednesday 11-26', async () => {
    const member = await acquire(token.adminA, INSURER_A, newcomer, {
      recordedOn: '2025-11-21',
      symbol: '1234',
      number: '201',
      acquiredOn: '2025-11-21',
      remuneration: 220_000,
    });
    // Monday 11-24 is a substitute holiday: the 2nd business day after Friday is Wednesday.
    expect(member).toMatchObject({ hubStatus: 'registered', hubAvailableOn: '2025-11-26', branch: '00' });
    const cardId = await cardFor(newcomer, '2025-11-21', '2025-11-21');

    const tuesday = await verifyByCard(cardId, '2025-11-25');
    expect(tuesday).toMatchObject({ outcome: 'not_found', qualification: null });
    expect(codes(tuesday.reasons)).toEqual(['HUB_REGISTRATION_PENDING']);
    expect(tuesday.reasons[0]?.en).toContain('2025-11-26');
    expect(codes(tuesday.fallbacks)).toEqual(['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN', 'FULL_PAYMENT_AND_CLAIM']);

    const wednesday = await verifyByCard(cardId, '2025-11-26');
    expect(wednesday.outcome).toBe('eligible');
    expect(wednesday.reasons).toEqual([]);
    expect(wednesday.qualification).toMatchObject({
      insurerNumber: INSURER_A,
      insurerName: 'シカク健康保険組合',
      symbol: '1234',
      number: '201',
      branch: '00',
      relationship: 'insured',
      name: newcomer.name,
      acquiredOn: '2025-11-21',
      burdenRatio: 30,
      limitCategory: 'エ',
    });
  });

  it('3. an expired certificate: eligible with CERT_EXPIRED_GRACE to the end of the 3rd month, then refused, registration lapsed', async () => {
    await acquire(token.adminA, INSURER_A, graceful, {
      recordedOn: '2024-10-01',
      symbol: '1234',
      number: '301',
      acquiredOn: '2000-04-01',
      remuneration: 410_000,
    });
    const cardId = await cardFor(graceful, '2020-06-01', '2021-01-10');

    const lastValid = await verifyByCard(cardId, '2025-03-15');
    expect(lastValid.outcome).toBe('eligible');
    expect(codes(lastValid.reasons)).toEqual(['CERT_EXPIRING_SOON']);

    for (const asOf of ['2025-03-16', '2025-06-30']) {
      const grace = await verifyByCard(cardId, asOf);
      expect(grace.outcome, asOf).toBe('eligible');
      expect(codes(grace.reasons), asOf).toEqual(['CERT_EXPIRED_GRACE']);
      expect(codes(grace.fallbacks), asOf).toEqual(['RENEW_AT_MUNICIPALITY']);
      expect(grace.qualification, asOf).toMatchObject({ number: '301', burdenRatio: 30, limitCategory: 'ウ' });
    }

    const after = await verifyByCard(cardId, '2025-07-01');
    expect(after).toMatchObject({ outcome: 'ineligible', qualification: null });
    expect(codes(after.reasons)).toEqual(['CERT_EXPIRED', 'CARD_REGISTRATION_CANCELLED']);
    expect(codes(after.fallbacks)).toEqual(['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE', 'RENEW_AT_MUNICIPALITY']);
  });

  it('4. a job change: lost at A, acquired at B; the same card is eligible at B once B registered', async () => {
    const atA = await acquire(token.adminA, INSURER_A, mover, {
      recordedOn: '2024-10-01',
      symbol: '1234',
      number: '401',
      acquiredOn: '2015-04-01',
      remuneration: 410_000,
    });
    await call('POST', `/api/v1/members/${atA.memberId}/legacy-cards`, token.adminA, { issuedOn: '2015-04-01' });
    const cardId = await cardFor(mover, '2024-06-03', '2024-06-03');

    const before = await verifyByCard(cardId, '2025-12-15');
    expect(before.outcome).toBe('eligible');
    expect(before.qualification).toMatchObject({ insurerNumber: INSURER_A, symbol: '1234', number: '401' });

    await call('POST', '/api/v1/notifications', token.adminA, {
      kind: 'loss',
      insurerNumber: INSURER_A,
      recordedOn: '2025-12-16',
      symbol: '1234',
      number: '401',
      lostOn: '2025-12-16',
    });
    const atB = await acquire(token.adminB, INSURER_B, mover, {
      recordedOn: '2025-12-16',
      symbol: '55',
      number: '12',
      acquiredOn: '2025-12-16',
      remuneration: 500_000,
    });
    expect(atB).toMatchObject({ hubStatus: 'registered', hubAvailableOn: '2025-12-18' });

    // On 12-17 the hub knows neither the loss nor B yet: it still answers with A.
    const meanwhile = await verifyByCard(cardId, '2025-12-17');
    expect(meanwhile.qualification).toMatchObject({ insurerNumber: INSURER_A, lostOn: null });

    const atBAnswer = await verifyByCard(cardId, '2025-12-18');
    expect(atBAnswer.outcome).toBe('eligible');
    expect(atBAnswer.reasons).toEqual([]);
    expect(atBAnswer.qualification).toMatchObject({
      insurerNumber: INSURER_B,
      insurerName: 'ツギノ健康保険組合',
      symbol: '55',
      number: '12',
      branch: '00',
      relationship: 'insured',
      name: mover.name,
      acquiredOn: '2025-12-16',
      lostOn: null,
      burdenRatio: 30,
      limitCategory: 'ウ',
    });

    // The old 記号・番号 at A now answers lost, pointing at the newer qualification.
    const oldNumber = await verify({
      method: 'number',
      asOf: '2025-12-18',
      document: 'legacy_card',
      insurerNumber: INSURER_A,
      symbol: '1234',
      number: '401',
      birthDate: mover.birthDate,
    });
    expect(oldNumber.outcome).toBe('ineligible');
    expect(codes(oldNumber.reasons)).toEqual(['QUALIFICATION_LOST', 'NEWER_QUALIFICATION_EXISTS']);
  });

  it('never sends a provider a My Number, its last 4 digits or any 12-digit run', () => {
    expect(answers.length).toBeGreaterThan(10);
    for (const raw of answers) {
      const { verificationId: _id, ...rest } = JSON.parse(raw) as Answer;
      const json = JSON.stringify(rest);
      expect(json).not.toMatch(/\d{12}/);
      for (const p of [legacy, newcomer, graceful, mover]) {
        expect(json).not.toContain(p.myNumber);
        expect(json).not.toContain(p.myNumber.slice(-4));
      }
    }
  });
});
