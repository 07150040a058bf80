/**
 * Issue #16 point 5 through the API: a legacy card's printed 有効期限, its return (回収) up to
 * 2025-12-01, self-disposal (自己廃棄) from 2025-12-02 and loss, each recorded with its date, shown in
 * the member view, and followed by the verification by number.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeInsurer, makeResident, notify, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('legacy card life through the API on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let insurer = '';
  let admin = '';
  let provider = '';
  let symbolSeq = 5100;

  const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  /** A member holding one legacy card issued 2024-04-01 (with `expiresOn` when given). */
  async function holder(expiresOn?: string) {
    const p = person({ birthDate: '1980-05-05' });
    await makeResident(ctx, p);
    const symbol = String(symbolSeq++);
    const m = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: insurer,
      recordedOn: '2024-03-01',
      symbol,
      acquiredOn: '2012-04-01',
      standardMonthlyRemuneration: 300_000,
      person: p,
    });
    const res = await call('POST', `/api/v1/members/${m.memberId}/legacy-cards`, admin, {
      issuedOn: '2024-04-01',
      ...(expiresOn ? { expiresOn } : {}),
    });
    expect(res.statusCode).toBe(201);
    return { memberId: m.memberId, symbol, number: m.number, birthDate: p.birthDate, cardId: res.json().legacyCardId };
  }

  async function verify(h: Awaited<ReturnType<typeof holder>>, asOf: string) {
    const res = await call('POST', '/api/v1/verifications', provider, {
      method: 'number',
      asOf,
      document: 'legacy_card',
      insurerNumber: insurer,
      symbol: h.symbol,
      number: h.number,
      birthDate: h.birthDate,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    return { outcome: body.outcome, reasons: body.reasons.map((r: { code: string }) => r.code) };
  }

  const cardOn = async (h: Awaited<ReturnType<typeof holder>>, asOf: string) => {
    const res = await call('GET', `/api/v1/members/${h.memberId}?asOf=${asOf}`, admin);
    expect(res.statusCode).toBe(200);
    return res.json().legacyCards[0];
  };
  const record = (h: Awaited<ReturnType<typeof holder>>, action: string, body: object, token = admin) =>
    call('POST', `/api/v1/legacy-cards/${h.cardId}:${action}`, token, body);

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurer = await makeInsurer(ctx);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('a printed 有効期限 ends the card the day after; it is then to be handed back, even after 2025-12-01', async () => {
    const h = await holder('2025-06-30');
    expect(await cardOn(h, '2025-06-30')).toMatchObject({
      expiresOn: '2025-06-30',
      state: 'in_use',
      lastUsableOn: '2025-06-30',
      pending: 'none',
    });
    expect(await cardOn(h, '2025-07-01')).toMatchObject({ state: 'expired', pending: 'return' });
    expect(await verify(h, '2025-06-30')).toMatchObject({ outcome: 'eligible' });
    expect(await verify(h, '2025-07-01')).toMatchObject({ outcome: 'ineligible', reasons: ['LEGACY_CARD_EXPIRED'] });
    const late = await record(h, 'return', { returnedOn: '2026-01-10' });
    expect(late.statusCode).toBe(200);
    expect(late.json()).toMatchObject({ state: 'returned', returnedOn: '2026-01-10', pending: 'none' });
  });

  it('records a return on 2025-12-01: the card stops verifying that day; a repeat is idempotent', async () => {
    const h = await holder();
    const res = await record(h, 'return', { returnedOn: '2025-12-01' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      legacyCardId: h.cardId,
      memberId: h.memberId,
      asOf: '2025-12-01',
      returnedOn: '2025-12-01',
      state: 'returned',
      lastUsableOn: '2025-11-30',
      pending: 'none',
    });
    const again = await record(h, 'return', { returnedOn: '2025-12-01' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(res.json());
    const audits = await ctx.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('member_id', '=', h.memberId)
      .where('action', '=', 'legacy_card.return')
      .execute();
    expect(audits).toHaveLength(1);
    expect(await verify(h, '2025-11-30')).toMatchObject({ outcome: 'eligible' });
    expect(await verify(h, '2025-12-01')).toMatchObject({ outcome: 'ineligible', reasons: ['LEGACY_CARD_RETURNED'] });
    expect(await cardOn(h, '2025-12-01')).toMatchObject({ state: 'returned', returnedOn: '2025-12-01' });
    // A card has one end.
    const dispose = await record(h, 'dispose', { disposedOn: '2025-12-05' });
    expect(dispose.statusCode).toBe(409);
    expect(dispose.json()).toMatchObject({ code: 'CONFLICT_LEGACY_CARD_STATE' });
  });

  it('from 2025-12-02 the member destroys the card: a return is refused, a disposal is recorded', async () => {
    const h = await holder();
    expect(await cardOn(h, '2025-12-02')).toMatchObject({
      state: 'ended',
      lastUsableOn: '2025-12-01',
      pending: 'dispose',
    });
    const returned = await record(h, 'return', { returnedOn: '2025-12-02' });
    expect(returned.statusCode).toBe(422);
    expect(returned.json()).toMatchObject({ code: 'LEGACY_CARD_RETURN_CLOSED' });
    expect(returned.json().ja).toContain('廃棄');
    const early = await record(h, 'dispose', { disposedOn: '2025-12-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'LEGACY_CARD_DISPOSAL_NOT_YET' });
    const disposed = await record(h, 'dispose', { disposedOn: '2025-12-02' });
    expect(disposed.statusCode).toBe(200);
    expect(disposed.json()).toMatchObject({ state: 'disposed', disposedOn: '2025-12-02', pending: 'none' });
    expect(await cardOn(h, '2025-12-03')).toMatchObject({ state: 'disposed' });
    expect(await verify(h, '2025-12-02')).toMatchObject({ outcome: 'ineligible', reasons: ['LEGACY_CARD_RETURNED'] });
  });

  it('records a loss: the card stops verifying that day', async () => {
    const h = await holder();
    const res = await record(h, 'report-lost', { reportedLostOn: '2025-10-01' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'lost', reportedLostOn: '2025-10-01' });
    expect(await verify(h, '2025-09-30')).toMatchObject({ outcome: 'eligible' });
    expect(await verify(h, '2025-10-01')).toMatchObject({
      outcome: 'ineligible',
      reasons: ['LEGACY_CARD_REPORTED_LOST'],
    });
    const again = await record(h, 'report-lost', { reportedLostOn: '2025-10-05' });
    expect(again.statusCode).toBe(409);
  });

  it('is for the admin of the member association only; a printed expiry before the issue is refused', async () => {
    const h = await holder();
    const employer = (await createToken(ctx, { role: 'employer', insurerNumber: insurer, employerSymbol: h.symbol }))
      .token;
    expect((await record(h, 'report-lost', { reportedLostOn: '2025-10-01' }, employer)).statusCode).toBe(403);
    const other = await makeInsurer(ctx);
    const otherAdmin = (await createToken(ctx, { role: 'admin', insurerNumber: other })).token;
    const foreign = await record(h, 'report-lost', { reportedLostOn: '2025-10-01' }, otherAdmin);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'LEGACY_CARD_NOT_FOUND' });
    const beforeIssue = await record(h, 'report-lost', { reportedLostOn: '2024-03-31' });
    expect(beforeIssue.statusCode).toBe(422);
    expect(beforeIssue.json()).toMatchObject({ code: 'LEGACY_CARD_EVENT_BEFORE_ISSUE' });
    const unknown = await call('POST', '/api/v1/legacy-cards/nope:return', admin, { returnedOn: '2025-10-01' });
    expect(unknown.statusCode).toBe(404);
    const bad = await call('POST', `/api/v1/members/${h.memberId}/legacy-cards`, admin, {
      issuedOn: '2024-04-01',
      expiresOn: '2024-03-31',
    });
    expect(bad.statusCode).toBe(400);
  });
});
