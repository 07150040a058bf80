import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { WEB_DIST, webRoutes } from '../src/http/routes/web.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { DEMO_INSURER, DEMO_PIN, DEMO_SECOND_INSURER, type DemoResult, loadDemo } from '../src/services/demo.js';
import { createToken } from '../src/services/tokens.js';
import { openTestContext } from './support/stores.js';
import { ensureWebBuilt } from './web/support.js';

/**
 * The routes the screens use (issue #4): whoami, the dashboard, the timeline, the CSV upload, the
 * applications queue, the portal's card login, the お知らせ check by number, and the pages at `/`.
 */
describe('routes for the screens', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  let adminB: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    await ensureWebBuilt();
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
    adminB = (await createToken(ctx, { role: 'admin', insurerNumber: DEMO_SECOND_INSURER })).token;
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const member = (key: string) => {
    const m = demo.members.find((x) => x.key === key);
    if (!m) throw new Error(`no demo member ${key}`);
    return m;
  };

  it('whoami: the role, scope and the server’s today; 401 without a token', async () => {
    const admin = await app.inject({ url: '/api/v1/whoami', headers: auth(demo.tokens.admin) });
    expect(admin.json()).toEqual({
      role: 'admin',
      insurerNumber: DEMO_INSURER,
      insurerName: 'シカク健康保険組合',
      employerSymbol: null,
      providerCode: null,
      memberId: null,
      today: '2026-11-23',
    });
    const employer = await app.inject({ url: '/api/v1/whoami', headers: auth(demo.tokens.employer) });
    expect(employer.json()).toMatchObject({ role: 'employer', employerSymbol: '1234', insurerNumber: DEMO_INSURER });
    const memberAnswer = await app.inject({ url: '/api/v1/whoami', headers: auth(demo.tokens.member) });
    expect(memberAnswer.json()).toMatchObject({
      role: 'member',
      memberId: member('taro').memberId,
      insurerNumber: DEMO_INSURER,
    });
    const anonymous = await app.inject({ url: '/api/v1/whoami' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('AUTH_REQUIRED');
  });

  it('dashboard: counts, the mismatch with its near-match hint, members without My Number; another association is 404', async () => {
    const answer = await app.inject({
      url: `/api/v1/insurers/${DEMO_INSURER}/dashboard`,
      headers: auth(demo.tokens.admin),
    });
    expect(answer.statusCode).toBe(200);
    const d = answer.json();
    // 10 members at A; 転職 健 lost his on 2026-10-01.
    expect(d.members).toEqual({ covered: 9, insured: 7, dependents: 2, lost: 1, notStarted: 0 });
    expect(d.hub).toMatchObject({ mismatch: 1, noMyNumber: 1, pending: 0 });
    expect(d.withoutMyNumber.map((m: { name: string }) => m.name)).toEqual(['未届 四郎']);
    expect(d.mismatches).toHaveLength(1);
    expect(d.mismatches[0]).toMatchObject({
      name: '高橋 崎子',
      fields: ['name'],
      nearMatch: [
        { field: 'name', index: 0, given: '高', recorded: '髙' },
        { field: 'name', index: 3, given: '崎', recorded: '﨑' },
      ],
    });
    // On a day before 未届 四郎 joined (2026-04-01) he is not yet counted.
    const before = (
      await app.inject({
        url: `/api/v1/insurers/${DEMO_INSURER}/dashboard?asOf=2026-03-31`,
        headers: auth(demo.tokens.admin),
      })
    ).json();
    expect(before.members.notStarted).toBe(1);
    expect(before.hub.noMyNumber).toBe(0);

    const other = await app.inject({
      url: `/api/v1/insurers/${DEMO_SECOND_INSURER}/dashboard`,
      headers: auth(demo.tokens.admin),
    });
    expect(other.statusCode).toBe(404);
    const employer = await app.inject({
      url: `/api/v1/insurers/${DEMO_INSURER}/dashboard`,
      headers: auth(demo.tokens.employer),
    });
    expect(employer.statusCode).toBe(403);
    const badCheckDigit = await app.inject({
      url: '/api/v1/insurers/06139993/dashboard',
      headers: auth(demo.tokens.admin),
    });
    expect(badCheckDigit.json().code).toBe('INSURER_NUMBER_CHECK_DIGIT');
  });

  it('dashboard: a 資格確認書 is "expiring" from exactly 3 months before its last day', async () => {
    // At B certificates are valid until 2029-11-30 (the association's policy).
    const issued = await app.inject({
      method: 'POST',
      url: '/api/v1/certificates',
      headers: auth(adminB),
      payload: { memberId: member('ken@B').memberId, reason: 'needs_assistance', recordedOn: '2026-11-23' },
    });
    expect(issued.statusCode).toBe(201);
    expect(issued.json().validUntil).toBe('2029-11-30');
    const on = async (asOf: string) =>
      (
        await app.inject({
          url: `/api/v1/insurers/${DEMO_SECOND_INSURER}/dashboard?asOf=${asOf}`,
          headers: auth(adminB),
        })
      ).json().certificatesExpiring;
    expect(await on('2029-08-29')).toEqual([]);
    expect(await on('2029-08-30')).toEqual([
      expect.objectContaining({
        name: '転職 健',
        validUntil: '2029-11-30',
        certificateId: issued.json().certificateId,
      }),
    ]);
    expect(await on('2029-11-30')).toHaveLength(1);
    expect(await on('2029-12-01')).toEqual([]);
  });

  it('timeline: every fact with the day it is about and the day it became known; out of scope is 404', async () => {
    const taro = member('taro');
    // A check by card leaves a verification on the timeline.
    const provider = auth(demo.tokens.provider);
    const { challenge } = (await app.inject({ url: '/api/v1/verifications/challenge', headers: provider })).json();
    const signed = (
      await app.inject({
        method: 'POST',
        url: `/api/v1/cards/${demo.cards.taro}:sign`,
        headers: provider,
        payload: { challenge, pin: DEMO_PIN },
      })
    ).json();
    await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: provider,
      payload: {
        method: 'card',
        card: { certificate: signed.certificate, challenge, signature: signed.signature },
        identityCheck: 'pin',
      },
    });
    const answer = await app.inject({
      url: `/api/v1/members/${taro.memberId}/timeline`,
      headers: auth(demo.tokens.admin),
    });
    expect(answer.statusCode).toBe(200);
    const events = answer.json().events as Array<{
      on: string;
      recordedOn: string;
      kind: string;
      detail: Record<string, unknown>;
    }>;
    const of = (kind: string) => events.filter((e) => e.kind === kind);
    expect(of('acquired')).toEqual([
      { on: '2012-04-01', recordedOn: '2023-06-01', kind: 'acquired', detail: { version: 1 } },
    ]);
    expect(of('notification')[0]).toMatchObject({
      on: '2023-06-01',
      detail: { notification: 'acquisition', source: 'api' },
    });
    // The hub answers from the 2nd business day after 2023-06-01 (Thu) → Mon 2023-06-05.
    expect(of('hub')[0]).toMatchObject({
      on: '2023-06-05',
      recordedOn: '2023-06-01',
      detail: { hubStatus: 'registered' },
    });
    expect(of('card')[0]).toMatchObject({ on: '2023-03-01', detail: { cardKind: 'card', status: 'active' } });
    expect(of('card_registration')[0]).toMatchObject({
      on: '2023-05-01',
      detail: { registration: 'registered', channel: 'reader' },
    });
    expect(of('verification').at(-1)).toMatchObject({
      on: '2026-11-23',
      detail: { method: 'card', outcome: 'eligible' },
    });
    // Oldest first.
    expect(events.map((e) => e.on)).toEqual([...events.map((e) => e.on)].sort());
    // Nothing in it is a My Number.
    expect(answer.body).not.toMatch(/\d{12}/);

    const outOfScope = await app.inject({ url: `/api/v1/members/${taro.memberId}/timeline`, headers: auth(adminB) });
    expect(outOfScope.statusCode).toBe(404);
    const employer = await app.inject({
      url: `/api/v1/members/${taro.memberId}/timeline`,
      headers: auth(demo.tokens.employer),
    });
    expect(employer.statusCode).toBe(403);
  });

  it('CSV upload: per physical line, the columns of a bad row, nothing written for it; re-upload replays', async () => {
    const csv = [
      '種別,記号,氏名,フリガナ,生年月日,性別,住所,資格取得日,標準報酬月額,個人番号,届出日',
      '取得,9012,取込 一,トリコミ ハジメ,1990-01-01,男,東京都新宿区西新宿2-8-1,2026-11-01,300000,,2026-11-20',
      '',
      '取得,9012,取込 二,トリコミ ジ,1990-02-02,男,東京都新宿区西新宿2-8-1,2026-11-01,300000,123456789012,2026-11-20',
      '取得,9012,取込 三,トリコミ サン,1990-13-01,男,東京都新宿区西新宿2-8-1,2026-11-01,300000,,2026-11-20',
    ].join('\n');
    const upload = () =>
      app.inject({
        method: 'POST',
        url: '/api/v1/notifications:import',
        headers: { ...auth(demo.tokens.admin), 'content-type': 'text/csv; charset=utf-8' },
        payload: csv,
      });
    const first = await upload();
    expect(first.statusCode).toBe(200);
    const report = first.json();
    expect(report).toMatchObject({ total: 3, accepted: 1, rejected: 2, written: 1, replayed: 0 });
    expect(report.rows.map((r: { line: number; ok: boolean }) => [r.line, r.ok])).toEqual([
      [2, true],
      [4, false],
      [5, false],
    ]);
    expect(report.rows[1]).toMatchObject({ error: { code: 'MYNUMBER_CHECK_DIGIT' }, columns: ['個人番号'] });
    expect(report.rows[2]).toMatchObject({ error: { code: 'VALIDATION_DATE' }, columns: ['生年月日'] });
    expect(report.rows[0].result).toMatchObject({
      symbol: '9012',
      hubStatus: 'no_my_number',
      hubAvailableOn: '2026-11-25',
    });
    const again = (await upload()).json();
    expect(again).toMatchObject({ accepted: 1, written: 0, replayed: 1 });
    const names = await ctx.store.db.selectFrom('members').select('name').where('name', 'like', '取込%').execute();
    expect(names).toEqual([{ name: '取込 一' }]);
  });

  it('CSV upload: an employer only for its own 記号; a Shift_JIS or JSON body is refused as a file', async () => {
    const rows = [
      '種別,記号,番号,資格喪失日,届出日',
      `喪失,5678,${member('ichiro').number},2026-12-01,2026-11-23`,
    ].join('\n');
    const employer = await app.inject({
      method: 'POST',
      url: '/api/v1/notifications:import',
      headers: { ...auth(demo.tokens.employer), 'content-type': 'text/csv' },
      payload: rows,
    });
    expect(employer.statusCode).toBe(200);
    expect(employer.json().rows[0]).toMatchObject({ line: 2, ok: false, error: { code: 'FORBIDDEN' } });

    // 種別 in Shift_JIS: 0x8EED 0x95CA.
    const sjis = Buffer.from([0x8e, 0xed, 0x95, 0xca, 0x0a]);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/notifications:import',
      headers: { ...auth(demo.tokens.admin), 'content-type': 'text/csv' },
      payload: sjis,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('VALIDATION_CSV');
    const json = await app.inject({
      method: 'POST',
      url: '/api/v1/notifications:import',
      headers: auth(demo.tokens.admin),
      payload: { rows: [] },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().code).toBe('VALIDATION_CSV');
    const provider = await app.inject({
      method: 'POST',
      url: '/api/v1/notifications:import',
      headers: { ...auth(demo.tokens.provider), 'content-type': 'text/csv' },
      payload: rows,
    });
    expect(provider.statusCode).toBe(403);
  });

  it('portal: challenge → the card signs with the PIN → session; the token opens the member’s own screen', async () => {
    const { challenge } = (await app.inject({ url: '/api/v1/me/challenge' })).json();
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/me/card:sign',
      payload: { cardId: demo.cards.hanako, challenge, pin: '9999' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'CARD_PIN_WRONG', remainingTries: 2 });
    const noPin = await app.inject({
      method: 'POST',
      url: '/api/v1/me/card:sign',
      payload: { cardId: demo.cards.hanako, challenge },
    });
    expect(noPin.statusCode).toBe(400);
    const signed = await app.inject({
      method: 'POST',
      url: '/api/v1/me/card:sign',
      payload: { cardId: demo.cards.hanako, challenge, pin: DEMO_PIN },
    });
    expect(signed.statusCode).toBe(200);
    const { certificate, signature } = signed.json();
    const session = await app.inject({
      method: 'POST',
      url: '/api/v1/me/session',
      payload: { certificate, challenge, signature },
    });
    expect(session.statusCode).toBe(201);
    const s = session.json();
    expect(s).toMatchObject({
      memberId: member('hanako').memberId,
      name: '協会 花子',
      expiresIn: 1800,
      insurerNumber: DEMO_INSURER,
    });
    expect(s.expiresAt).toBe('2026-11-23T01:30:00.000Z');
    const screen = await app.inject({ url: '/api/v1/me/qualification', headers: auth(s.token) });
    expect(screen.statusCode).toBe(200);
    expect(screen.json().members.map((m: { name: string }) => m.name)).toEqual(['協会 花子']);
    // A member token is no admin's: the dashboard is refused.
    expect(
      (await app.inject({ url: `/api/v1/insurers/${DEMO_INSURER}/dashboard`, headers: auth(s.token) })).statusCode,
    ).toBe(403);
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/me/session',
      payload: { certificate, challenge, signature },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().details).toEqual({ reason: 'CHALLENGE_INVALID' });
  });

  it('applications queue: what members filed, oldest first, with the member; approving takes it off', async () => {
    const jiro = member('jiro');
    const filed = await app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: auth(demo.tokens.member),
      payload: { kind: 'notice_reissue', memberId: jiro.memberId, portalUsable: false },
    });
    expect(filed.statusCode).toBe(201);
    const queue = await app.inject({ url: '/api/v1/applications', headers: auth(demo.tokens.admin) });
    expect(queue.statusCode).toBe(200);
    const items = queue.json().items as Array<{
      applicationId: string;
      member: { name: string };
      kind: string;
      state: string;
    }>;
    expect(items).toEqual([
      expect.objectContaining({
        applicationId: filed.json().applicationId,
        kind: 'notice_reissue',
        state: 'received',
        member: expect.objectContaining({ name: '協会 次郎' }),
      }),
    ]);
    expect((await app.inject({ url: '/api/v1/applications', headers: auth(adminB) })).json().items).toEqual([]);
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/applications/${filed.json().applicationId}:approve`,
      headers: auth(demo.tokens.admin),
      payload: {},
    });
    expect(approved.statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/applications', headers: auth(demo.tokens.admin) })).json().items).toEqual(
      [],
    );
    expect(
      (await app.inject({ url: '/api/v1/applications?state=approved', headers: auth(demo.tokens.admin) })).json().items,
    ).toHaveLength(1);
    expect((await app.inject({ url: '/api/v1/applications', headers: auth(demo.tokens.member) })).statusCode).toBe(403);
  });

  it('by number with the お知らせ shown with the card: the hub decides, no document check', async () => {
    const check = async (key: string, birthDate: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/verifications',
          headers: auth(demo.tokens.provider),
          payload: {
            method: 'number',
            document: 'notice',
            insurerNumber: DEMO_INSURER,
            symbol: member(key).symbol,
            number: member(key).number,
            branch: member(key).branch,
            birthDate,
          },
        })
      ).json();
    const taro = await check('taro', '1989-10-01');
    expect(taro.outcome).toBe('eligible');
    expect(taro.qualification).toMatchObject({ name: '協会 太郎', burdenRatio: 30 });
    const ken = await check('ken', '1985-12-24');
    expect(ken.outcome).toBe('ineligible');
    expect(ken.reasons.map((r: { code: string }) => r.code)).toEqual([
      'QUALIFICATION_LOST',
      'NEWER_QUALIFICATION_EXISTS',
    ]);
    expect((await check('taro', '1989-10-02')).reasons.map((r: { code: string }) => r.code)).toEqual([
      'NO_MATCHING_QUALIFICATION',
    ]);
  });

  it('pages: index.html at every screen path with a strict CSP, hashed assets cached for good, /api stays JSON', async () => {
    for (const path of ['/', '/reception', '/console', '/console/members/abc', '/portal', '/employer/x']) {
      const page = await app.inject({ url: path });
      expect(page.statusCode, path).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toContain('<div id="app"></div>');
    }
    const asset = readdirSync(join(WEB_DIST, 'assets')).find((f) => f.endsWith('.js'));
    const js = await app.inject({ url: `/assets/${asset}` });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toContain('immutable');
    const missing = await app.inject({ url: '/api/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect((await app.inject({ url: '/reception-not-a-screen' })).statusCode).toBe(404);
  });

  it('without a build the screen paths say how to build it', async () => {
    const bare = Fastify();
    await webRoutes(`${mkdtempSync(join(tmpdir(), 'shikaku-web-'))}/`)(bare as never, ctx);
    const page = await bare.inject({ url: '/portal' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:web');
    await bare.close();
  });
});
