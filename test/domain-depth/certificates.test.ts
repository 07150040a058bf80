/**
 * Issue #16 through the console's API (an association's staff): the legacy_card_lost application
 * (point 4), dependents skipped by the ex-officio run once their insured leaves (point 2), and each
 * association's transition policy (point 6).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { freshInsurerNumber, makeResident, notify, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('issue #16 in the 資格確認書 decisions on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let operator = '';
  let provider = '';

  async function call(method: 'GET' | 'POST', url: string, token: string, payload?: object) {
    return app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  }

  /** An association through the API, with its admin's token. */
  async function association(extra: object = {}) {
    const insurerNumber = freshInsurerNumber();
    const res = await call('POST', '/api/v1/insurers', operator, {
      insurerNumber,
      name: `テスト健康保険組合 ${insurerNumber}`,
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
      ...extra,
    });
    expect(res.statusCode).toBe(201);
    const admin = (await createToken(ctx, { role: 'admin', insurerNumber })).token;
    return { insurerNumber, admin };
  }

  /** An insured (no My Number card) holding a legacy card issued 2024-04-01. */
  async function legacyHolder(a: { insurerNumber: string; admin: string }, symbol: string, birthDate = '1980-05-05') {
    const p = person({ birthDate });
    await makeResident(ctx, p);
    const m = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: a.insurerNumber,
      recordedOn: '2024-10-01',
      symbol,
      acquiredOn: '2010-04-01',
      standardMonthlyRemuneration: 300_000,
      person: p,
    });
    expect(
      (await call('POST', `/api/v1/members/${m.memberId}/legacy-cards`, a.admin, { issuedOn: '2024-04-01' }))
        .statusCode,
    ).toBe(201);
    return { ...m, person: p };
  }

  async function verifyLegacyCard(
    a: { insurerNumber: string },
    m: Awaited<ReturnType<typeof legacyHolder>>,
    asOf: string,
  ) {
    const res = await call('POST', '/api/v1/verifications', provider, {
      method: 'number',
      asOf,
      document: 'legacy_card',
      insurerNumber: a.insurerNumber,
      symbol: m.symbol,
      number: m.number,
      branch: m.branch,
      birthDate: m.person.birthDate,
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    operator = (await createToken(ctx, { role: 'operator' })).token;
    provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('point 4: a legacy 健康保険証 lost after 2024-12-02 (legacy_card_lost)', () => {
    it('records the card lost that day and issues a 資格確認書 without a fee', async () => {
      const a = await association();
      const m = await legacyHolder(a, '4001');
      const res = await call('POST', '/api/v1/certificates', a.admin, {
        memberId: m.memberId,
        reason: 'legacy_card_lost',
        recordedOn: '2025-06-10',
      });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({
        reason: 'legacy_card_lost',
        kind: 'on_application',
        issuedOn: '2025-06-10',
        feeYen: 0,
        legacyCardLost: { recordedLostOn: '2025-06-10', advice: 'certificate_issued' },
      });
      // The card verifies the day before, not from the day it was reported lost.
      expect((await verifyLegacyCard(a, m, '2025-06-09')).outcome).toBe('eligible');
      const lost = await verifyLegacyCard(a, m, '2025-06-10');
      expect(lost.outcome).toBe('ineligible');
      expect(lost.reasons.map((r: { code: string }) => r.code)).toContain('LEGACY_CARD_REPORTED_LOST');
    });

    it('on 2025-12-02 the legacy card is no proof any more: nothing to record lost, still refused or issued by the data', async () => {
      const a = await association();
      const m = await legacyHolder(a, '4002');
      const res = await call('POST', '/api/v1/certificates', a.admin, {
        memberId: m.memberId,
        reason: 'legacy_card_lost',
        recordedOn: '2025-12-02',
      });
      const body = res.json();
      // A member without a マイナ保険証 is never told to use one.
      const advice = res.statusCode === 201 ? body.legacyCardLost.advice : body.details.legacyCardLost.advice;
      expect(advice).not.toBe('use_myna_card');
      const recorded =
        res.statusCode === 201 ? body.legacyCardLost.recordedLostOn : body.details.legacyCardLost.recordedLostOn;
      expect(recorded).toBeNull();
    });
  });

  describe('point 2: the ex-officio run skips a dependent whose insured turned 75', () => {
    it.each([
      ['on the 1st', '1950-12-01', '2025-11-30', '2025-12-01'],
      ['on the 2nd', '1950-12-02', '2025-12-01', '2025-12-02'],
    ])('insured born %s', async (_what, insuredBorn, before, on) => {
      const a = await association();
      const insured = await legacyHolder(a, '2001', insuredBorn);
      const dependent = person({
        birthDate: '1985-05-05',
        name: '協会 花子',
        nameKana: 'キョウカイ ハナコ',
        sex: 'female',
      });
      await makeResident(ctx, dependent);
      const d = await notify(ctx, {
        kind: 'dependent_add',
        insurerNumber: a.insurerNumber,
        recordedOn: '2024-10-01',
        insured: { symbol: insured.symbol, number: insured.number },
        acquiredOn: '2010-04-01',
        person: dependent,
      });
      const dry = async (asOf: string) => {
        const res = await call('POST', '/api/v1/certificates:issue-ex-officio', a.admin, {
          insurerNumber: a.insurerNumber,
          asOf,
          dryRun: true,
        });
        expect(res.statusCode).toBe(200);
        return res.json();
      };
      const earlier = await dry(before);
      expect(earlier.issued.map((e: { memberId: string }) => e.memberId)).toContain(d.memberId);
      const later = await dry(on);
      expect(later.skipped).toContainEqual({ memberId: d.memberId, reason: 'not_eligible' });

      // The console lists the dependent to be told to join 国保, from the insured's 75th birthday.
      const listed = await call(
        'GET',
        `/api/v1/insurers/${a.insurerNumber}/dependents-losing-cover?asOf=2025-11-01&until=2025-12-31`,
        a.admin,
      );
      expect(listed.statusCode).toBe(200);
      expect(listed.json().dependents).toEqual([
        expect.objectContaining({
          memberId: d.memberId,
          insured: expect.objectContaining({ memberId: insured.memberId }),
          endsOn: on,
          cause: 'insured_75',
          mustJoinOtherInsurance: true,
          certificatesToCollect: [],
        }),
      ]);
      const outside = await call(
        'GET',
        `/api/v1/insurers/${a.insurerNumber}/dependents-losing-cover?asOf=${on}&until=2026-03-31`,
        a.admin,
      );
      expect(outside.json().dependents.map((x: { endsOn: string }) => x.endsOn)).toEqual([on]);
    });
  });

  describe("point 6: each association's transition policy", () => {
    it('seed 002 (default, from 2025-07-01) issues to a legacy-card holder; seed 000 (null) waits for 2025-12-02', async () => {
      const early = await association();
      const late = await association({
        transitionPolicy: [{ validFrom: '2024-12-02', legacyHolderCertificateFrom: null }],
      });
      const e = await legacyHolder(early, '6001');
      const l = await legacyHolder(late, '6002');
      const run = async (a: { insurerNumber: string; admin: string }, asOf: string) =>
        (
          await call('POST', '/api/v1/certificates:issue-ex-officio', a.admin, {
            insurerNumber: a.insurerNumber,
            asOf,
            dryRun: true,
          })
        ).json();
      expect((await run(early, '2025-06-30')).skipped).toContainEqual({
        memberId: e.memberId,
        reason: 'valid_legacy_card',
      });
      expect((await run(early, '2025-07-01')).issued.map((i: { memberId: string }) => i.memberId)).toContain(
        e.memberId,
      );
      expect((await run(late, '2025-12-01')).skipped).toContainEqual({
        memberId: l.memberId,
        reason: 'valid_legacy_card',
      });
      expect((await run(late, '2025-12-02')).issued.map((i: { memberId: string }) => i.memberId)).toContain(l.memberId);
    });

    it('refuses a policy whose periods are not in date order', async () => {
      const res = await call('POST', '/api/v1/insurers', operator, {
        insurerNumber: freshInsurerNumber(),
        name: 'テスト健康保険組合',
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
        transitionPolicy: [
          { validFrom: '2025-01-01', legacyHolderCertificateFrom: null },
          { validFrom: '2024-12-02', legacyHolderCertificateFrom: '2025-07-01' },
        ],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
