/**
 * Issue #16 point 1's tail through HTTP: the 基準収入額適用申請 (application kind `standard_income`) of a
 * 70–74 現役並み insured, refused at receipt when the declared 年収 is not under the 基準収入額, and once
 * approved read by the verification answer as 2割 / 一般 from the 1st of the next month.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeInsurer, makeResident, notify, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('基準収入額適用申請 over HTTP on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let insurer = '';
  const tokens: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', url: string, who: string, payload?: unknown) {
    return app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload: payload as object });
  }

  /** A 現役並み insured (300,000 yen) born 1956-03-01: 70–74 from 2026-03-01. */
  async function elderlyInsured(symbol: string) {
    const insured = person({ birthDate: '1956-03-01' });
    await makeResident(ctx, insured);
    const head = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: insurer,
      recordedOn: '2024-10-01',
      symbol,
      acquiredOn: '2010-04-01',
      standardMonthlyRemuneration: 300_000,
      person: insured,
    });
    return { memberId: head.memberId, symbol, number: head.number, birthDate: insured.birthDate };
  }

  async function verify(m: Awaited<ReturnType<typeof elderlyInsured>>, asOf: string) {
    const res = await call('POST', '/api/v1/verifications', 'provider', {
      method: 'number',
      asOf,
      document: 'notice',
      insurerNumber: insurer,
      symbol: m.symbol,
      number: m.number,
      birthDate: m.birthDate,
      consent: { limitInfo: true },
    });
    expect(res.statusCode).toBe(200);
    return res.json().qualification as { burdenRatio: number; limitCategory: string };
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurer = await makeInsurer(ctx);
    tokens.admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('approved on 2026-04-15: 3割 on 2026-04-30, 2割 / 一般 from 2026-05-01, kept by a later change', async () => {
    const m = await elderlyInsured('8801');
    expect(await verify(m, '2026-04-01')).toMatchObject({ burdenRatio: 30, limitCategory: '現役並みⅠ' });
    const filed = await call('POST', '/api/v1/applications', 'admin', {
      kind: 'standard_income',
      memberId: m.memberId,
      recordedOn: '2026-04-10',
      annualIncome: 3_500_000,
    });
    expect(filed.statusCode).toBe(201);
    expect(filed.json()).toMatchObject({ kind: 'standard_income', state: 'received', receivedOn: '2026-04-10' });
    const approved = await call('POST', `/api/v1/applications/${filed.json().applicationId}:approve`, 'admin', {
      decidedOn: '2026-04-15',
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ state: 'approved', decidedOn: '2026-04-15', certification: null });

    expect(await verify(m, '2026-04-15')).toMatchObject({ burdenRatio: 30, limitCategory: '現役並みⅠ' });
    expect(await verify(m, '2026-04-30')).toMatchObject({ burdenRatio: 30, limitCategory: '現役並みⅠ' });
    expect(await verify(m, '2026-05-01')).toMatchObject({ burdenRatio: 20, limitCategory: '一般' });

    // A later 変更届 (still 現役並み by remuneration) writes a version from the members row: the approval stays.
    await notify(ctx, {
      kind: 'change',
      insurerNumber: insurer,
      recordedOn: '2026-06-01',
      symbol: m.symbol,
      number: m.number,
      standardMonthlyRemuneration: 320_000,
    });
    expect(await verify(m, '2026-06-10')).toMatchObject({ burdenRatio: 20, limitCategory: '一般' });
  });

  it('refuses at receipt a 年収 not under 383万円 alone, receives one under 520万円 with a 70–74 household member', async () => {
    const m = await elderlyInsured('8802');
    const refused = await call('POST', '/api/v1/applications', 'admin', {
      kind: 'standard_income',
      memberId: m.memberId,
      recordedOn: '2026-04-10',
      annualIncome: 3_830_000,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'INCOME_ABOVE_STANDARD' });
    const household = await call('POST', '/api/v1/applications', 'admin', {
      kind: 'standard_income',
      memberId: m.memberId,
      recordedOn: '2026-04-10',
      annualIncome: 3_830_000,
      otherElderlyIncomes: [1_360_000],
    });
    expect(household.statusCode).toBe(201);
    expect(household.json()).toMatchObject({ state: 'received' });
    // Nothing changes before an approval.
    expect(await verify(m, '2026-05-01')).toMatchObject({ burdenRatio: 30 });
  });
});
