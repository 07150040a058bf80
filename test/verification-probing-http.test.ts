/**
 * Probing a person by 記号・番号 (issue #19 §5) and the batch verification (issue #20 §5), through
 * HTTP: an unknown 記号・番号 and a wrong birth date answer alike; misses lock the provider out of the
 * person after MISS_LIMIT within the window, until the lock's period has passed; the association
 * sees the alert and the audit record; a batch answers each check as the single request does.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { residentSchema } from '../src/contract/residents.js';
import { buildApp } from '../src/http/app.js';
import { systemActor } from '../src/services/actor.js';
import { verifyAuditChain } from '../src/services/audit.js';
import type { ServiceContext } from '../src/services/context.js';
import { createInsurer } from '../src/services/insurers.js';
import { issueLegacyCard } from '../src/services/legacy-cards.js';
import { parseNotification, submitNotification } from '../src/services/registry.js';
import { upsertResident } from '../src/services/residents.js';
import { createToken } from '../src/services/tokens.js';
import { LOCK_MS, MISS_LIMIT, MISS_WINDOW_MS } from '../src/services/verification/probing.js';
import { movableClock } from './support/clock.js';
import { countStatements } from './support/statements.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const INSURER = '06139992';
const OTHER_INSURER = '06130017';
const MINUTE = 60_000;

const PEOPLE = [
  { symbol: '1234', number: '567', seed: 8301, name: '協会 太郎', kana: 'キョウカイ タロウ', birthDate: '1989-10-01' },
  { symbol: '1234', number: '568', seed: 8302, name: '協会 次郎', kana: 'キョウカイ ジロウ', birthDate: '1990-02-03' },
  {
    symbol: '1234',
    number: '569',
    seed: 8303,
    name: '協会 三郎',
    kana: 'キョウカイ サブロウ',
    birthDate: '1991-03-04',
  },
];
const [TARO, JIRO, SABURO] = PEOPLE as [(typeof PEOPLE)[0], (typeof PEOPLE)[0], (typeof PEOPLE)[0]];

const query = (p: { symbol: string; number: string }, birthDate: string) => ({
  method: 'number',
  asOf: '2025-12-01',
  document: 'legacy_card',
  insurerNumber: INSURER,
  symbol: p.symbol,
  number: p.number,
  birthDate,
});

describe.each(STORE_KINDS)('probing and batch verification on %s', (kind) => {
  const clock = movableClock('2025-11-21T01:00:00.000Z');
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let counter: ReturnType<typeof countStatements> | null = null;
  const token: Record<'p1' | 'p2' | 'p3' | 'admin' | 'otherAdmin', string> = {
    p1: '',
    p2: '',
    p3: '',
    admin: '',
    otherAdmin: '',
  };

  async function post(url: string, payload: unknown, who: keyof typeof token = 'p1') {
    return app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token[who]}` },
      payload: payload as object,
    });
  }
  const verifyHttp = (payload: unknown, who: keyof typeof token = 'p1') => post('/api/v1/verifications', payload, who);
  async function alerts(who: keyof typeof token = 'admin') {
    return app.inject({
      method: 'GET',
      url: '/api/v1/verification-alerts',
      headers: { authorization: `Bearer ${token[who]}` },
    });
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind, clock);
    // Before any statement is prepared, so that all are counted.
    if (ctx.store.sqlite) counter = countStatements(ctx.store.sqlite);
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    const operator = systemActor('operator');
    const admin = systemActor('admin', { insurerNumber: INSURER });
    for (const [insurerNumber, name] of [
      [INSURER, 'シカク健康保険組合'],
      [OTHER_INSURER, 'ベツ健康保険組合'],
    ] as const) {
      await createInsurer(ctx, operator, {
        insurerNumber,
        name,
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      });
    }
    for (const p of PEOPLE) {
      const person = {
        myNumber: testMyNumber(p.seed),
        name: p.name,
        nameKana: p.kana,
        birthDate: p.birthDate,
        sex: 'male',
        address: '東京都千代田区霞が関1-2-2',
      };
      await upsertResident(ctx, operator, residentSchema.parse(person));
      const { result } = await submitNotification(
        ctx,
        admin,
        parseNotification({
          kind: 'acquisition',
          insurerNumber: INSURER,
          recordedOn: '2024-10-01',
          symbol: p.symbol,
          number: p.number,
          acquiredOn: '2012-04-01',
          standardMonthlyRemuneration: 300_000,
          person,
        }),
      );
      await issueLegacyCard(ctx, admin, result.memberId, { issuedOn: '2024-04-01' });
    }
    token.p1 = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
    token.p2 = (await createToken(ctx, { role: 'provider', providerCode: '1311234574' })).token;
    token.p3 = (await createToken(ctx, { role: 'provider', providerCode: '1311234582' })).token;
    token.admin = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER })).token;
    token.otherAdmin = (await createToken(ctx, { role: 'admin', insurerNumber: OTHER_INSURER })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('answers an unknown 記号・番号 and a wrong birth date identically, with the same statements', async () => {
    // p3's token is looked up once, then cached: not part of the comparison.
    await verifyHttp(query(SABURO, SABURO.birthDate), 'p3');
    counter?.reset();
    const unknown = await verifyHttp(query({ symbol: '1234', number: '999' }, TARO.birthDate), 'p3');
    const unknownStatements = counter?.sql.length ?? 0;
    counter?.reset();
    const wrongBirthDate = await verifyHttp(query(TARO, '1989-10-02'), 'p3');
    const wrongStatements = counter?.sql.length ?? 0;
    expect(unknown.statusCode).toBe(200);
    expect(wrongBirthDate.statusCode).toBe(200);
    expect(unknown.headers['content-type']).toBe(wrongBirthDate.headers['content-type']);
    const strip = (body: string) => body.replace(/"verificationId":"[^"]+"/, '');
    expect(strip(wrongBirthDate.body)).toBe(strip(unknown.body));
    expect(unknown.json()).toMatchObject({
      outcome: 'not_found',
      reasons: [{ code: 'NO_MATCHING_QUALIFICATION' }],
      qualification: null,
    });
    // The same work for both: no timing tells them apart beyond noise.
    if (counter) {
      expect(unknownStatements).toBeGreaterThan(5);
      expect(wrongStatements).toBe(unknownStatements);
    }

    // The association still sees the real reasons in its records.
    const rows = await ctx.store.db
      .selectFrom('verifications')
      .select(['id', 'reasons'])
      .where('id', 'in', [unknown.json().verificationId, wrongBirthDate.json().verificationId])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, JSON.parse(r.reasons)]));
    expect(byId.get(unknown.json().verificationId)).toEqual(['HUB_NOT_REGISTERED']);
    expect(byId.get(wrongBirthDate.json().verificationId)).toEqual(['BIRTH_DATE_MISMATCH']);
  });

  it('locks a provider out of a person on the Nth miss, not another provider; releases after the period', async () => {
    for (let i = 1; i <= MISS_LIMIT; i++) {
      const miss = await verifyHttp(query(JIRO, `1990-01-${String(i).padStart(2, '0')}`));
      expect(miss.statusCode, `miss ${i}`).toBe(200);
      expect(miss.json().reasons.map((r: { code: string }) => r.code)).toEqual(['NO_MATCHING_QUALIFICATION']);
    }
    // Even the right birth date is refused now, with a coded answer.
    const locked = await verifyHttp(query(JIRO, JIRO.birthDate));
    expect(locked.statusCode).toBe(423);
    expect(locked.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(locked.json()).toMatchObject({ code: 'VERIFICATION_LOCKED', status: 423 });
    expect(locked.body).not.toContain(JIRO.name);
    // Another provider, and another person for the same provider, are answered as ever.
    expect((await verifyHttp(query(JIRO, JIRO.birthDate), 'p2')).json().outcome).toBe('eligible');
    expect((await verifyHttp(query(TARO, TARO.birthDate))).json().outcome).toBe('eligible');

    clock.advance(LOCK_MS - MINUTE);
    expect((await verifyHttp(query(JIRO, JIRO.birthDate))).statusCode).toBe(423);
    clock.advance(MINUTE);
    const released = await verifyHttp(query(JIRO, JIRO.birthDate));
    expect(released.statusCode).toBe(200);
    expect(released.json().outcome).toBe('eligible');
  });

  it('shows the lock to the association, active then released, and records it in the audit log', async () => {
    const res = await alerts();
    expect(res.statusCode).toBe(200);
    const [alert] = res.json().alerts;
    expect(alert).toMatchObject({
      providerCode: '1311234566',
      insurerNumber: INSURER,
      symbol: JIRO.symbol,
      number: JIRO.number,
      misses: MISS_LIMIT,
      active: false,
    });
    expect(new Date(alert.lockedUntil).getTime() - new Date(alert.lockedAt).getTime()).toBe(LOCK_MS);
    expect((await alerts('otherAdmin')).json().alerts).toEqual([]);
    expect((await alerts('p1')).statusCode).toBe(403);

    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'verification_locked')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ insurer_number: INSURER, actor: expect.stringMatching(/^provider:/) });
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({
      lockId: alert.id,
      providerCode: '1311234566',
      symbol: JIRO.symbol,
      number: JIRO.number,
      misses: MISS_LIMIT,
    });
    expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
  });

  it('counts misses within the window only', async () => {
    for (let i = 0; i < MISS_LIMIT - 1; i++) await verifyHttp(query(SABURO, '2000-01-01'), 'p2');
    clock.advance(MISS_WINDOW_MS + MINUTE);
    for (let i = 0; i < MISS_LIMIT - 1; i++) await verifyHttp(query(SABURO, '2000-01-01'), 'p2');
    expect((await verifyHttp(query(SABURO, SABURO.birthDate), 'p2')).json().outcome).toBe('eligible');
  });

  describe('POST /api/v1/verifications:batch', () => {
    it('answers each check as the single request does, in order with its ref, and records every one', async () => {
      const before = await ctx.store.db
        .selectFrom('verifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const items = [
        { ref: 'taro', ...query(TARO, TARO.birthDate) },
        { ref: 'nobody', ...query({ symbol: '1234', number: '999' }, TARO.birthDate) },
        { ref: 'typo', ...query(TARO, '1989-10-02') },
        { ref: 'jiro', ...query(JIRO, JIRO.birthDate), consent: { limitInfo: true } },
      ];
      const res = await post('/api/v1/verifications:batch', { items }, 'p3');
      expect(res.statusCode).toBe(200);
      const answers = res.json().items;
      expect(answers.map((a: { ref: string }) => a.ref)).toEqual(['taro', 'nobody', 'typo', 'jiro']);
      for (const [i, item] of items.entries()) {
        const { ref: _ref, ...single } = item;
        const one = (await verifyHttp(single, 'p2')).json();
        const strip = ({ verificationId: _id, ...rest }: { verificationId: string }) => rest;
        expect(answers[i].error).toBeNull();
        expect(strip(answers[i].answer), item.ref).toEqual(strip(one));
      }
      expect(answers[0].answer.outcome).toBe('eligible');
      expect(answers[3].answer.qualification.limitCategory).toBe('ウ');
      const ids = answers.map((a: { answer: { verificationId: string } }) => a.answer.verificationId);
      const recorded = await ctx.store.db.selectFrom('verifications').select('id').where('id', 'in', ids).execute();
      expect(recorded).toHaveLength(4);
      const after = await ctx.store.db
        .selectFrom('verifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(8);
      expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
    });

    it('counts misses between the checks of one batch: the lock stops the guesses that follow', async () => {
      const guesses = Array.from({ length: MISS_LIMIT + 3 }, (_, i) => ({
        ref: `g${i}`,
        ...query(TARO, `1989-01-${String(i + 1).padStart(2, '0')}`),
      }));
      guesses.push({ ref: 'right', ...query(TARO, TARO.birthDate) });
      const res = await post('/api/v1/verifications:batch', { items: guesses }, 'p1');
      expect(res.statusCode).toBe(200);
      const answers = res.json().items;
      for (const a of answers.slice(0, MISS_LIMIT)) expect(a.answer.outcome).toBe('not_found');
      for (const a of answers.slice(MISS_LIMIT)) {
        expect(a.answer).toBeNull();
        expect(a.error).toMatchObject({ code: 'VERIFICATION_LOCKED', status: 423 });
      }
      expect(res.body).not.toContain(TARO.name);
    });

    it('takes up to 1,000 number checks from a provider only', async () => {
      const item = { ref: 'x', ...query(SABURO, SABURO.birthDate) };
      const tooMany = await post('/api/v1/verifications:batch', { items: Array(1001).fill(item) }, 'p2');
      expect(tooMany.statusCode).toBe(400);
      const card = await post(
        '/api/v1/verifications:batch',
        { items: [{ ref: 'c', method: 'card', card: { certificate: 'x', challenge: 'y', signature: 'z' } }] },
        'p2',
      );
      expect(card.statusCode).toBe(400);
      expect((await post('/api/v1/verifications:batch', { items: [item] }, 'admin')).statusCode).toBe(403);
      const full = await post('/api/v1/verifications:batch', { items: Array(1000).fill(item) }, 'p2');
      expect(full.statusCode).toBe(200);
      expect(full.json().items).toHaveLength(1000);
      expect(new Set(full.json().items.map((a: { answer: { outcome: string } }) => a.answer.outcome))).toEqual(
        new Set(['eligible']),
      );
    });
  });
});
