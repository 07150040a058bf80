import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { DEMO_INSURER, DEMO_PIN, type DemoResult, loadDemo } from '../src/services/demo.js';
import { listTokens } from '../src/services/tokens.js';
import { openTestContext } from './support/stores.js';

/** The demo promises members "in every interesting state": each story is checked as a clerk would. */
describe('shikaku serve --demo', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const member = (key: string) => {
    const m = demo.members.find((x) => x.key === key);
    if (!m) throw new Error(`no demo member ${key}`);
    return m;
  };

  async function byCard(key: string, asOf = '2026-11-23') {
    const provider = { authorization: `Bearer ${demo.tokens.provider}` };
    const { challenge } = (
      await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: provider })
    ).json();
    const signed = await app.inject({
      method: 'POST',
      url: `/api/v1/cards/${demo.cards[key]}:sign`,
      headers: { authorization: `Bearer ${demo.tokens.operator}` },
      payload: { challenge, pin: DEMO_PIN },
    });
    expect(signed.statusCode).toBe(200);
    const { certificate, signature } = signed.json();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: provider,
      payload: {
        method: 'card',
        asOf,
        card: { certificate, challenge, signature },
        identityCheck: 'pin',
        consent: { medication: true, healthCheckups: false, limitInfo: true },
      },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  async function byLegacyCard(key: string, birthDate: string, asOf: string) {
    const m = member(key);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { authorization: `Bearer ${demo.tokens.provider}` },
      payload: {
        method: 'number',
        asOf,
        document: 'legacy_card',
        insurerNumber: DEMO_INSURER,
        symbol: m.symbol,
        number: m.number,
        branch: m.branch,
        birthDate,
      },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  const codes = (answer: { reasons: Array<{ code: string }> }) => answer.reasons.map((r) => r.code);

  it('registered card: eligible, 3割, limit category ウ with consent', async () => {
    const answer = await byCard('taro');
    expect(answer.outcome).toBe('eligible');
    expect(answer.qualification).toMatchObject({
      name: '協会 太郎',
      burdenRatio: 30,
      limitCategory: 'ウ',
      relationship: 'insured',
    });
  });

  it('preschool children on either side of the April-1 boundary', async () => {
    expect((await byCard('hanako', '2026-03-31')).qualification.burdenRatio).toBe(20);
    expect((await byCard('hanako', '2026-04-01')).qualification.burdenRatio).toBe(30);
  });

  it('legacy card only: usable on 2025-12-01, temporary measure on 2025-12-02, refused today', async () => {
    expect((await byLegacyCard('ichiro', '1975-06-15', '2025-12-01')).outcome).toBe('eligible');
    const measure = await byLegacyCard('ichiro', '1975-06-15', '2025-12-02');
    expect(measure.outcome).toBe('eligible');
    expect(codes(measure)).toContain('LEGACY_CARD_TEMPORARY_MEASURE');
    const today = await byLegacyCard('ichiro', '1975-06-15', '2026-11-23');
    expect(today.outcome).toBe('ineligible');
    expect(codes(today)).toContain('LEGACY_CARD_EXPIRED');
  });

  it('certificate expired but in grace: eligible with a warning', async () => {
    const answer = await byCard('saburo');
    expect(answer.outcome).toBe('eligible');
    expect(codes(answer)).toContain('CERT_EXPIRED_GRACE');
  });

  it('resident-record mismatch (高 for 髙): not found, contact the association', async () => {
    const answer = await byCard('sakiko');
    expect(answer.outcome).toBe('not_found');
    expect(codes(answer)).toContain('RESIDENT_RECORD_MISMATCH');
    expect(answer.fallbacks.map((f: { code: string }) => f.code)).toContain('CONTACT_INSURER');
  });

  it('70–74: 3割 for high income, the card without registration is refused', async () => {
    expect((await byCard('kourei')).qualification.burdenRatio).toBe(30);
    const fumiko = await byCard('fumiko');
    expect(fumiko.outcome).toBe('ineligible');
    expect(codes(fumiko)).toContain('CARD_NOT_REGISTERED');
  });

  it('job change: the same card is answered at the new association', async () => {
    const answer = await byCard('ken');
    expect(answer.outcome).toBe('eligible');
    expect(answer.qualification.symbol).toBe(member('ken@B').symbol);
    expect(answer.qualification.insurerName).toBe('テンショク健康保険組合');
  });

  async function byCertificate(key: string, birthDate: string, asOf = '2026-11-23') {
    const m = member(key);
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { authorization: `Bearer ${demo.tokens.provider}` },
      payload: {
        method: 'number',
        asOf,
        document: 'certificate',
        insurerNumber: DEMO_INSURER,
        symbol: m.symbol,
        number: m.number,
        branch: m.branch,
        birthDate,
        consent: { limitInfo: true },
      },
    });
    expect(response.statusCode).toBe(200);
    return response.json();
  }

  it('資格確認書 ex officio today: the legacy-only, unregistered and card-less members hold one; by number it verifies', async () => {
    expect(Object.keys(demo.certificates).sort()).toEqual(['fumiko', 'ichiro', 'jiro', 'nomynumber']);
    const ichiro = await byCertificate('ichiro', '1975-06-15');
    expect(ichiro.outcome).toBe('eligible');
    expect(ichiro.qualification).toMatchObject({ name: '保険 一郎', burdenRatio: 30 });
    // 70–74 with a 資格確認書: the 高齢受給者 data is not on it, the separate certificate must be shown.
    const fumiko = await byCertificate('fumiko', '1955-01-20');
    expect(fumiko.outcome).toBe('eligible');
    expect(codes(fumiko)).toContain('SEPARATE_CERTIFICATES_REQUIRED');
    expect(fumiko.qualification.burdenRatio).toBe(20);
    // Issued today: not the day before; and a registered card holder has none.
    expect(codes(await byCertificate('ichiro', '1975-06-15', '2026-11-22'))).toEqual(['CERTIFICATE_NOT_ISSUED']);
    expect(codes(await byCertificate('taro', '1989-10-01'))).toEqual(['CERTIFICATE_NOT_ISSUED']);
  });

  it('every demo member has a お知らせ, and the member sees the eligibility screen', async () => {
    const notices = await ctx.store.db
      .selectFrom('notices')
      .select('member_id')
      .where('insurer_number', '=', DEMO_INSURER)
      .execute();
    const demoMembers = demo.members.filter((m) => m.key !== 'ken@B');
    expect(new Set(notices.map((n) => n.member_id))).toEqual(new Set(demoMembers.map((m) => m.memberId)));
    const screen = await app.inject({
      method: 'GET',
      url: '/api/v1/me/qualification',
      headers: { authorization: `Bearer ${demo.tokens.member}` },
    });
    expect(screen.statusCode).toBe(200);
    expect(screen.json().members.map((m: { name: string }) => m.name)).toEqual(['協会 太郎', '協会 花子', '協会 次郎']);
  });

  it('loads only once: a second run keeps the members and mints fresh tokens', async () => {
    const before = await ctx.store.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const again = await loadDemo(app, ctx);
    const after = await ctx.store.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect(again.tokens.provider).not.toBe(demo.tokens.provider);
    const printed = again.describe('http://127.0.0.1:8080');
    expect(printed).toContain(again.tokens.provider);
    // The restarted demo's requests name the same real members, card and certificate as the first start's.
    const ichiro = member('ichiro');
    expect(printed).toContain(`"symbol":"${ichiro.symbol}","number":"${ichiro.number}","branch":"${ichiro.branch}"`);
    expect(printed).toContain(`/api/v1/cards/${demo.cards.taro}:sign`);
    expect(printed).toContain(`/api/v1/certificates/${demo.certificates.fumiko}.pdf`);
    expect(printed).not.toContain('<cardId>');
    // The first start's tokens are retired, and the new ones expire within a week.
    const old = await app.inject({
      url: '/api/v1/me/qualification',
      headers: { authorization: `Bearer ${demo.tokens.member}` },
    });
    expect(old.statusCode).toBe(401);
    const fresh = await app.inject({
      url: '/api/v1/me/qualification',
      headers: { authorization: `Bearer ${again.tokens.member}` },
    });
    expect(fresh.statusCode).toBe(200);
    const active = (await listTokens(ctx)).filter((t) => t.label === 'demo');
    // The five printed, and the second association's admin.
    expect(active).toHaveLength(Object.keys(again.tokens).length + 1);
    for (const token of active) expect(token.expiresAt).toBe('2026-11-30T01:00:00.000Z');
  });
});
