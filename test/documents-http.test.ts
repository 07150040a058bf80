/**
 * The issue #3 routes over HTTP on both stores: the ex-officio run, certificate applications and their
 * life, applications, notices, the member portal's eligibility screen, and the PDFs (read back with
 * poppler's pdftotext / pdftoppm: 令和 dates, the masked My Number, never a 12-digit run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from './support/documents.js';
import { readPdf } from './support/pdf.js';
import { makeResident, notify, person } from './support/registry.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const TWELVE_DIGITS = /(?<![0-9０-９])[0-9０-９]{12}(?![0-9０-９])/;

describe.each(STORE_KINDS)('documents over HTTP on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let dir: string;
  let insurer = '';
  let otherInsurer = '';
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let taro: Awaited<ReturnType<typeof makeMember>>;
  let child = { memberId: '', symbol: '', number: '', branch: '' };
  let carded: Awaited<ReturnType<typeof makeMember>>;

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    dir = mkdtempSync(join(tmpdir(), 'shikaku-docs-http-'));
    insurer = await makeDocumentsInsurer(ctx);
    otherInsurer = await makeDocumentsInsurer(ctx);
    // The insured has no card (a 資格確認書 ex officio); the name has a variant kanji (髙).
    taro = await makeMember(ctx, insurer, {
      person: { name: '髙橋 太郎', nameKana: 'タカハシ タロウ', birthDate: '1989-10-01' },
    });
    const childSeed = person({
      name: '髙橋 﨑子',
      nameKana: 'タカハシ サキコ',
      birthDate: '2019-06-15',
      sex: 'female',
    });
    await makeResident(ctx, childSeed);
    const dep = await notify(ctx, {
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2024-10-01',
      insured: { symbol: taro.symbol, number: taro.number },
      acquiredOn: '2020-04-01',
      person: childSeed,
    });
    child = { memberId: dep.memberId, symbol: dep.symbol, number: dep.number, branch: dep.branch };
    carded = await makeMember(ctx, insurer, { card: USABLE_CARD, symbol: '1234' });
    const make = async (name: string, request: Parameters<typeof createToken>[1]) => {
      tokens[name] = (await createToken(ctx, request)).token;
    };
    await make('admin', { role: 'admin', insurerNumber: insurer });
    await make('otherAdmin', { role: 'admin', insurerNumber: otherInsurer });
    await make('employer', { role: 'employer', insurerNumber: insurer, employerSymbol: '1234' });
    await make('provider', { role: 'provider', providerCode: '1311234566' });
    await make('operator', { role: 'operator' });
    await make('taro', { role: 'member', memberId: taro.memberId });
    await make('child', { role: 'member', memberId: child.memberId });
    await make('stranger', { role: 'member', memberId: carded.memberId });
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: 'GET' | 'POST', url: string, who: string | null, payload?: unknown) =>
    app.inject({
      method,
      url,
      ...(who ? { headers: { authorization: `Bearer ${tokens[who]}` } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, code: string) {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ status, code, ja: expect.any(String), en: expect.any(String) });
    return body;
  }

  describe('POST /api/v1/certificates:issue-ex-officio', () => {
    const url = '/api/v1/certificates:issue-ex-officio';
    it('is for the admin of that association', async () => {
      const body = { insurerNumber: insurer, asOf: '2025-12-02' };
      expectProblem(await call('POST', url, null, body), 401, 'AUTH_REQUIRED');
      expectProblem(await call('POST', url, 'provider', body), 403, 'FORBIDDEN');
      expectProblem(await call('POST', url, 'employer', body), 403, 'FORBIDDEN');
      expectProblem(await call('POST', url, 'otherAdmin', body), 403, 'FORBIDDEN');
      expectProblem(await call('POST', url, 'admin', { ...body, asOf: '2025-02-30' }), 400, 'VALIDATION_DATE');
      expectProblem(await call('POST', url, 'admin', { ...body, asOf: '2024-12-01' }), 400, 'VALIDATION_FAILED');
      expectProblem(await call('POST', url, 'admin', { ...body, extra: 1 }), 400, 'VALIDATION_UNKNOWN_FIELD');
    });

    it('a dry run writes nothing; the run issues with reasons; a second run issues nothing new', async () => {
      const dry = await call('POST', url, 'admin', { insurerNumber: insurer, asOf: '2025-12-02', dryRun: true });
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ runId: null, dryRun: true });
      const first = await call('POST', url, 'admin', { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(first.statusCode).toBe(200);
      const run = first.json();
      expect(run.issued).toEqual(
        expect.arrayContaining([
          { memberId: taro.memberId, certificateId: expect.any(String), reason: 'no_card', validUntil: '2027-12-01' },
          { memberId: child.memberId, certificateId: expect.any(String), reason: 'no_card', validUntil: '2027-12-01' },
        ]),
      );
      expect(run.skipped).toContainEqual({ memberId: carded.memberId, reason: 'usable_myna_card' });
      expect(run.issued.map((i: { memberId: string }) => i.memberId).sort()).toEqual(
        dry
          .json()
          .issued.map((i: { memberId: string }) => i.memberId)
          .sort(),
      );
      ids.taroCertificate = run.issued.find((i: { memberId: string }) => i.memberId === taro.memberId).certificateId;
      ids.run = run.runId;
      const second = (await call('POST', url, 'admin', { insurerNumber: insurer, asOf: '2025-12-02' })).json();
      expect(second.issued).toEqual([]);
      expect(second.skipped).toContainEqual({ memberId: taro.memberId, reason: 'already_has_certificate' });

      const stored = await call('GET', `/api/v1/certificate-runs/${ids.run}`, 'admin');
      expect(stored.statusCode).toBe(200);
      expect(stored.json()).toMatchObject({ state: 'finished', runId: ids.run, issued: run.issued });
      expectProblem(
        await call('GET', `/api/v1/certificate-runs/${ids.run}`, 'otherAdmin'),
        404,
        'ISSUANCE_RUN_NOT_FOUND',
      );
    });
  });

  describe('certificates', () => {
    it('GET /api/v1/certificates/{id}: admin and the member; others 404; other roles 403', async () => {
      const url = `/api/v1/certificates/${ids.taroCertificate}`;
      const view = await call('GET', `${url}?asOf=2025-12-02`, 'admin');
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({
        memberId: taro.memberId,
        status: 'usable',
        kind: 'ex_officio',
        runId: ids.run,
      });
      expect((await call('GET', url, 'taro')).statusCode).toBe(200);
      expectProblem(await call('GET', url, 'otherAdmin'), 404, 'CERTIFICATE_NOT_FOUND');
      expectProblem(await call('GET', url, 'stranger'), 404, 'CERTIFICATE_NOT_FOUND');
      expectProblem(await call('GET', url, 'child'), 404, 'CERTIFICATE_NOT_FOUND');
      expectProblem(await call('GET', url, 'provider'), 403, 'FORBIDDEN');
      expectProblem(await call('GET', '/api/v1/certificates/nope', 'admin'), 404, 'CERTIFICATE_NOT_FOUND');
    });

    it('POST /api/v1/certificates: accepted (201), CERTIFICATE_NOT_NEEDED (422), CERTIFICATE_REASON_INVALID (400)', async () => {
      const url = '/api/v1/certificates';
      const refused = expectProblem(
        await call('POST', url, 'admin', { memberId: carded.memberId, reason: 'no_card', recordedOn: '2025-12-02' }),
        422,
        'CERTIFICATE_NOT_NEEDED',
      );
      expect(refused.details).toMatchObject({ why: 'usable_myna_card', applicationId: expect.any(String) });
      const app1 = await call('GET', `/api/v1/applications/${refused.details.applicationId}`, 'admin');
      expect(app1.json()).toMatchObject({
        kind: 'certificate',
        state: 'refused',
        refusalCode: 'CERTIFICATE_NOT_NEEDED',
      });
      expectProblem(
        await call('POST', url, 'admin', {
          memberId: carded.memberId,
          reason: 'just_in_case',
          recordedOn: '2025-12-02',
        }),
        400,
        'CERTIFICATE_REASON_INVALID',
      );
      expectProblem(
        await call('POST', url, 'otherAdmin', {
          memberId: carded.memberId,
          reason: 'card_lost',
          recordedOn: '2025-12-02',
        }),
        404,
        'MEMBER_NOT_FOUND',
      );
      expectProblem(
        await call('POST', url, 'provider', { memberId: carded.memberId, reason: 'card_lost' }),
        403,
        'FORBIDDEN',
      );
      const issued = await call('POST', url, 'employer', {
        memberId: carded.memberId,
        reason: 'card_lost',
        recordedOn: '2025-12-02',
      });
      expect(issued.statusCode).toBe(201);
      expect(issued.json()).toMatchObject({
        memberId: carded.memberId,
        reason: 'card_lost',
        kind: 'on_application',
        feeYen: 0,
      });
      ids.cardedCertificate = issued.json().certificateId;
    });

    it(':report-lost, :reissue (fee recorded, superseded), :collect (empty body), each scoped', async () => {
      const base = `/api/v1/certificates/${ids.cardedCertificate}`;
      expectProblem(
        await call('POST', `${base}:report-lost`, 'otherAdmin', { reportedOn: '2026-01-10' }),
        404,
        'CERTIFICATE_NOT_FOUND',
      );
      const lost = await call('POST', `${base}:report-lost`, 'admin', { reportedOn: '2026-01-10' });
      expect(lost.statusCode).toBe(200);
      expect(lost.json()).toMatchObject({ status: 'reported_lost', reportedLostOn: '2026-01-10' });
      expectProblem(
        await call('POST', `${base}:report-lost`, 'admin', { reportedOn: '2026-01-11' }),
        409,
        'CONFLICT_CERTIFICATE_STATE',
      );
      expectProblem(await call('POST', `${base}:reissue`, 'employer', {}), 403, 'FORBIDDEN');
      const reissued = await call('POST', `${base}:reissue`, 'admin', { recordedOn: '2026-01-12' });
      expect(reissued.statusCode).toBe(201);
      expect(reissued.json()).toMatchObject({ kind: 'reissue', feeYen: 500, supersedesId: ids.cardedCertificate });
      const newId = reissued.json().certificateId as string;
      expectProblem(await call('POST', `/api/v1/certificates/${newId}:collect`, 'stranger'), 403, 'FORBIDDEN');
      const collected = await call('POST', `/api/v1/certificates/${newId}:collect`, 'admin');
      expect(collected.statusCode).toBe(200);
      expect(collected.json()).toMatchObject({ certificate: { collectionReason: 'returned' }, replacement: null });
      expectProblem(
        await call('POST', `/api/v1/certificates/${newId}:collect`, 'admin', {}),
        409,
        'CONFLICT_CERTIFICATE_STATE',
      );
    });

    it('GET /api/v1/certificates/{id}.pdf: a card-size PDF with 令和 dates and the fields, audited', async () => {
      const url = `/api/v1/certificates/${ids.taroCertificate}.pdf`;
      expectProblem(await call('GET', url, 'otherAdmin'), 404, 'CERTIFICATE_NOT_FOUND');
      expectProblem(await call('GET', url, 'provider'), 403, 'FORBIDDEN');
      const response = await call('GET', url, 'admin');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['cache-control']).toBe('no-store');
      const { text, pages } = readPdf(response.rawPayload, dir, `certificate-${kind}`);
      expect(pages).toBe(1);
      for (const expected of [
        '資格確認書',
        '髙橋 太郎',
        'タカハシ タロウ',
        '令和7年12月2日',
        '令和9年12月1日',
        '平成元年10月1日',
        insurer,
        taro.symbol,
      ]) {
        expect(text).toContain(expected);
      }
      expect(text.replace(UUID, '')).not.toMatch(TWELVE_DIGITS);
      expect(text).not.toContain(taro.person.myNumber);
      // The member downloads their own; the dependent cannot.
      expect((await call('GET', url, 'taro')).statusCode).toBe(200);
      expectProblem(await call('GET', url, 'child'), 404, 'CERTIFICATE_NOT_FOUND');
      const audit = await ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('member_id', '=', taro.memberId)
        .where('action', '=', 'certificate.pdf')
        .execute();
      expect(audit).toHaveLength(2);
    });
  });

  describe('notices', () => {
    it('an acquisition issued its お知らせ; GET /api/v1/notices/{id}.pdf shows the masked My Number only', async () => {
      const screen = (await call('GET', '/api/v1/me/qualification?asOf=2025-12-02', 'taro')).json();
      const noticeId = screen.members[0].noticeId as string;
      expect(noticeId).toEqual(expect.any(String));
      const url = `/api/v1/notices/${noticeId}.pdf`;
      expectProblem(await call('GET', url, 'otherAdmin'), 404, 'NOTICE_NOT_FOUND');
      expectProblem(await call('GET', url, 'stranger'), 404, 'NOTICE_NOT_FOUND');
      expectProblem(await call('GET', url, 'employer'), 403, 'FORBIDDEN');
      const response = await call('GET', url, 'taro');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const { text, pages } = readPdf(response.rawPayload, dir, `notice-${kind}`);
      expect(pages).toBe(1);
      const last4 = taro.person.myNumber.slice(8);
      expect(text).toContain('資格情報のお知らせ');
      expect(text).toContain('髙橋 太郎');
      expect(text).toContain(`＊＊＊＊＊＊＊＊${last4}`);
      // Issued on the acquisition's recordedOn (2024-10-01); acquired 2020-04-01; ratio 3割 as of then.
      expect(text).toContain('令和6年10月1日');
      expect(text).toContain('令和2年4月1日');
      expect(text).toContain('3割');
      expect(text).not.toContain(taro.person.myNumber);
      expect(text.replace(UUID, '')).not.toMatch(TWELVE_DIGITS);
    });

    it('POST /api/v1/notices:issue issues to members without one (existing members), idempotently', async () => {
      // Members migrated from before notices existed: their notices are removed to stand for that.
      await ctx.store.db.deleteFrom('notices').where('member_id', '=', carded.memberId).execute();
      const url = '/api/v1/notices:issue';
      expectProblem(
        await call('POST', url, 'otherAdmin', { insurerNumber: insurer, asOf: '2025-12-02' }),
        403,
        'FORBIDDEN',
      );
      const first = await call('POST', url, 'admin', { insurerNumber: insurer, asOf: '2025-12-02' });
      expect(first.statusCode).toBe(200);
      expect(first.json().issued).toEqual([{ memberId: carded.memberId, noticeId: expect.any(String) }]);
      expect(first.json().skipped).toContainEqual({ memberId: taro.memberId, reason: 'already_has_notice' });
      const second = await call('POST', url, 'admin', {
        insurerNumber: insurer,
        asOf: '2025-12-02',
        memberIds: [carded.memberId, 'nope'],
      });
      expect(second.json()).toMatchObject({
        issued: [],
        skipped: expect.arrayContaining([
          { memberId: carded.memberId, reason: 'already_has_notice' },
          { memberId: 'nope', reason: 'not_found' },
        ]),
      });
    });
  });

  describe('the member portal', () => {
    it('GET /api/v1/me/qualification: the insured sees self and dependents, a dependent only self; audited', async () => {
      const viewsBefore = (
        await ctx.store.db.selectFrom('audit_log').select('seq').where('action', '=', 'portal.view').execute()
      ).length;
      expectProblem(await call('GET', '/api/v1/me/qualification', 'admin'), 403, 'FORBIDDEN');
      expectProblem(await call('GET', '/api/v1/me/qualification', null), 401, 'AUTH_REQUIRED');
      const response = await call('GET', '/api/v1/me/qualification?asOf=2025-12-02', 'taro');
      expect(response.statusCode).toBe(200);
      const screen = response.json();
      expect(screen.members.map((m: { memberId: string }) => m.memberId)).toEqual([taro.memberId, child.memberId]);
      expect(screen.members[0]).toMatchObject({
        relationship: 'insured',
        name: '髙橋 太郎',
        burdenRatio: 30,
        myNumber: `********${taro.person.myNumber.slice(8)}`,
        certificate: { certificateId: ids.taroCertificate, validUntil: '2027-12-01' },
      });
      // The preschool child pays 20 % (until the first 31 March after reaching 6).
      expect(screen.members[1]).toMatchObject({ relationship: 'dependent', burdenRatio: 20, name: '髙橋 﨑子' });
      expect(response.body).not.toContain(taro.person.myNumber);
      const mine = (await call('GET', '/api/v1/me/qualification?asOf=2025-12-02', 'child')).json();
      expect(mine.members.map((m: { memberId: string }) => m.memberId)).toEqual([child.memberId]);
      const views = await ctx.store.db
        .selectFrom('audit_log')
        .select('member_id')
        .where('action', '=', 'portal.view')
        .where('member_id', 'in', [taro.memberId, child.memberId])
        .execute();
      // Two people shown to the insured, one to the dependent.
      expect(views.length - viewsBefore).toBe(3);
    });

    it('GET /api/v1/me/qualification.pdf: one page a person, masked', async () => {
      const response = await call('GET', '/api/v1/me/qualification.pdf?asOf=2025-12-02', 'taro');
      expect(response.statusCode).toBe(200);
      const { text, pages } = readPdf(response.rawPayload, dir, `portal-${kind}`);
      expect(pages).toBe(2);
      expect(text).toContain('髙橋 﨑子');
      expect(text).toContain('令和7年12月2日');
      expect(text).not.toContain(taro.person.myNumber);
      expect(text.replace(UUID, '')).not.toMatch(TWELVE_DIGITS);
      expectProblem(await call('GET', '/api/v1/me/qualification.pdf', 'provider'), 403, 'FORBIDDEN');
    });
  });

  describe('applications', () => {
    it('file (member or admin), approve and refuse; scope and state enforced', async () => {
      const url = '/api/v1/applications';
      expectProblem(
        await call('POST', url, 'provider', { kind: 'limit_certification', memberId: child.memberId }),
        403,
        'FORBIDDEN',
      );
      expectProblem(
        await call('POST', url, 'stranger', { kind: 'limit_certification', memberId: child.memberId }),
        404,
        'MEMBER_NOT_FOUND',
      );
      expectProblem(
        await call('POST', url, 'admin', { kind: 'specific_disease', memberId: child.memberId, disease: 'cold' }),
        400,
        'VALIDATION_FAILED',
      );
      const filed = await call('POST', url, 'taro', {
        kind: 'specific_disease',
        memberId: child.memberId,
        disease: 'hemophilia',
        recordedOn: '2025-12-03',
      });
      expect(filed.statusCode).toBe(201);
      const applicationId = filed.json().applicationId as string;
      expectProblem(await call('POST', `/api/v1/applications/${applicationId}:approve`, 'taro', {}), 403, 'FORBIDDEN');
      expectProblem(
        await call('POST', `/api/v1/applications/${applicationId}:approve`, 'otherAdmin', {}),
        404,
        'APPLICATION_NOT_FOUND',
      );
      const approved = await call('POST', `/api/v1/applications/${applicationId}:approve`, 'admin', {
        decidedOn: '2025-12-04',
      });
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({
        state: 'approved',
        certification: { disease: 'hemophilia', validFrom: '2025-12-01' },
      });
      expectProblem(
        await call('POST', `/api/v1/applications/${applicationId}:refuse`, 'admin', {}),
        409,
        'CONFLICT_APPLICATION_STATE',
      );

      const notice = await call('POST', url, 'admin', {
        kind: 'notice_reissue',
        memberId: taro.memberId,
        portalUsable: true,
      });
      expectProblem(notice, 422, 'NOTICE_REISSUE_NOT_NEEDED');
      const limit = await call('POST', url, 'admin', {
        kind: 'limit_certification',
        memberId: taro.memberId,
        recordedOn: '2025-12-05',
      });
      const refused = await call('POST', `/api/v1/applications/${limit.json().applicationId}:refuse`, 'admin', {
        refusalCode: 'DOCUMENTS_MISSING',
        decidedOn: '2025-12-06',
      });
      expect(refused.json()).toMatchObject({ state: 'refused', refusalCode: 'DOCUMENTS_MISSING' });
      expect((await call('GET', `/api/v1/applications/${limit.json().applicationId}`, 'taro')).statusCode).toBe(200);
      expectProblem(
        await call('GET', `/api/v1/applications/${limit.json().applicationId}`, 'child'),
        404,
        'APPLICATION_NOT_FOUND',
      );
    });

    it('a 資格確認書 holder verified by number: the separate certificates, and the 特定疾病 with consent', async () => {
      const answer = await call('POST', '/api/v1/verifications', 'provider', {
        method: 'number',
        asOf: '2025-12-05',
        document: 'certificate',
        insurerNumber: insurer,
        symbol: child.symbol,
        number: child.number,
        branch: child.branch,
        birthDate: '2019-06-15',
        consent: { limitInfo: true },
      });
      expect(answer.statusCode).toBe(200);
      const body = answer.json();
      expect(body.outcome).toBe('eligible');
      expect(body.reasons.map((r: { code: string }) => r.code)).toContain('SEPARATE_CERTIFICATES_REQUIRED');
      expect(body.qualification.specificDisease).toEqual([
        { category: 'hemophilia', monthlyLimitYen: 10_000, validFrom: '2025-12-01', validUntil: null },
      ]);
    });
  });
});
