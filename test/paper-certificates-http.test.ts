/**
 * Issue #16 point 8 through HTTP on both stores: approving a 限度額適用認定 or a 特定疾病 for a
 * 資格確認書 holder issues the paper 認定証 in the approval's transaction (policy `separate_documents`),
 * none for a マイナ保険証 user nor under `printed_on_certificate`; the list and the A6 PDF (read back with
 * poppler's pdftotext / pdftoppm: 令和 dates, the 1st of the month applied for, the validity's end).
 * The 高齢受給者証 on application (`elderly_recipient_certificate`): its validity on the dates that matter
 * (born on the 1st, on the 2nd, on 02-29; the 75th birthday), its 負担割合, and its refusals.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { createInsurer } from '../src/services/insurers.js';
import { createToken } from '../src/services/tokens.js';
import { makeMember } from './support/documents.js';
import { readPdf } from './support/pdf.js';
import { freshInsurerNumber, OPERATOR } from './support/registry.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const USABLE_CARD = { issuedOn: '2024-06-01', registeredOn: '2024-06-10' };

describe.each(STORE_KINDS)('paper 認定証 over HTTP on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let dir = '';
  const tokens: Record<string, string> = {};

  async function call(method: 'GET' | 'POST', url: string, who: string, payload?: unknown) {
    return app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, payload: payload as object });
  }

  async function insurerWith(policy: 'separate_documents' | 'printed_on_certificate', admin: string) {
    const insurerNumber = freshInsurerNumber();
    await createInsurer(ctx, OPERATOR, {
      insurerNumber,
      name: `資格確認健康保険組合 ${insurerNumber}`,
      certificatePolicy: { validYears: 2 },
      reissueFeeYen: 0,
      newMemberCertificate: 'ex_officio',
      categoryPrintPolicy: policy,
    });
    tokens[admin] = (await createToken(ctx, { role: 'admin', insurerNumber })).token;
    return insurerNumber;
  }

  /** The ex-officio run gives the members without a usable card their 資格確認書. */
  async function runExOfficio(insurerNumber: string, admin: string) {
    const run = await call('POST', '/api/v1/certificates:issue-ex-officio', admin, {
      insurerNumber,
      asOf: '2025-12-02',
    });
    expect(run.statusCode).toBe(200);
  }

  /** Files and approves an application; answers the member's paper list afterwards. */
  async function approve(admin: string, body: Record<string, unknown>, decidedOn: string) {
    const filed = await call('POST', '/api/v1/applications', admin, body);
    expect(filed.statusCode).toBe(201);
    const approved = await call('POST', `/api/v1/applications/${filed.json().applicationId}:approve`, admin, {
      decidedOn,
    });
    expect(approved.statusCode).toBe(200);
    const list = await call('GET', `/api/v1/members/${body.memberId}/paper-certificates`, admin);
    expect(list.statusCode).toBe(200);
    return { applicationId: filed.json().applicationId as string, papers: list.json().paperCertificates };
  }

  let separate = '';
  let printed = '';

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    dir = mkdtempSync(join(tmpdir(), 'shikaku-paper-http-'));
    separate = await insurerWith('separate_documents', 'admin');
    printed = await insurerWith('printed_on_certificate', 'printedAdmin');
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('separate_documents: a 資格確認書 holder is issued the 限度額適用認定証 on approval, audited; the A6 PDF in 和暦', async () => {
    const holder = await makeMember(ctx, separate, { symbol: '3001', remuneration: 300_000 });
    await runExOfficio(separate, 'admin');
    const { applicationId, papers } = await approve(
      'admin',
      { kind: 'limit_certification', memberId: holder.memberId, recordedOn: '2026-04-10' },
      '2026-04-15',
    );
    expect(papers).toEqual([
      {
        paperCertificateId: expect.any(String),
        memberId: holder.memberId,
        kind: 'limit_certification',
        title: '健康保険限度額適用認定証',
        issuedOn: '2026-04-15',
        // The 1st of the month applied for, one year at most.
        validFrom: '2026-04-01',
        validUntil: '2027-03-31',
        applicationId,
        collectedOn: null,
      },
    ]);
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'paper_certificate.issue')
      .where('member_id', '=', holder.memberId)
      .execute();
    expect(audit).toHaveLength(1);

    const id = papers[0].paperCertificateId as string;
    const response = await call('GET', `/api/v1/paper-certificates/${id}.pdf`, 'admin');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const { text, pages } = readPdf(response.rawPayload, dir, `limit-${kind}`);
    expect(pages).toBe(1);
    expect(text).toContain('健康保険限度額適用認定証');
    expect(text).toMatch(/令和\s*8\s*年\s*4\s*月\s*1\s*日/);
    expect(text).toMatch(/令和\s*9\s*年\s*3\s*月\s*31\s*日/);
    expect(text).not.toMatch(/2026-04-01/);
    const downloads = await ctx.store.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'paper_certificate.pdf')
      .where('member_id', '=', holder.memberId)
      .execute();
    expect(downloads).toHaveLength(1);

    // Out of scope reads as absent; a provider may not read it.
    tokens.otherAdmin = (await createToken(ctx, { role: 'admin', insurerNumber: printed })).token;
    expect((await call('GET', `/api/v1/paper-certificates/${id}.pdf`, 'otherAdmin')).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/paper-certificates/${id}.pdf`, 'provider')).statusCode).toBe(403);
  });

  it('separate_documents: a 特定疾病療養受療証 from the 1st of the month applied for; nothing for a マイナ保険証 user', async () => {
    const holder = await makeMember(ctx, separate, { symbol: '3002', remuneration: 300_000 });
    await runExOfficio(separate, 'admin');
    const disease = await approve(
      'admin',
      { kind: 'specific_disease', memberId: holder.memberId, recordedOn: '2026-05-31', disease: 'dialysis' },
      '2026-06-02',
    );
    expect(disease.papers).toMatchObject([
      {
        kind: 'specific_disease',
        title: '健康保険特定疾病療養受療証',
        validFrom: '2026-05-01',
        issuedOn: '2026-06-02',
      },
    ]);
    const pdf = await call('GET', `/api/v1/paper-certificates/${disease.papers[0].paperCertificateId}.pdf`, 'admin');
    const { text } = readPdf(pdf.rawPayload, dir, `disease-${kind}`);
    expect(text).toContain('健康保険特定疾病療養受療証');
    expect(text).toMatch(/令和\s*8\s*年\s*5\s*月\s*1\s*日/);

    const carded = await makeMember(ctx, separate, { symbol: '3003', card: USABLE_CARD });
    const none = await approve(
      'admin',
      { kind: 'limit_certification', memberId: carded.memberId, recordedOn: '2026-04-10' },
      '2026-04-15',
    );
    expect(none.papers).toEqual([]);
  });

  it('printed_on_certificate: no separate paper; the next 資格確認書 prints the 適用区分 on its back', async () => {
    const holder = await makeMember(ctx, printed, { symbol: '3004', remuneration: 300_000 });
    const { papers } = await approve(
      'printedAdmin',
      { kind: 'limit_certification', memberId: holder.memberId, recordedOn: '2025-11-10' },
      '2025-11-15',
    );
    expect(papers).toEqual([]);
    const run = await call('POST', '/api/v1/certificates:issue-ex-officio', 'printedAdmin', {
      insurerNumber: printed,
      asOf: '2025-12-02',
    });
    const certificateId = run.json().issued.find((i: { memberId: string }) => i.memberId === holder.memberId)
      .certificateId as string;
    const pdf = await call('GET', `/api/v1/certificates/${certificateId}.pdf`, 'printedAdmin');
    expect(pdf.statusCode).toBe(200);
    const { text, pages } = readPdf(pdf.rawPayload, dir, `printed-${kind}`);
    expect(pages).toBe(2);
    expect(text).toContain('任意記載事項');
    expect(text).toContain('適用区分');
    expect(text).toMatch(/令和\s*7\s*年\s*11\s*月\s*1\s*日/);
    expect(text).not.toContain('健康保険限度額適用認定証');
  });

  /** A 資格確認書 holder (the ex-officio run) of the separate_documents association, born on `birthDate`. */
  async function elderlyHolder(
    symbol: string,
    birthDate: string,
    plan: { remuneration?: number; acquiredOn?: string } = {},
  ) {
    const holder = await makeMember(ctx, separate, { symbol, remuneration: 200_000, ...plan, person: { birthDate } });
    await runExOfficio(separate, 'admin');
    return holder;
  }

  /** Files and approves a 高齢受給者証の交付申請. */
  function approveElderly(memberId: string, recordedOn: string, decidedOn: string) {
    return approve('admin', { kind: 'elderly_recipient_certificate', memberId, recordedOn }, decidedOn);
  }

  /** Files a 高齢受給者証の交付申請 on `recordedOn` (answer as is). */
  async function applyElderly(admin: string, memberId: string, recordedOn: string) {
    return call('POST', '/api/v1/applications', admin, {
      kind: 'elderly_recipient_certificate',
      memberId,
      recordedOn,
    });
  }

  it('高齢受給者証: born on the 1st, valid from the 70th birthday itself; the PDF in 和暦 with 3割 (現役並み)', async () => {
    const holder = await elderlyHolder('3101', '1956-05-01', { remuneration: 300_000 });
    const { applicationId, papers } = await approveElderly(holder.memberId, '2026-04-10', '2026-04-15');
    expect(papers).toEqual([
      {
        paperCertificateId: expect.any(String),
        memberId: holder.memberId,
        kind: 'elderly_recipient',
        title: '健康保険高齢受給者証',
        issuedOn: '2026-04-15',
        validFrom: '2026-05-01',
        // The day before the 75th birthday.
        validUntil: '2031-04-30',
        applicationId,
        collectedOn: null,
      },
    ]);
    const application = await call('GET', `/api/v1/applications/${applicationId}`, 'admin');
    expect(application.json()).toMatchObject({ kind: 'elderly_recipient_certificate', state: 'approved' });

    const pdf = await call('GET', `/api/v1/paper-certificates/${papers[0].paperCertificateId}.pdf`, 'admin');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const { text, pages } = readPdf(pdf.rawPayload, dir, `elderly-1st-${kind}`);
    expect(pages).toBe(1);
    expect(text).toContain('健康保険高齢受給者証');
    expect(text).toMatch(/一部負担金の割合\s+3\s*割/);
    expect(text).toMatch(/令和\s*8\s*年\s*5\s*月\s*1\s*日/);
    expect(text).toMatch(/令和\s*13\s*年\s*4\s*月\s*30\s*日/);
    expect(text).not.toMatch(/2026-05-01/);
  });

  it('高齢受給者証: born on the 2nd, from the 1st of the next month, 2割; refused more than a month ahead', async () => {
    const holder = await elderlyHolder('3102', '1956-05-02');
    // The band starts 2026-06-01: an application in April is too early.
    const early = await applyElderly('admin', holder.memberId, '2026-04-30');
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({
      code: 'NOT_ELDERLY_RECIPIENT',
      details: { kind: 'elderly_recipient_certificate' },
    });

    const { papers } = await approveElderly(holder.memberId, '2026-05-01', '2026-05-07');
    expect(papers).toMatchObject([{ kind: 'elderly_recipient', validFrom: '2026-06-01', validUntil: '2031-05-01' }]);
    const pdf = await call('GET', `/api/v1/paper-certificates/${papers[0].paperCertificateId}.pdf`, 'admin');
    const { text } = readPdf(pdf.rawPayload, dir, `elderly-2nd-${kind}`);
    expect(text).toMatch(/一部負担金の割合\s+2\s*割/);
    expect(text).toMatch(/令和\s*8\s*年\s*6\s*月\s*1\s*日/);
    expect(text).toMatch(/令和\s*13\s*年\s*5\s*月\s*1\s*日/);
  });

  it('高齢受給者証: born 02-29, from 03-01 to the day before the 75th birthday (03-01 in a common year)', async () => {
    const holder = await elderlyHolder('3103', '1956-02-29');
    const { papers } = await approveElderly(holder.memberId, '2026-02-10', '2026-02-12');
    expect(papers).toMatchObject([{ kind: 'elderly_recipient', validFrom: '2026-03-01', validUntil: '2031-02-28' }]);
  });

  it('高齢受給者証: ends the day before the 75th birthday; refused from that birthday on', async () => {
    const holder = await elderlyHolder('3104', '1951-06-15', { acquiredOn: '2025-04-01' });
    const { papers } = await approveElderly(holder.memberId, '2026-06-14', '2026-06-14');
    expect(papers).toMatchObject([{ kind: 'elderly_recipient', validFrom: '2025-04-01', validUntil: '2026-06-14' }]);
    // On the 75th birthday the member has moved to 後期高齢者医療: not covered any more.
    const late = await applyElderly('admin', holder.memberId, '2026-06-15');
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'CONFLICT_MEMBER_STATE' });
  });

  it('高齢受給者証: refused under 70, with a usable マイナ保険証, and where the 資格確認書 prints the ratio', async () => {
    const young = await elderlyHolder('3105', '1970-01-01');
    const under70 = await applyElderly('admin', young.memberId, '2026-04-10');
    expect(under70.statusCode).toBe(422);
    expect(under70.json()).toMatchObject({ code: 'NOT_ELDERLY_RECIPIENT' });

    const carded = await makeMember(ctx, separate, {
      symbol: '3106',
      card: USABLE_CARD,
      person: { birthDate: '1955-03-10' },
    });
    const withCard = await applyElderly('admin', carded.memberId, '2026-04-10');
    expect(withCard.statusCode).toBe(422);
    expect(withCard.json()).toMatchObject({
      code: 'PAPER_CERTIFICATE_NOT_NEEDED',
      details: { why: 'not_certificate_holder' },
    });
    expect(withCard.json().ja).toContain('マイナ保険証');

    const printedHolder = await makeMember(ctx, printed, { symbol: '3107', person: { birthDate: '1955-03-10' } });
    await runExOfficio(printed, 'printedAdmin');
    const onCertificate = await applyElderly('printedAdmin', printedHolder.memberId, '2026-04-10');
    expect(onCertificate.statusCode).toBe(422);
    expect(onCertificate.json()).toMatchObject({
      code: 'PAPER_CERTIFICATE_NOT_NEEDED',
      details: { why: 'printed_on_certificate' },
    });
    // The refusals are recorded (state refused), nothing is issued.
    const list = await call('GET', `/api/v1/members/${carded.memberId}/paper-certificates`, 'admin');
    expect(list.json().paperCertificates).toEqual([]);
  });
});
