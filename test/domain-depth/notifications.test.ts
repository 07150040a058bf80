/**
 * Issue #16 point 7 through the API: the "資格確認書の交付希望" box on the 資格取得届 and the
 * 被扶養者異動届 (JSON and CSV, as the employer desk and the console send them) issues a 資格確認書 under
 * the on_application policy; without it, nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { freshInsurerNumber, makeResident, person } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('issue #16 point 7: the 交付希望 box on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let insurerNumber = '';
  let admin = '';
  let employer = '';

  async function call(method: 'POST', url: string, token: string, payload: object | string, csv = false) {
    return app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, ...(csv ? { 'content-type': 'text/csv' } : {}) },
      payload,
    });
  }

  async function issuedOn(asOf: string): Promise<string[]> {
    const res = await call('POST', '/api/v1/certificates:issue-ex-officio', admin, {
      insurerNumber,
      asOf,
      dryRun: true,
    });
    expect(res.statusCode).toBe(200);
    return res.json().issued.map((i: { memberId: string }) => i.memberId);
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    insurerNumber = freshInsurerNumber();
    const operator = (await createToken(ctx, { role: 'operator' })).token;
    const created = await call('POST', '/api/v1/insurers', operator, {
      insurerNumber,
      name: 'テスト健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'on_application',
    });
    expect(created.statusCode).toBe(201);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber })).token;
    employer = (await createToken(ctx, { role: 'employer', insurerNumber, employerSymbol: '7100' })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('a ticked 資格取得届 and 被扶養者異動届 issue; an unticked one does not', async () => {
    const asked = person({ birthDate: '1990-01-02' });
    const silent = person({ birthDate: '1991-03-04' });
    const child = person({ birthDate: '2020-02-29', name: '協会 次郎', nameKana: 'キョウカイ ジロウ' });
    for (const p of [asked, silent, child]) await makeResident(ctx, p);
    const notify = async (body: object) => {
      const res = await call('POST', '/api/v1/notifications', employer, {
        insurerNumber,
        recordedOn: '2025-12-01',
        ...body,
      });
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    const a = await notify({
      kind: 'acquisition',
      symbol: '7100',
      acquiredOn: '2025-12-01',
      person: asked,
      certificateRequested: true,
    });
    const s = await notify({ kind: 'acquisition', symbol: '7100', acquiredOn: '2025-12-01', person: silent });
    const c = await notify({
      kind: 'dependent_add',
      insured: { symbol: a.symbol, number: a.number },
      acquiredOn: '2025-12-01',
      person: child,
      certificateRequested: true,
    });
    const issued = await issuedOn('2025-12-02');
    expect(issued).toContain(a.memberId);
    expect(issued).toContain(c.memberId);
    expect(issued).not.toContain(s.memberId);
  });

  it('the CSV column 資格確認書交付希望 carries the box (1 ticked, empty not)', async () => {
    const asked = person({ birthDate: '1985-06-01' });
    const silent = person({ birthDate: '1986-07-02' });
    for (const p of [asked, silent]) await makeResident(ctx, p);
    const line = (p: typeof asked, box: string) =>
      [
        '取得',
        insurerNumber,
        '2025-12-02',
        '7200',
        '2025-12-02',
        p.myNumber,
        p.name,
        p.nameKana,
        p.birthDate,
        '男',
        p.address,
        box,
      ].join(',');
    const csv = [
      '種別,保険者番号,届出日,記号,資格取得日,個人番号,氏名,フリガナ,生年月日,性別,住所,資格確認書交付希望',
      line(asked, '1'),
      line(silent, ''),
    ].join('\n');
    const res = await call('POST', '/api/v1/notifications:import', admin, csv, true);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ accepted: 2, rejected: 0 });
    const [askedId, silentId] = report.rows.map((r: { result: { memberId: string } }) => r.result.memberId);
    const issued = await issuedOn('2025-12-02');
    expect(issued).toContain(askedId);
    expect(issued).not.toContain(silentId);
  });

  it('refuses the box on a loss notification', async () => {
    const res = await call('POST', '/api/v1/notifications', admin, {
      kind: 'loss',
      insurerNumber,
      symbol: '7100',
      number: '1',
      lostOn: '2025-12-02',
      certificateRequested: true,
    });
    expect(res.statusCode).toBe(400);
  });
});
