/**
 * The OQS Web API by 記号・番号 (issue #15): answers read with test/oqs/reader.ts, a parser written
 * from the field tables of domain-research.md §1.2–1.4, never with the code that writes them.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../src/services/context.js';
import { clinicView, readOqsAnswer } from './oqs/reader.js';
import { AS_OF, buildOqsWorld, infoOf, type OqsWorld, PROVIDER, searchJson, searchXml } from './oqs/world.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const PATH = '/oqs-api-pro/MSA01030/ILI01030SV01/search';

describe.each(STORE_KINDS)('OQS search on %s', (kind) => {
  let ctx: ServiceContext;
  let w: OqsWorld;
  const bodies: string[] = [];

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    w = await buildOqsWorld(ctx);
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.store.close();
  });

  async function postJson(payload: unknown, token = w.provider, headers: Record<string, string> = {}) {
    const res = await w.app.inject({
      method: 'POST',
      url: PATH,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    bodies.push(res.body);
    return res;
  }
  async function postXml(payload: string | Buffer, headers: Record<string, string> = {}) {
    const res = await w.app.inject({
      method: 'POST',
      url: PATH,
      headers: { authorization: `Bearer ${w.provider}`, 'content-type': 'application/xml', ...headers },
      payload,
    });
    bodies.push(res.body);
    return res;
  }
  const read = (res: { rawPayload: Buffer; headers: Record<string, unknown> }) =>
    readOqsAnswer(res.rawPayload, String(res.headers['content-type']));

  it('validity 1 有効: the person, insurer, 記号・番号・枝番, address and the header, from the same decision as /api/v1/verifications', async () => {
    const taro = w.people.taro;
    const res = await postJson(
      searchJson(infoOf(taro, w.insurer, { ArbitraryIdentifier: 'P-0001' }), { ArbitraryFileIdentifier: 'F-42' }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const a = read(res);
    expect(a.header).toMatchObject({
      QualificationConfirmationDate: AS_OF,
      MedicalInstitutionCode: PROVIDER,
      ArbitraryFileIdentifier: 'F-42',
      ReferenceClassification: '2',
      SegmentOfResult: '1',
      CharacterCodeIdentifier: '0',
    });
    // The fixed clock of the test context: 2025-11-21T01:00Z = 10:00 in Japan.
    expect(a.header.ProcessExecutionTime).toBe('20251121100000');
    expect(a.header.ErrorCode).toBeUndefined();
    expect(a.body.fields).toMatchObject({ ProcessingResultStatus: '1', QualificationValidity: '1' });
    expect(a.body.echo).toEqual(infoOf(taro, w.insurer, { ArbitraryIdentifier: 'P-0001' }));
    expect(a.body.results).toHaveLength(1);
    const r = a.body.results[0]?.fields;
    expect(r).toMatchObject({
      InsuredCardClassification: '01',
      InsurerNumber: w.insurer,
      InsurerName: `テスト健康保険組合 ${w.insurer}`,
      InsuredCardSymbol: '1234',
      InsuredIdentificationNumber: '1',
      InsuredBranchNumber: '00',
      PersonalFamilyClassification: '1',
      InsuredName: '協会 太郎',
      Name: '協会 太郎',
      NameKana: 'ｷｮｳｶｲ ﾀﾛｳ',
      Sex1: '1',
      Birthdate: '19891001',
      Address: '東京都千代田区霞が関1-2-2',
      PostNumber: '100-0013',
      QualificationDate: '20120401',
      LimitApplicationCertificateRelatedConsFlg: '1',
    });
    expect(r?.NameKana).toMatch(/^[\uFF61-\uFF9F ]+$/);
    expect(r?.DisqualificationDate).toBeUndefined();
    expect(r?.PreschoolClassification).toBeUndefined();
    expect(a.body.results[0]?.elderly).toBeUndefined();
    // 標準報酬月額 300,000 → ウ; consent given → the limit data, 01 限度額適用認定証.
    expect(a.body.results[0]?.limit).toMatchObject({
      LimitApplicationCertificateClassification: '01',
      LimitApplicationCertificateClassificationFlag: 'A03',
    });
    // The same decision as the JSON API.
    const api = await w.app.inject({
      method: 'POST',
      url: '/api/v1/verifications',
      headers: { authorization: `Bearer ${w.provider}` },
      payload: {
        method: 'number',
        asOf: '2026-12-01',
        document: 'notice',
        insurerNumber: w.insurer,
        symbol: '1234',
        number: '1',
        branch: '00',
        birthDate: taro.birthDate,
        consent: { limitInfo: true },
      },
    });
    const json = api.json();
    expect(json.outcome).toBe('eligible');
    expect(json.qualification.limitCategory).toBe('ウ');
    expect(json.qualification.burdenRatio).toBe(30);
    expect(clinicView(a.body)).toMatchObject({
      validity: '有効',
      person: { name: '協会 太郎', kana: 'ｷｮｳｶｲ ﾀﾛｳ', sex: '男', birthDate: '1989-10-01' },
      insurer: { number: w.insurer },
      member: { symbol: '1234', number: '1', branch: '00', honninKazoku: '本人' },
      ratioWari: 3,
      limitCategory: 'ウ',
    });
  });

  it('consent off: no limit data, the flag says 0; the answer is otherwise the same', async () => {
    const a = read(
      await postJson(searchJson(infoOf(w.people.taro, w.insurer, { LimitApplicationCertificateRelatedConsFlg: '0' }))),
    );
    expect(a.body.fields.QualificationValidity).toBe('1');
    const r = a.body.results[0];
    expect(r?.fields.LimitApplicationCertificateRelatedConsFlg).toBe('0');
    expect(r?.fields.LimitApplicationCertificateRelatedConsTime).toBeUndefined();
    expect(r?.limit).toBeUndefined();
    expect(clinicView(a.body).limitCategory).toBeUndefined();
  });

  it('未就学: a dependent child has PreschoolClassification 1 (2割), the insured named as InsuredName', async () => {
    const a = read(await postJson(searchJson(infoOf(w.people.hanako, w.insurer))));
    const r = a.body.results[0]?.fields;
    expect(r).toMatchObject({
      PersonalFamilyClassification: '2',
      InsuredName: '協会 太郎',
      Name: '協会 花子',
      NameKana: 'ｷｮｳｶｲ ﾊﾅｺ',
      Sex1: '2',
      PreschoolClassification: '1',
    });
    expect(clinicView(a.body).ratioWari).toBe(2);
  });

  it('70–74: ElderlyRecipientCertificateInfo, 030 for 現役並み and 020 for 一般, valid from the month the rule starts', async () => {
    const ume = read(await postJson(searchJson(infoOf(w.people.ume, w.insurer))));
    expect(ume.body.results[0]?.elderly).toEqual({
      ElderlyRecipientValidStartDate: '20250401',
      ElderlyRecipientValidEndDate: '20300314',
      ElderlyRecipientContributionRatio: '030',
    });
    expect(ume.body.results[0]?.limit?.LimitApplicationCertificateClassificationFlag).toBe('B03');
    expect(clinicView(ume.body)).toMatchObject({ ratioWari: 3, limitCategory: '現役並みⅠ' });

    const matsu = read(await postJson(searchJson(infoOf(w.people.matsu, w.insurer))));
    // Born 1955-08-02: reaches 70 on 2025-08-01 → from 2025-09-01.
    expect(matsu.body.results[0]?.elderly).toMatchObject({
      ElderlyRecipientValidStartDate: '20250901',
      ElderlyRecipientContributionRatio: '020',
    });
    expect(clinicView(matsu.body)).toMatchObject({ ratioWari: 2, limitCategory: '一般' });
  });

  it('validity 2 無効: lost, with DisqualificationDate and ReasonOfLoss, no limit data', async () => {
    const a = read(await postJson(searchJson(infoOf(w.people.jiro, w.insurer))));
    expect(a.body.fields).toMatchObject({ QualificationValidity: '2', ProcessingResultCode: 'QUALIFICATION_LOST' });
    expect(a.body.fields.ProcessingResultMessage).toMatch(/資格/);
    expect(a.body.results[0]?.fields).toMatchObject({ DisqualificationDate: '20260601', ReasonOfLoss: '99' });
    expect(a.body.results[0]?.limit).toBeUndefined();
    expect(clinicView(a.body).validity).toBe('無効');
  });

  it('validity 3 無効（新しい資格あり）after a job change, ReasonOfLoss 03', async () => {
    const a = read(await postJson(searchJson(infoOf(w.people.saburo, w.insurer))));
    expect(a.body.fields.QualificationValidity).toBe('3');
    expect(a.body.results[0]?.fields).toMatchObject({ DisqualificationDate: '20260401', ReasonOfLoss: '03' });
    // The new association's own number answers 1.
    const b = read(
      await postJson(searchJson(infoOf({ ...w.people.saburo, symbol: '77', number: '9', branch: '00' }, w.insurerB))),
    );
    expect(b.body.fields.QualificationValidity).toBe('1');
  });

  it('validity 4 該当資格なし: nothing disclosed; a wrong birth date too', async () => {
    const a = read(
      await postJson(
        searchJson(infoOf({ symbol: '1234', number: '999', branch: '00', birthDate: '1990-01-01' }, w.insurer)),
      ),
    );
    expect(a.body.fields).toMatchObject({ ProcessingResultStatus: '1', QualificationValidity: '4' });
    expect(a.body.results).toEqual([]);
    const b = read(await postJson(searchJson(infoOf({ ...w.people.taro, birthDate: '1989-10-02' }, w.insurer))));
    // A provider cannot tell an unknown 記号・番号 from a wrong birth date (issue #19 §5).
    expect(b.body.fields).toMatchObject({
      QualificationValidity: '4',
      ProcessingResultCode: 'NO_MATCHING_QUALIFICATION',
    });
    expect(a.body.fields.ProcessingResultCode).toBe('NO_MATCHING_QUALIFICATION');
    expect(b.body.results).toEqual([]);
  });

  it('validity 5 複数該当: twins without a 枝番; with it, one each', async () => {
    const a = read(await postJson(searchJson(infoOf(w.people.twinA, w.insurer, { InsuredBranchNumber: undefined }))));
    expect(a.body.fields.QualificationValidity).toBe('5');
    expect(a.body.results).toEqual([]);
    const b = read(await postJson(searchJson(infoOf(w.people.twinB, w.insurer))));
    expect(b.body.fields.QualificationValidity).toBe('1');
    expect(b.body.results[0]?.fields.Name).toBe('協会 二郎');
  });

  it('XML in, XML out, carrying the same data as the JSON answer', async () => {
    const info = infoOf(w.people.ume, w.insurer, { ArbitraryIdentifier: 'X-1' });
    const x = await postXml(searchXml(info, { ArbitraryFileIdentifier: 'XF' }));
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toMatch(/^application\/xml; charset=utf-8/);
    expect(x.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(x.body.slice(x.body.indexOf('?>') + 2)).not.toMatch(/<\w+\s+\w+=/); // element-only: no attributes
    const j = await postJson(searchJson(info, { ArbitraryFileIdentifier: 'XF' }));
    const ax = read(x);
    const aj = read(j);
    expect(ax.encoding).toBe('UTF-8');
    expect(ax).toEqual({ ...aj, encoding: 'UTF-8' });
    // Accept overrides: a JSON request answered in XML.
    const both = await postJson(searchJson(info), w.provider, { accept: 'application/xml' });
    expect(both.headers['content-type']).toMatch(/^application\/xml/);
    expect(read(both).body).toEqual(aj.body);
  });

  it('Shift_JIS: a request asking CharacterCodeIdentifier 1 (or written in it) is answered in Shift_JIS', async () => {
    const info = infoOf(w.people.hanako, w.insurer);
    const asked = await postXml(searchXml(info, { CharacterCodeIdentifier: '1' }));
    expect(asked.headers['content-type']).toMatch(/charset=Shift_JIS/i);
    const a = read(asked);
    expect(a.encoding).toBe('Shift_JIS');
    expect(a.header.CharacterCodeIdentifier).toBe('1');
    expect(a.body.results[0]?.fields).toMatchObject({
      Name: '協会 花子',
      NameKana: 'ｷｮｳｶｲ ﾊﾅｺ',
      InsuredName: '協会 太郎',
    });
    // The name's bytes are Shift_JIS (協 = 8B A6), not UTF-8.
    expect(asked.rawPayload.includes(Buffer.from([0x8b, 0xa6]))).toBe(true);

    const sjisRequest = iconv.encode(
      searchXml({ ...info, ArbitraryIdentifier: 'ｶﾅ患者' }, {}, 'Shift_JIS'),
      'Shift_JIS',
    );
    const b = read(await postXml(sjisRequest, { 'content-type': 'application/xml; charset=Shift_JIS' }));
    expect(b.encoding).toBe('Shift_JIS');
    expect(b.body.echo?.ArbitraryIdentifier).toBe('ｶﾅ患者');
    expect(b.body.results[0]?.fields.Name).toBe('協会 花子');
  });

  it('a 6-digit 国保 number padded with blanks is read (and not found here)', async () => {
    const a = read(await postJson(searchJson(infoOf(w.people.taro, w.insurer, { InsurerNumber: '  138057' }))));
    expect(a.header.SegmentOfResult).toBe('1');
    expect(a.body.fields.QualificationValidity).toBe('4');
  });

  describe('errors answer in the protocol', () => {
    it('a missing required element: SegmentOfResult 9, ProcessingResultStatus 2, a Japanese message (HTTP 200)', async () => {
      const res = await postJson(searchJson(infoOf(w.people.taro, w.insurer, { Birthdate: undefined })));
      expect(res.statusCode).toBe(200);
      const a = read(res);
      expect(a.header).toMatchObject({
        SegmentOfResult: '9',
        ErrorCode: 'OQS_REQUIRED',
        MedicalInstitutionCode: PROVIDER,
      });
      expect(a.header.ErrorMessage).toMatch(/必須項目.*Birthdate/);
      expect(a.body.fields).toMatchObject({ ProcessingResultStatus: '2', ProcessingResultCode: 'OQS_REQUIRED' });
      expect(a.body.results).toEqual([]);
    });

    it('wrong formats: a date, a consent flag, a 保険者番号 check digit', async () => {
      const cases: Array<[Record<string, string | undefined>, Record<string, string>, string]> = [
        [{}, { QualificationConfirmationDate: '20261301' }, 'OQS_FORMAT'],
        [{ LimitApplicationCertificateRelatedConsFlg: '2' }, {}, 'OQS_FORMAT'],
        [{ Birthdate: '1989-10-01' }, {}, 'OQS_FORMAT'],
        [
          { InsurerNumber: `${w.insurer.slice(0, 7)}${(Number(w.insurer.at(-1)) + 1) % 10}` },
          {},
          'OQS_INSURER_CHECK_DIGIT',
        ],
        [{ InsuredBranchNumber: '1' }, {}, 'OQS_FORMAT'],
      ];
      for (const [info, header, code] of cases) {
        const a = read(await postJson(searchJson(infoOf(w.people.taro, w.insurer, info), header)));
        expect(a.header.SegmentOfResult, code).toBe('9');
        expect(a.header.ErrorCode).toBe(code);
      }
    });

    it('malformed JSON or XML, or no envelope: HTTP 400 with the envelope', async () => {
      for (const res of [
        await postJson('{"XmlMsg": '),
        await postXml('<XmlMsg><MessageHeader></XmlMsg>'),
        await postJson({ Something: {} }),
        await postXml('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><XmlMsg>&a;</XmlMsg>'),
      ]) {
        expect(res.statusCode).toBe(400);
        const a = read(res);
        expect(a.header.SegmentOfResult).toBe('9');
        expect(['OQS_MALFORMED', 'OQS_ENVELOPE']).toContain(a.header.ErrorCode);
        expect(a.header.ErrorMessage).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      }
    });

    it('an unexpected Content-Type still gets the envelope: XML sniffed by its first character, else a 400 envelope', async () => {
      const xml = await postXml(searchXml(infoOf(w.people.taro, w.insurer)), { 'content-type': 'text/plain' });
      expect(xml.statusCode).toBe(200);
      expect(read(xml).body.fields.QualificationValidity).toBe('1');
      const junk = await postXml('hello', { 'content-type': 'application/octet-stream' });
      expect(junk.statusCode).toBe(400);
      expect(read(junk).header).toMatchObject({ SegmentOfResult: '9', ErrorCode: 'OQS_MALFORMED' });
    });

    it('MedicalInstitutionCode other than the token’s: 403 with the envelope, nothing disclosed', async () => {
      const res = await postJson(
        searchJson(infoOf(w.people.taro, w.insurer), { MedicalInstitutionCode: '1311234574' }),
      );
      expect(res.statusCode).toBe(403);
      const a = read(res);
      expect(a.header.ErrorCode).toBe('OQS_INSTITUTION_MISMATCH');
      expect(res.body).not.toContain('協会');
    });

    it('no token is 401; a token that is not a provider’s is 403', async () => {
      const none = await w.app.inject({
        method: 'POST',
        url: PATH,
        payload: searchJson(infoOf(w.people.taro, w.insurer)),
      });
      expect(none.statusCode).toBe(401);
      const admin = await postJson(searchJson(infoOf(w.people.taro, w.insurer)), w.admin);
      expect(admin.statusCode).toBe(403);
      expect(admin.body).not.toContain('協会');
    });
  });

  it('every query is a verification with its audit record, in the provider’s name', async () => {
    const before = await ctx.store.db
      .selectFrom('audit_log')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await postJson(searchJson(infoOf(w.people.taro, w.insurer)));
    const after = await ctx.store.db
      .selectFrom('audit_log')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
    const last = await ctx.store.db
      .selectFrom('verifications')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ provider_code: PROVIDER, method: 'number', as_of: '2026-12-01', outcome: 'eligible' });
  });

  it('never a My Number in any answer', () => {
    const numbers = Object.values(w.people).map((p) => p.myNumber);
    for (const body of bodies) for (const n of numbers) expect(body).not.toContain(n);
    expect(bodies.length).toBeGreaterThan(20);
  });
});
