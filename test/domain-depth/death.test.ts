/**
 * `lossReason: 'death'` on the 資格喪失届 through the API: recorded with the member's facts, the
 * dependents' cover ends the same day, and neither gets a 資格確認書 from the ex-officio run afterwards,
 * nor an お知らせ from the run once the loss is recorded (though one fell due: becoming 高齢受給者); the
 * 資格確認書 they held are collected from the day of the loss (`collectionFor({ kind: 'loss' })`).
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

  /** The 資格喪失届 of an insured who died the day before `lostOn` (健保法 §36 一). */
  const recordDeath = (household: { symbol: string; number: string }, lostOn: string, recordedOn: string) =>
    call('POST', '/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn,
      symbol: household.symbol,
      number: household.number,
      lostOn,
      lossReason: 'death',
    });

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
    // Died 2025-10-01: 資格喪失日 is the next day.
    const loss = await recordDeath(h, '2025-10-02', '2025-10-03');
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

  it('after a death the お知らせ run issues nothing to the insured nor the dependent; their 資格確認書 are collected', async () => {
    // Both turn 70 in March 2026 (70–74 from 2026-04-01): a new お知らせ falls due from 2026-03-01.
    const births = { insuredBorn: '1956-03-15', dependentBorn: '1956-03-25', remuneration: 200_000 };
    const dead = await makeHousehold(ctx, { insurerNumber: insurer, symbol: '8200', ...births });
    const alive = await makeHousehold(ctx, { insurerNumber: insurer, symbol: '8201', ...births });
    const run = await call('POST', '/api/v1/certificates:issue-ex-officio', {
      insurerNumber: insurer,
      asOf: '2025-12-02',
    });
    expect(run.statusCode).toBe(200);
    const certificateOf = (memberId: string) =>
      run.json().issued.find((i: { memberId: string }) => i.memberId === memberId).certificateId as string;
    const held = [certificateOf(dead.insuredId), certificateOf(dead.dependentId)];

    // Died 2026-02-10: lost from 2026-02-11, recorded the day after.
    const loss = await recordDeath(dead, '2026-02-11', '2026-02-12');
    expect(loss.statusCode).toBeLessThan(300);
    expect(loss.json().endedDependents).toEqual([dead.dependentId]);

    for (const id of held) {
      const cert = await call('GET', `/api/v1/certificates/${id}?asOf=2026-02-12`);
      expect(cert.statusCode).toBe(200);
      expect(cert.json()).toMatchObject({ collectedOn: '2026-02-11', collectionReason: 'loss' });
    }
    const timeline = (await call('GET', `/api/v1/members/${dead.insuredId}/timeline`)).json();
    expect(timeline.events).toContainEqual(
      expect.objectContaining({
        kind: 'certificate',
        on: '2026-02-11',
        detail: expect.objectContaining({ event: 'collected', reason: 'loss' }),
      }),
    );

    const notices = await call('POST', '/api/v1/notices:issue', { insurerNumber: insurer, asOf: '2026-03-02' });
    expect(notices.statusCode).toBe(200);
    const noticed = notices.json().issued.map((i: { memberId: string }) => i.memberId);
    // The living household gets its 高齢受給者 お知らせ; the dead insured and the dependent get none.
    expect(noticed).toEqual(expect.arrayContaining([alive.insuredId, alive.dependentId]));
    expect(noticed).not.toContain(dead.insuredId);
    expect(noticed).not.toContain(dead.dependentId);
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
