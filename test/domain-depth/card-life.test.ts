/**
 * Issue #16 point 3 through the card API: the under-20 / under-18 card life is cut on the application
 * date (申請受付日) when the request gives it (RULES-NOTES §3), else on the issue date.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertTestResident, testMyNumber } from '../../src/cards/testing.js';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('card life by application date on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let operator: Record<string, string>;
  /** 19 on 2022-04-15. */
  const nineteen = testMyNumber(161);
  /** Born 2004-02-29: 18 on 2022-04-15. */
  const leapDay = testMyNumber(162);

  const issue = (myNumber: string, body: Record<string, unknown>) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/cards',
      headers: operator,
      payload: { myNumber, issuedOn: '2022-04-15', pin: '1234', ...body },
    });

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    operator = { authorization: `Bearer ${(await createToken(ctx, { role: 'operator' })).token}` };
    await insertTestResident(ctx, nineteen, '2003-01-10');
    await insertTestResident(ctx, leapDay, '2004-02-29');
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('a 19-year-old who applied on 2022-03-31 gets 5 years (cut 20); on 2022-04-01, 10 years (cut 18)', async () => {
    const before = await issue(nineteen, { appliedOn: '2022-03-31' });
    expect(before.statusCode).toBe(201);
    expect(before.json()).toMatchObject({ cardExpiresOn: '2027-01-10', certificateExpiresOn: '2027-01-10' });
    const from = await issue(nineteen, { appliedOn: '2022-04-01' });
    expect(from.json()).toMatchObject({ cardExpiresOn: '2032-01-10', certificateExpiresOn: '2027-01-10' });
    // Without the application date the issue date (2022-04-15) decides: 10 years.
    expect((await issue(nineteen, {})).json().cardExpiresOn).toBe('2032-01-10');
  });

  it('born 02-29: the 5-year card ends on 02-28 of a common year, the 10-year card on 02-29 of a leap year', async () => {
    const before = await issue(leapDay, { appliedOn: '2022-03-31' });
    expect(before.json()).toMatchObject({ cardExpiresOn: '2027-02-28', certificateExpiresOn: '2027-02-28' });
    expect((await issue(leapDay, { appliedOn: '2022-04-01' })).json().cardExpiresOn).toBe('2032-02-29');
  });

  it('refuses an application date after the issue date, or not a date', async () => {
    const late = await issue(nineteen, { appliedOn: '2022-04-16' });
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((await issue(nineteen, { appliedOn: '2022-02-30' })).statusCode).toBe(400);
  });
});
