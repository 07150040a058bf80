/**
 * Issue #19 §2–§4 as a user meets them, over HTTP and through the CSV import: identifiers are one
 * value however they are typed, hostile characters are refused on both paths, dates the rules cannot
 * judge are refused with why, and a My Number typed into the wrong place never comes back whole.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReportCsv, summaryLine } from '../../src/cli/import.js';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { formatRowError, importCsv } from '../../src/services/csv-import.js';
import { createToken } from '../../src/services/tokens.js';
import { freshMyNumber, makeInsurer } from '../support/registry.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';

const HEADER =
  '種別,保険者番号,届出日,続柄,記号,番号,枝番,資格取得日,資格喪失日,標準報酬月額,個人番号,氏名,フリガナ,生年月日,性別,住所,被保険者記号,被保険者番号,キー';
const FORBIDDEN = [
  '\u0000',
  '\u001B',
  '\u0085',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u202E',
  '\u2066',
  '\u200E',
];

describe.each(STORE_KINDS)('hostile text, unbounded dates, echoed My Numbers on %s (issue #19 §2–§4)', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let admin = '';
  let insurer = '';
  const logs: string[] = [];

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    const stream = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    app = await buildApp({ ctx, logger: { level: 'debug', stream } });
    insurer = await makeInsurer(ctx);
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const post = (url: string, payload: unknown) =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${admin}` }, payload: payload as object });
  const acquisition = (extra: Record<string, unknown> = {}, person: Record<string, unknown> = {}) => ({
    kind: 'acquisition',
    insurerNumber: insurer,
    recordedOn: '2025-11-21',
    symbol: '7000',
    acquiredOn: '2025-11-01',
    ...extra,
    person: { name: '協会 太郎', nameKana: 'キョウカイ タロウ', birthDate: '1989-10-01', sex: 'male', ...person },
  });
  const csv = (rows: string[]) => [HEADER, ...rows].join('\r\n');

  it('「１２３４」, " 1234" and "1234" are one member on the JSON path as on the CSV path', async () => {
    const first = await post('/api/v1/notifications', acquisition({ symbol: '７１', number: '１２３４' }));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ symbol: '71', number: '1234', branch: '00' });
    for (const number of [' 1234', '1234 ', '1234']) {
      const again = await post('/api/v1/notifications', acquisition({ symbol: ' 71', number }));
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'DUPLICATE_MEMBER' });
    }
    const viaCsv = await importCsv(
      ctx,
      csv([
        `取得,${insurer},2025-11-21,本人,７１, 1234,０,2025-11-01,,,,協会 太郎,キョウカイ タロウ,1989-10-01,男,,,,`,
      ]),
    );
    expect(viaCsv.rows[0]).toMatchObject({ ok: false, error: { code: 'DUPLICATE_MEMBER' } });
    const loss = await post('/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: `${insurer.slice(0, 4)}　`.replace('　', '') + insurer.slice(4),
      recordedOn: '2025-11-21',
      symbol: '７１',
      number: ' １２３４ ',
      lostOn: '2025-11-20',
    });
    expect(loss.statusCode).toBe(201);
  });

  it('refuses each control, zero-width and bidi character in every text field, on both paths, writing nothing', async () => {
    for (const ch of FORBIDDEN) {
      for (const [extra, person, field] of [
        [{ symbol: `72${ch}` }, {}, '/symbol'],
        [{ number: `1${ch}2` }, {}, '/number'],
        [{ idempotencyKey: `k${ch}` }, {}, '/idempotencyKey'],
        [{}, { name: `協会${ch} 太郎` }, '/person/name'],
        [{}, { nameKana: `キョウカイ${ch} タロウ` }, '/person/nameKana'],
        [{}, { address: `東京都${ch}千代田区` }, '/person/address'],
      ] as const) {
        const res = await post('/api/v1/notifications', acquisition(extra, person));
        expect(res.statusCode, JSON.stringify(ch)).toBe(400);
        const body = res.json();
        expect(body).toMatchObject({ code: 'TEXT_FORBIDDEN_CHARACTER', ja: expect.stringContaining('制御文字') });
        expect(body.errors).toEqual(
          expect.arrayContaining([expect.objectContaining({ path: `body${field}`, code: 'TEXT_FORBIDDEN_CHARACTER' })]),
        );
      }
      const report = await importCsv(
        ctx,
        csv([
          `取得,${insurer},2025-11-21,本人,72${ch},,,2025-11-01,,,,協会 太郎,キョウカイ タロウ,1989-10-01,男,,,,`,
          `取得,${insurer},2025-11-21,本人,72,,,2025-11-01,,,,協会${ch} 太郎,キョウカイ タロウ,1989-10-01,男,,,,`,
          `取得,${insurer},2025-11-21,本人,72,,,2025-11-01,,,,協会 太郎,キョウカイ タロウ,1989-10-01,男,東京都${ch},,,`,
        ]),
      );
      expect(report.rejected, JSON.stringify(ch)).toBe(3);
      for (const row of report.rows)
        expect(row).toMatchObject({ ok: false, error: { code: 'TEXT_FORBIDDEN_CHARACTER' } });
    }
    const written = await ctx.store.db.selectFrom('members').select('id').where('symbol', 'like', '72%').execute();
    expect(written).toEqual([]);
    // A residents' record is text too.
    const resident = await app.inject({
      method: 'POST',
      url: '/api/v1/residents',
      headers: { authorization: `Bearer ${(await createToken(ctx, { role: 'operator' })).token}` },
      payload: {
        myNumber: freshMyNumber(),
        name: '協会\u202E太郎',
        nameKana: 'キョウカイ タロウ',
        birthDate: '1989-10-01',
        sex: 'male',
        address: '東京都',
      },
    });
    expect(resident.json()).toMatchObject({ code: 'TEXT_FORBIDDEN_CHARACTER' });
  });

  it('refuses dates the rules cannot judge, saying why, over HTTP', async () => {
    for (const date of ['0001-01-01', '9999-12-31', '1899-12-31', '2100-01-01']) {
      const res = await post('/api/v1/notifications', acquisition({ acquiredOn: date }));
      expect(res.statusCode, date).toBe(400);
      expect(res.json()).toMatchObject({ code: 'DATE_OUT_OF_RANGE', errors: [{ path: 'body/acquiredOn' }] });
      const view = await app.inject({
        url: `/api/v1/members/00000000-0000-0000-0000-000000000000?asOf=${date}`,
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(view.json()).toMatchObject({ code: 'DATE_OUT_OF_RANGE' });
    }
    const cases: Array<[Record<string, unknown>, Record<string, unknown>, number, string, RegExp]> = [
      [{}, { birthDate: '2025-11-22' }, 400, 'DATE_OUT_OF_RANGE', /birth date is in the future/],
      [{ acquiredOn: '2026-11-22' }, {}, 400, 'DATE_OUT_OF_RANGE', /acquiredOn cannot be after 2026-11-21/],
      [{ recordedOn: '2027-01-01' }, {}, 400, 'DATE_OUT_OF_RANGE', /recordedOn cannot be after/],
      [{ acquiredOn: '1989-09-30' }, {}, 400, 'VALIDATION_FAILED', /acquiredOn is before the birth date/],
    ];
    for (const [extra, person, status, code, en] of cases) {
      const res = await post('/api/v1/notifications', acquisition(extra, person));
      expect(res.statusCode, JSON.stringify(extra)).toBe(status);
      expect(res.json()).toMatchObject({ code, en: expect.stringMatching(en), ja: expect.any(String) });
    }
    const taro = await post('/api/v1/notifications', acquisition({ symbol: '73' }));
    const lossBefore = await post('/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: insurer,
      symbol: '73',
      number: taro.json().number,
      lostOn: '2025-10-01',
    });
    expect(lossBefore.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      en: expect.stringMatching(/lostOn is before acquiredOn/),
    });
    const lossFar = await post('/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: insurer,
      symbol: '73',
      number: taro.json().number,
      lostOn: '9999-12-31',
    });
    expect(lossFar.json()).toMatchObject({ code: 'DATE_OUT_OF_RANGE' });
  });

  it('never echoes a My Number typed into the wrong field or column (answer, report file, console lines, logs)', async () => {
    const plain = freshMyNumber();
    const shapes = [
      plain,
      `${plain.slice(0, 4)}-${plain.slice(4, 8)}-${plain.slice(8)}`,
      plain.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    ];
    const leaks = (text: string) =>
      shapes.some((s) => text.includes(s)) || text.replace(/\D/g, ' ').split(' ').includes(plain);
    const answers: string[] = [];
    const base = acquisition({ symbol: '74' });
    const stringFields: Array<(v: string) => unknown> = [
      (v) => ({ ...base, kind: v }),
      (v) => ({ ...base, insurerNumber: v }),
      (v) => ({ ...base, recordedOn: v }),
      (v) => ({ ...base, symbol: v }),
      (v) => ({ ...base, number: v }),
      (v) => ({ ...base, branch: v }),
      (v) => ({ ...base, acquiredOn: v }),
      (v) => ({ ...base, idempotencyKey: v }),
      (v) => ({ ...base, relationship: v }),
      (v) => ({ ...base, person: { ...base.person, name: v } }),
      (v) => ({ ...base, person: { ...base.person, nameKana: v } }),
      (v) => ({ ...base, person: { ...base.person, birthDate: v } }),
      (v) => ({ ...base, person: { ...base.person, sex: v } }),
      (v) => ({ ...base, person: { ...base.person, address: v } }),
      (v) => ({ ...base, person: { ...base.person, myNumber: `${v}9` } }),
    ];
    for (const shape of shapes) {
      for (const make of stringFields) {
        const one = await post('/api/v1/notifications', make(shape));
        answers.push(one.body);
        const batch = await post('/api/v1/notifications:batch', [make(shape)]);
        answers.push(batch.body);
      }
    }
    for (const body of answers) expect(leaks(body), body).toBe(false);

    const columns = HEADER.split(',');
    const good = [
      `取得`,
      insurer,
      '2025-11-21',
      '本人',
      '75',
      '',
      '',
      '2025-11-01',
      '',
      '',
      '',
      '協会 太郎',
      'キョウカイ タロウ',
      '1989-10-01',
      '男',
      '',
      '',
      '',
      '',
    ];
    const rows = shapes.flatMap((shape) =>
      columns.map((_, i) => good.map((cell, j) => (j === i ? `"${shape}"` : cell)).join(',')),
    );
    const report = await importCsv(ctx, csv(rows));
    const lines = report.rows.flatMap((r) =>
      r.ok ? [JSON.stringify(r)] : [formatRowError(report.header, r.line, r.error), JSON.stringify(r)],
    );
    const written = [errorReportCsv(report), summaryLine(report), ...lines].join('\n');
    expect(report.rejected).toBeGreaterThan(0);
    expect(leaks(written), written).toBe(false);
    expect(written).toContain(`********${plain.slice(-4)}`);
    expect(leaks(logs.join(''))).toBe(false);
  });
});
