/**
 * Issue #16 point 9 through the console's API: the お知らせ run issues a new お知らせ when what it prints
 * changes — becoming 70 (高齢受給者, from the month before the band), a 負担割合 change — once, however
 * often the run is repeated.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeInsurer, makeResident, notify, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('issue #16 point 9: the お知らせ run on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let insurerNumber = '';
  let admin = '';

  async function run(asOf: string, memberId: string) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/notices:issue',
      headers: { authorization: `Bearer ${admin}` },
      payload: { insurerNumber, asOf, memberIds: [memberId] },
    });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function member(birthDate: string, symbol: string) {
    const p = person({ birthDate });
    await makeResident(ctx, p);
    return notify(ctx, {
      kind: 'acquisition',
      insurerNumber,
      recordedOn: '2024-10-01',
      symbol,
      acquiredOn: '2010-04-01',
      standardMonthlyRemuneration: 200_000,
      person: p,
    });
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurerNumber = await makeInsurer(ctx);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it.each([
    // Born on the 1st: 70–74 from the birthday month itself (2025-12-01), due from 2025-11-01.
    ['on the 1st', '1955-12-01', '2025-10-31', '2025-11-01'],
    // Born on the 2nd: 70–74 from the next month (2026-01-01), due from 2025-12-01.
    ['on the 2nd', '1955-12-02', '2025-11-30', '2025-12-01'],
  ])('born %s: a new お知らせ for becoming 70, issued once', async (_what, born, before, due) => {
    const m = await member(born, born.slice(8, 10) === '01' ? '9001' : '9002');
    // The first お知らせ (issued with the acquisition, or by this run) says no why.
    const first = await run('2025-06-02', m.memberId);
    expect(first.issued.length + first.skipped.length).toBe(1);
    for (const i of first.issued) expect(i).not.toHaveProperty('changes');

    expect((await run(before, m.memberId)).skipped).toEqual([{ memberId: m.memberId, reason: 'already_has_notice' }]);
    const elderly = await run(due, m.memberId);
    expect(elderly.issued).toEqual([
      { memberId: m.memberId, noticeId: expect.any(String), changes: ['became_elderly'] },
    ]);
    // Retried the same day, or later in the month: nothing more.
    expect((await run(due, m.memberId)).skipped).toEqual([{ memberId: m.memberId, reason: 'already_has_notice' }]);
    expect((await run('2026-01-15', m.memberId)).issued).toEqual([]);

    const stored = await ctx.store.db
      .selectFrom('notices')
      .select(['reason', 'contents', 'issued_on'])
      .where('id', '=', elderly.issued[0].noticeId)
      .executeTakeFirstOrThrow();
    expect(stored.reason).toBe('change');
    expect(stored.issued_on).toBe(due);
    expect(JSON.parse(stored.contents)).toMatchObject({ burdenRatio: 20, burdenBand: 'elderly' });
  });
});
