/**
 * `lossReason: 'death'` on the 資格喪失届 through the API: recorded with the member's facts, the
 * dependents' cover ends the same day, and neither gets a 資格確認書 from the ex-officio run afterwards.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeHousehold, makeInsurer } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('a death on the loss notification on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let insurer = '';
  let admin = '';

  const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${admin}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurer = await makeInsurer(ctx);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('records the death, ends the dependents the same day, and the run issues them nothing', async () => {
    const h = await makeHousehold(ctx, {
      insurerNumber: insurer,
      symbol: '8100',
      insuredBorn: '1970-03-03',
      dependentBorn: '1972-08-08',
      remuneration: 300_000,
    });
    const loss = await call('POST', '/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-10-03',
      symbol: '8100',
      number: h.number,
      // Died 2025-10-01: 資格喪失日 is the next day.
      lostOn: '2025-10-02',
      lossReason: 'death',
    });
    expect(loss.statusCode).toBeLessThan(300);
    expect(loss.json().endedDependents).toEqual([h.dependentId]);

    const view = (await call('GET', `/api/v1/members/${h.insuredId}?asOf=2025-10-03`)).json();
    expect(view).toMatchObject({ status: 'lost', lostOn: '2025-10-02' });
    expect(view.versions.at(-1).facts).toMatchObject({ lostOn: '2025-10-02', lossReason: 'death' });
    const dependentView = (await call('GET', `/api/v1/members/${h.dependentId}?asOf=2025-10-02`)).json();
    expect(dependentView).toMatchObject({ status: 'lost', lostOn: '2025-10-02' });

    const run = await call('POST', '/api/v1/certificates:issue-ex-officio', {
      insurerNumber: insurer,
      asOf: '2025-12-02',
      dryRun: true,
    });
    expect(run.statusCode).toBe(200);
    const issued = run.json().issued.map((i: { memberId: string }) => i.memberId);
    expect(issued).not.toContain(h.insuredId);
    expect(issued).not.toContain(h.dependentId);
  });

  it('refuses a loss reason that is not death or other', async () => {
    const res = await call('POST', '/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-10-03',
      symbol: '8100',
      number: '1',
      lostOn: '2025-10-02',
      lossReason: 'retired',
    });
    expect(res.statusCode).toBe(400);
  });
});
