import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { freshInsurerNumber, person, wrongCheckDigit } from './support/registry.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

describe.each(STORE_KINDS)('registry over HTTP on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const insurer = freshInsurerNumber();
  const otherInsurer = freshInsurerNumber();
  const tokens: Record<'operator' | 'admin' | 'otherAdmin' | 'employer' | 'provider', string> = {
    operator: '',
    admin: '',
    otherAdmin: '',
    employer: '',
    provider: '',
  };

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    tokens.operator = (await createToken(ctx, { role: 'operator' })).token;
    tokens.admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    tokens.otherAdmin = (await createToken(ctx, { role: 'admin', insurerNumber: otherInsurer })).token;
    tokens.employer = (
      await createToken(ctx, { role: 'employer', insurerNumber: insurer, employerSymbol: '1234' })
    ).token;
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  type Who = keyof typeof tokens | null;
  const call = (method: 'GET' | 'POST', url: string, who: Who, payload?: unknown) =>
    app.inject({
      method,
      url,
      ...(who ? { headers: { authorization: `Bearer ${tokens[who]}` } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ status, code, ja: expect.any(String), en: expect.any(String) });
    return body;
  }

  const insurerBody = (insurerNumber: string) => ({
    insurerNumber,
    name: '協会健康保険組合',
    certificatePolicy: { validYears: 5 },
    reissueFeeYen: 500,
    newMemberCertificate: 'on_application',
  });

  const taro = person();
  const acquisition = (extra: Record<string, unknown> = {}, p: object = taro) => ({
    kind: 'acquisition',
    insurerNumber: insurer,
    recordedOn: '2025-11-21',
    relationship: 'insured',
    symbol: '1234',
    number: '567',
    branch: '00',
    acquiredOn: '2025-11-01',
    standardMonthlyRemuneration: 300000,
    person: p,
    ...extra,
  });
  let memberId = '';

  it('registers associations (operator only, check digit, once)', async () => {
    expectProblem(await call('POST', '/api/v1/insurers', null, insurerBody(insurer)), 401, 'AUTH_REQUIRED');
    expectProblem(await call('POST', '/api/v1/insurers', 'admin', insurerBody(insurer)), 403, 'FORBIDDEN');
    expectProblem(
      await call('POST', '/api/v1/insurers', 'operator', insurerBody(wrongCheckDigit(insurer))),
      400,
      'INSURER_NUMBER_CHECK_DIGIT',
    );
    const created = await call('POST', '/api/v1/insurers', 'operator', insurerBody(insurer));
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual(insurerBody(insurer));
    expect((await call('POST', '/api/v1/insurers', 'operator', insurerBody(otherInsurer))).statusCode).toBe(201);
    expectProblem(
      await call('POST', '/api/v1/insurers', 'operator', insurerBody(insurer)),
      409,
      'CONFLICT_INSURER_EXISTS',
    );
  });

  it('creates then replaces resident records (operator only), answering the My Number masked', async () => {
    const created = await call('POST', '/api/v1/residents', 'operator', taro);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ myNumber: `********${taro.myNumber.slice(8)}`, created: true });
    const replaced = await call('POST', '/api/v1/residents', 'operator', taro);
    expect(replaced.statusCode).toBe(200);
    expectProblem(await call('POST', '/api/v1/residents', 'admin', taro), 403, 'FORBIDDEN');
    expectProblem(
      await call('POST', '/api/v1/residents', 'operator', { ...taro, myNumber: wrongCheckDigit(taro.myNumber) }),
      400,
      'MYNUMBER_CHECK_DIGIT',
    );
  });

  it('answers an acquisition as DESIGN.md §5.0 says (201)', async () => {
    const response = await call('POST', '/api/v1/notifications', 'admin', acquisition());
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toEqual({
      notificationId: expect.any(String),
      memberId: expect.any(String),
      symbol: '1234',
      number: '567',
      branch: '00',
      hubStatus: 'registered',
      hubAvailableOn: '2025-11-26',
    });
    memberId = body.memberId;
    expect(response.body).not.toContain(taro.myNumber);
  });

  it('refuses malformed notifications with problem+json and the specific code', async () => {
    const bad = async (payload: unknown, code: string, who: Who = 'admin') =>
      expectProblem(await call('POST', '/api/v1/notifications', who, payload), 400, code);
    const unknown = await bad({ ...acquisition({ number: '600' }), colour: 'blue' }, 'VALIDATION_UNKNOWN_FIELD');
    expect(unknown.errors[0].message).toContain('colour');
    await bad(acquisition({ number: '600' }, { ...person(), nickname: 'タロ' }), 'VALIDATION_UNKNOWN_FIELD');
    await bad(acquisition({ number: '600', acquiredOn: '2025-02-30' }), 'VALIDATION_DATE');
    await bad(acquisition({ number: '600', recordedOn: '2025/11/21' }), 'VALIDATION_DATE');
    const digit = await bad(
      acquisition({ number: '600' }, { ...person(), myNumber: '123456789012' }),
      'MYNUMBER_CHECK_DIGIT',
    );
    expect(digit.errors[0].path).toBe('body/person/myNumber');
    await bad(acquisition({ insurerNumber: '06139993' }), 'INSURER_NUMBER_CHECK_DIGIT');
    await bad(acquisition({ number: '600', branch: '0' }), 'VALIDATION_FAILED');
    await bad({ kind: 'transfer', insurerNumber: insurer }, 'VALIDATION_FAILED');
    await bad({ kind: 'change', insurerNumber: insurer, symbol: '1234', number: '567' }, 'VALIDATION_FAILED');
  });

  it('checks roles and scope: 401, 403 for another role, employer or association', async () => {
    expectProblem(await call('POST', '/api/v1/notifications', null, acquisition()), 401, 'AUTH_REQUIRED');
    expectProblem(await call('POST', '/api/v1/notifications', 'provider', acquisition()), 403, 'FORBIDDEN');
    expectProblem(await call('POST', '/api/v1/notifications', 'operator', acquisition()), 403, 'FORBIDDEN');
    expectProblem(await call('POST', '/api/v1/notifications', 'otherAdmin', acquisition()), 403, 'FORBIDDEN');
    expectProblem(
      await call('POST', '/api/v1/notifications', 'employer', acquisition({ symbol: '9999', number: '1' })),
      403,
      'FORBIDDEN',
    );
    const own = await call('POST', '/api/v1/notifications', 'employer', acquisition({ number: undefined }, person()));
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ symbol: '1234', number: '568', hubStatus: 'mismatch' });
    expect(own.json().mismatch).toEqual({ fields: ['residentRecord'], nearMatch: [] });
  });

  it('replays a repeated idempotency key with the first answer', async () => {
    const body = acquisition({ number: undefined, idempotencyKey: 'http-1' }, person());
    const first = await call('POST', '/api/v1/notifications', 'admin', body);
    const again = await call('POST', '/api/v1/notifications', 'admin', body);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
  });

  it('serves the batch at the literal URL /api/v1/notifications:batch, answering per line', async () => {
    const rows = [
      acquisition({ number: undefined, idempotencyKey: 'batch-1' }, person()),
      { ...acquisition({ number: undefined }, person()), colour: 'blue' },
      { kind: 'loss', insurerNumber: insurer, symbol: '1234', number: '404', lostOn: '2025-12-01' },
    ];
    const response = await call('POST', '/api/v1/notifications:batch', 'admin', rows);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ accepted: 1, rejected: 2 });
    expect(
      body.rows.map((r: { line: number; ok: boolean; error?: { code: string } }) => [r.line, r.ok, r.error?.code]),
    ).toEqual([
      [1, true, undefined],
      [2, false, 'VALIDATION_UNKNOWN_FIELD'],
      [3, false, 'MEMBER_NOT_FOUND'],
    ]);
    expect(body.rows[1].error).toMatchObject({
      ja: expect.any(String),
      en: expect.any(String),
      errors: expect.any(Array),
    });
    const again = (await call('POST', '/api/v1/notifications:batch', 'admin', rows)).json();
    expect(again.rows[0]).toMatchObject({ ok: true, replayed: true, result: body.rows[0].result });

    expectProblem(
      await call('POST', '/api/v1/notifications:batch', 'admin', { not: 'an array' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(await call('POST', '/api/v1/notifications:batch', 'provider', rows), 403, 'FORBIDDEN');
    expectProblem(await call('POST', '/api/v1/notifications:batch', null, rows), 401, 'AUTH_REQUIRED');
  });

  it('shows a member on a date, and hides it from another association (404)', async () => {
    const near = person({ name: '髙橋 一郎', nameKana: 'タカハシ イチロウ' });
    await call('POST', '/api/v1/residents', 'operator', near);
    const mismatch = await call(
      'POST',
      '/api/v1/notifications',
      'admin',
      acquisition({ number: undefined }, { ...near, name: '高橋 一郎' }),
    );
    expect(mismatch.json().mismatch).toEqual({
      fields: ['name'],
      nearMatch: [{ field: 'name', index: 0, given: '高', recorded: '髙' }],
    });

    const view = await call('GET', `/api/v1/members/${memberId}?asOf=2025-11-30`, 'admin');
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({
      memberId,
      status: 'eligible',
      myNumber: `********${taro.myNumber.slice(8)}`,
      hubOnAsOf: { state: 'registered' },
      versions: [{ version: 1, hubAvailableOn: '2025-11-26' }],
    });
    expect(view.body).not.toContain(taro.myNumber);
    expect((await call('GET', `/api/v1/members/${memberId}`, 'employer')).statusCode).toBe(200);

    expectProblem(await call('GET', `/api/v1/members/${memberId}`, 'otherAdmin'), 404, 'MEMBER_NOT_FOUND');
    expectProblem(await call('GET', '/api/v1/members/no-such-member', 'admin'), 404, 'MEMBER_NOT_FOUND');
    expectProblem(await call('GET', `/api/v1/members/${memberId}?asOf=2025-13-01`, 'admin'), 400, 'VALIDATION_DATE');
    expectProblem(
      await call('GET', `/api/v1/members/${memberId}?as_of=2025-12-01`, 'admin'),
      400,
      'VALIDATION_UNKNOWN_FIELD',
    );
    expectProblem(await call('GET', `/api/v1/members/${memberId}`, 'provider'), 403, 'FORBIDDEN');
    expectProblem(await call('GET', `/api/v1/members/${memberId}`, null), 401, 'AUTH_REQUIRED');
  });

  it('searches members in scope, paged', async () => {
    const page = await call('GET', `/api/v1/members?kana=${encodeURIComponent('ｷｮｳｶｲ')}&limit=2`, 'admin');
    expect(page.statusCode).toBe(200);
    const body = page.json();
    expect(body.items).toHaveLength(2);
    expect(body.nextCursor).toEqual(expect.any(String));
    const next = (
      await call(
        'GET',
        `/api/v1/members?kana=${encodeURIComponent('ｷｮｳｶｲ')}&limit=2&cursor=${body.nextCursor}`,
        'admin',
      )
    ).json();
    expect(next.items.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/members', 'otherAdmin')).json()).toEqual({ items: [], nextCursor: null });
    expectProblem(await call('GET', '/api/v1/members?limit=0', 'admin'), 400, 'VALIDATION_FAILED');
  });

  it('records legacy cards before 2024-12-02 only (admin)', async () => {
    const created = await call('POST', `/api/v1/members/${memberId}/legacy-cards`, 'admin', { issuedOn: '2024-12-01' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ legacyCardId: expect.any(String), memberId, issuedOn: '2024-12-01' });
    expectProblem(
      await call('POST', `/api/v1/members/${memberId}/legacy-cards`, 'admin', { issuedOn: '2024-12-02' }),
      422,
      'LEGACY_CARD_ISSUANCE_ENDED',
    );
    expectProblem(
      await call('POST', `/api/v1/members/${memberId}/legacy-cards`, 'employer', { issuedOn: '2024-04-01' }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call('POST', `/api/v1/members/${memberId}/legacy-cards`, 'otherAdmin', { issuedOn: '2024-04-01' }),
      404,
      'MEMBER_NOT_FOUND',
    );
  });

  it('documents the registry routes in the OpenAPI description', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/insurers',
        '/api/v1/residents',
        '/api/v1/notifications',
        '/api/v1/notifications:batch',
        '/api/v1/members',
        '/api/v1/members/{id}',
        '/api/v1/members/{id}/legacy-cards',
      ]),
    );
  });
});
