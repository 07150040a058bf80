import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshMyNumber, makeInsurer, makeResident, person, wrongCheckDigit } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { ShikakuError } from '../domain/codes.js';
import type { ServiceContext } from './context.js';
import { csvRowKey, decodeCsv, formatRowError, importCsv, parseCsv } from './csv-import.js';
import { parseNotification } from './registry.js';

const JA_HEADER =
  '種別,保険者番号,届出日,続柄,記号,番号,枝番,資格取得日,資格喪失日,標準報酬月額,個人番号,氏名,フリガナ,生年月日,性別,住所,被保険者記号,被保険者番号,キー';

function utf8(text: string, bom = false): Uint8Array {
  return new Uint8Array(
    Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]),
  );
}

describe('parseCsv', () => {
  it('keeps physical line numbers across CRLF, empty lines and quoted line breaks', () => {
    const text = 'kind,name,address\r\nchange,"a",x\r\n\r\n"change","b","1\r\n2"\r\n,,\r\nchange,c,y';
    const { records } = parseCsv(text);
    expect(records.map((r) => [r.line, r.values.name, r.values.address])).toEqual([
      [2, 'a', 'x'],
      [4, 'b', '1\n2'],
      [7, 'c', 'y'],
    ]);
  });

  it('refuses unknown or repeated columns and a missing kind column, as VALIDATION_CSV', () => {
    for (const text of ['kind,colour\nchange,blue', 'kind,氏名,name\n', '氏名\nx', '']) {
      const error = (() => {
        try {
          parseCsv(text);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ShikakuError);
      expect((error as ShikakuError).code).toBe('VALIDATION_CSV');
    }
  });

  it('refuses bytes that are not UTF-8 (Shift_JIS) and drops a BOM', () => {
    const shiftJis = new Uint8Array([0x8e, 0xed, 0x95, 0xca, 0x0a]); // 種別 in Shift_JIS
    expect(() => decodeCsv(shiftJis)).toThrow(/UTF-8/);
    expect(decodeCsv(utf8('種別\n', true))).toBe('種別\n');
  });
});

describe.each(STORE_KINDS)('CSV import on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  async function counts() {
    const n = async (table: 'members' | 'member_versions' | 'notifications') =>
      Number(
        (
          await ctx.store.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      members: await n('members'),
      versions: await n('member_versions'),
      notifications: await n('notifications'),
    };
  }

  it('imports Japanese headers with a BOM: good rows written, the bad row reported by its line, a re-run writes nothing', async () => {
    const insurer = await makeInsurer(ctx);
    const taro = person();
    await makeResident(ctx, taro);
    const hanako = person({ name: '協会 花子', nameKana: 'キョウカイ ハナコ', sex: 'female', birthDate: '2016-04-01' });
    const bad = wrongCheckDigit(freshMyNumber());
    const csv = [
      JA_HEADER,
      `取得,${insurer},2025/11/21,本人,1234,,,2025-11-01,,"300,000",${taro.myNumber},協会　太郎,ｷｮｳｶｲ ﾀﾛｳ,1989/10/1,男,"東京都千代田区`,
      '霞が関１－２－２",,,',
      '',
      `取得,${insurer},2025-11-21,家族,1234,1,,2025-11-01,,,${hanako.myNumber},協会 花子,キョウカイ ハナコ,2016-04-01,女,東京都千代田区霞が関1-2-2,,,`,
      `取得,${insurer},2025-11-21,本人,1234,,,2025-11-01,,,${bad},協会 次郎,キョウカイ ジロウ,1990-01-01,男,東京都,,,`,
      `喪失,${insurer},2025-12-10,本人,1234,1,,,2025-12-01,,,協会 太郎,,,,,,,`,
      `転勤,${insurer},2025-12-10,本人,1234,1,,,,,,,,,,,,,`,
      `変更,${insurer},2025-12-10,,1234,1,00,,,"320,000",,,,,,,,,`,
    ].join('\r\n');

    const progress: number[] = [];
    const report = await importCsv(ctx, utf8(csv, true), { onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report).toMatchObject({ total: 6, accepted: 3, rejected: 3, written: 3, replayed: 0 });
    expect(report.rows.map((r) => [r.line, r.ok ? r.result.branch : r.error.code])).toEqual([
      [2, '00'],
      [5, '01'],
      [6, 'MYNUMBER_CHECK_DIGIT'],
      [7, 'VALIDATION_UNKNOWN_FIELD'],
      [8, 'VALIDATION_FAILED'],
      [9, '00'],
    ]);
    const first = report.rows[0];
    expect(first?.ok && first.result).toMatchObject({
      number: '1',
      hubStatus: 'registered',
      hubAvailableOn: '2025-11-26',
    });

    const bad6 = report.rows[2];
    if (!bad6 || bad6.ok) throw new Error('row 6 should have failed');
    expect(formatRowError(report.header, bad6.line, bad6.error)).toBe(
      'line 6: MYNUMBER_CHECK_DIGIT 個人番号（マイナンバー）の検査用数字が正しくありません / The My Number check digit is wrong (個人番号)',
    );
    const bad7 = report.rows[3];
    expect(bad7?.ok === false && bad7.error.en).toContain('氏名');

    // Stored as the API would: names normalised, remuneration read, the kana widened.
    const rows = await ctx.store.db
      .selectFrom('members')
      .select(['branch', 'name', 'name_kana', 'birth_date', 'standard_monthly_remuneration', 'relationship'])
      .where('insurer_number', '=', insurer)
      .orderBy('branch')
      .execute();
    expect(rows).toEqual([
      {
        branch: '00',
        name: '協会 太郎',
        name_kana: 'キョウカイ タロウ',
        birth_date: '1989-10-01',
        standard_monthly_remuneration: 320000,
        relationship: 'insured',
      },
      {
        branch: '01',
        name: '協会 花子',
        name_kana: 'キョウカイ ハナコ',
        birth_date: '2016-04-01',
        standard_monthly_remuneration: null,
        relationship: 'dependent',
      },
    ]);
    const notifications = await ctx.store.db
      .selectFrom('notifications')
      .select(['source', 'payload'])
      .where('insurer_number', '=', insurer)
      .execute();
    expect(notifications.map((n) => n.source)).toEqual(['csv', 'csv', 'csv']);
    expect(JSON.stringify(notifications)).not.toContain(taro.myNumber);

    const before = await counts();
    const again = await importCsv(ctx, utf8(csv, true));
    expect(again).toMatchObject({ accepted: 3, rejected: 3, written: 0, replayed: 3 });
    expect(await counts()).toEqual(before);
  });

  it('imports English headers with --insurer and --recorded-on, keyed by the key column', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    const csv = [
      'kind,symbol,number,acquiredOn,myNumber,name,nameKana,birthDate,sex,address,key',
      `acquisition,88,,2025-12-01,${p.myNumber},${p.name},${p.nameKana},${p.birthDate},male,${p.address},emp-88-001`,
      `dependent_add,88,1,2025-12-01,,協会 一子,キョウカイ イチコ,2020-02-29,female,,emp-88-002`,
    ].join('\n');
    const report = await importCsv(ctx, csv, { insurerNumber: insurer, recordedOn: '2025-12-01' });
    expect(
      report.rows.map((r) => (r.ok ? [r.result.number, r.result.branch, r.result.hubAvailableOn] : r.error)),
    ).toEqual([
      ['1', '00', '2025-12-03'],
      ['1', '01', '2025-12-03'],
    ]);
    const keys = await ctx.store.db
      .selectFrom('notifications')
      .select('idempotency_key')
      .where('insurer_number', '=', insurer)
      .orderBy('idempotency_key')
      .execute();
    expect(keys.map((k) => k.idempotency_key)).toEqual([`${insurer}:emp-88-001`, `${insurer}:emp-88-002`]);

    // A row for another association under --insurer is refused (the import acts for one association).
    const other = await makeInsurer(ctx);
    const foreign = await importCsv(ctx, `kind,insurerNumber,symbol,number,lostOn\nloss,${other},88,1,2025-12-31`, {
      insurerNumber: insurer,
    });
    expect(foreign.rows[0]).toMatchObject({ line: 2, ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('defaults 届出日 to today in Japan and keys a row by its normalised content', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    const row = (kana: string) =>
      `${JA_HEADER}\n取得,${insurer},,,12,,,2025-11-01,,,${p.myNumber},${p.name},${kana},${p.birthDate},男,${p.address},,,`;
    const report = await importCsv(ctx, row('キョウカイ タロウ'));
    expect(report.rows[0]).toMatchObject({ ok: true, result: { hubAvailableOn: '2025-11-26' } });
    // The same person typed in half-width kana is the same content: answered, not written twice.
    const again = await importCsv(ctx, row('ｷｮｳｶｲ ﾀﾛｳ'));
    expect(again).toMatchObject({ written: 0, replayed: 1 });
  });
});

describe('csvRowKey', () => {
  it('depends on the insurer and the content, not on the caller-given key', () => {
    const base = {
      kind: 'loss',
      insurerNumber: '06139992',
      symbol: '1',
      number: '2',
      lostOn: '2025-12-01',
    };
    const key = csvRowKey(parseNotification(base));
    expect(key).toMatch(/^csv-[0-9a-f]{64}$/);
    expect(csvRowKey(parseNotification({ ...base, idempotencyKey: 'x' }))).toBe(key);
    expect(csvRowKey(parseNotification({ ...base, insurerNumber: '01130012' }))).not.toBe(key);
    expect(csvRowKey(parseNotification({ ...base, lostOn: '2025-12-02' }))).not.toBe(key);
  });
});
