import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { VerificationAnswer } from '../services/verification.js';
import { answerBody, jstTimestamp, qualificationValidity, splitPostalCode } from './answer.js';
import { decodeXmlBytes, encodeMessage, parseJsonMessage, parseXmlMessage, toXmlText } from './envelope.js';
import { toHalfWidthKana } from './kana.js';
import { fromOqsDate, parseHeader, parseSearchInfo } from './request.js';

const base: VerificationAnswer = {
  outcome: 'eligible',
  reasons: [],
  fallbacks: [],
  verificationId: 'v',
  qualification: {
    insurerNumber: '06139992',
    insurerName: 'シカク健康保険組合',
    symbol: '1234',
    number: '567',
    branch: '00',
    relationship: 'insured',
    name: '協会 太郎',
    nameKana: 'キョウカイ タロウ',
    birthDate: '1956-05-01',
    sex: 'male',
    acquiredOn: '2012-04-01',
    lostOn: null,
    burdenRatio: 20,
    limitCategory: '一般',
    specificDisease: [],
  },
};
const options = {
  asOf: '2026-05-01',
  limitConsent: true,
  diseaseConsent: false,
  consentAt: new Date('2026-05-01T00:00:00Z'),
  extra: { address: null, insuredName: null },
};

describe('half-width kana (NameKana)', () => {
  it('splits voiced and semi-voiced letters, keeps the space, turns hiragana too', () => {
    expect(toHalfWidthKana('キョウカイ タロウ')).toBe('ｷｮｳｶｲ ﾀﾛｳ');
    expect(toHalfWidthKana('ガッコウ　パン')).toBe('ｶﾞｯｺｳ ﾊﾟﾝ');
    expect(toHalfWidthKana('ヴァイオリン・ー')).toBe('ｳﾞｧｲｵﾘﾝ･ｰ');
    expect(toHalfWidthKana('すずき')).toBe('ｽｽﾞｷ');
  });
});

describe('times and dates', () => {
  it('ProcessExecutionTime is Japan time, across the date line', () => {
    expect(jstTimestamp(new Date('2026-12-31T15:00:00Z'))).toBe('20270101000000');
    expect(jstTimestamp(new Date('2026-12-31T14:59:59Z'))).toBe('20261231235959');
  });
  it('YYYYMMDD is checked as a calendar date (leap days)', () => {
    expect(fromOqsDate('20240229')).toBe('2024-02-29');
    expect(fromOqsDate('20250229')).toBeNull();
    expect(fromOqsDate('2024-02-29')).toBeNull();
  });
});

describe('the decision as OQS elements', () => {
  it('validity codes: 1–5 from the outcomes, 3 with NEWER_QUALIFICATION_EXISTS', () => {
    expect(qualificationValidity(base)).toBe('1');
    expect(qualificationValidity({ ...base, outcome: 'ineligible' })).toBe('2');
    expect(
      qualificationValidity({
        ...base,
        outcome: 'ineligible',
        reasons: [{ code: 'NEWER_QUALIFICATION_EXISTS', ja: '', en: '' }],
      }),
    ).toBe('3');
    expect(qualificationValidity({ ...base, outcome: 'not_found' })).toBe('4');
    expect(qualificationValidity({ ...base, outcome: 'ambiguous' })).toBe('5');
  });

  it('70: born on the 1st, the 高齢受給者 band starts on the birthday itself (RULES.md §6)', () => {
    const body = answerBody(base, options);
    const r = (body.ResultList as Array<{ ResultOfQualificationConfirmation: Record<string, unknown> }>)[0]
      ?.ResultOfQualificationConfirmation;
    expect(r?.ElderlyRecipientCertificateInfo).toEqual({
      ElderlyRecipientValidStartDate: '20260501',
      ElderlyRecipientValidEndDate: '20310430',
      ElderlyRecipientContributionRatio: '020',
    });
    expect(r?.LimitApplicationCertificateRelatedInfo).toMatchObject({
      LimitApplicationCertificateClassificationFlag: 'B04',
    });
    // The day before, still under 70: no elderly block.
    const before = answerBody(
      { ...base, qualification: { ...base.qualification!, burdenRatio: 30, limitCategory: 'ウ' } },
      { ...options, asOf: '2026-04-30' },
    );
    const rb = (before.ResultList as Array<{ ResultOfQualificationConfirmation: Record<string, unknown> }>)[0]
      ?.ResultOfQualificationConfirmation;
    expect(rb?.ElderlyRecipientCertificateInfo).toBeUndefined();
  });

  it('a low-income category is a 限度額適用・標準負担額減額認定証 (02)', () => {
    const body = answerBody({ ...base, qualification: { ...base.qualification!, limitCategory: '低所得Ⅱ' } }, options);
    const r = (
      body.ResultList as Array<{ ResultOfQualificationConfirmation: Record<string, Record<string, string>> }>
    )[0]?.ResultOfQualificationConfirmation;
    expect(r?.LimitApplicationCertificateRelatedInfo).toMatchObject({
      LimitApplicationCertificateClassification: '02',
      LimitApplicationCertificateClassificationFlag: 'B05',
    });
  });

  it('postal codes at the start of an address, full-width too', () => {
    expect(splitPostalCode('〒100-0013 東京都千代田区')).toEqual({ postNumber: '100-0013', address: '東京都千代田区' });
    expect(splitPostalCode('１００－００１３　東京都')).toEqual({ postNumber: '100-0013', address: '東京都' });
    expect(splitPostalCode('東京都千代田区霞が関1-2-2')).toEqual({
      postNumber: undefined,
      address: '東京都千代田区霞が関1-2-2',
    });
  });
});

describe('the envelope', () => {
  it('XML: lists hold their items, other arrays repeat, text is escaped, no attributes', () => {
    const text = toXmlText({
      XmlMsg: {
        MessageBody: {
          ResultList: [
            { ResultOfQualificationConfirmation: { Name: 'A&B <C>' } },
            { ResultOfQualificationConfirmation: { Name: 'D' } },
          ],
          BulkConfirmUnit: [{ X: '1' }, { X: '2' }],
          Skipped: undefined,
        },
      },
    });
    expect(text).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<XmlMsg><MessageBody><ResultList><ResultOfQualificationConfirmation><Name>A&amp;B &lt;C&gt;</Name></ResultOfQualificationConfirmation><ResultOfQualificationConfirmation><Name>D</Name></ResultOfQualificationConfirmation></ResultList><BulkConfirmUnit><X>1</X></BulkConfirmUnit><BulkConfirmUnit><X>2</X></BulkConfirmUnit></MessageBody></XmlMsg>',
    );
    expect(parseXmlMessage(text)).toEqual({
      XmlMsg: {
        MessageBody: {
          ResultList: { ResultOfQualificationConfirmation: [{ Name: 'A&B <C>' }, { Name: 'D' }] },
          BulkConfirmUnit: [{ X: '1' }, { X: '2' }],
        },
      },
    });
  });

  it('Shift_JIS out and in; undeclared non-UTF-8 bytes read as Shift_JIS', () => {
    const { bytes, contentType } = encodeMessage({ XmlMsg: { Name: '髙橋 﨑子' } }, 'xml', 'sjis');
    expect(contentType).toBe('application/xml; charset=Shift_JIS');
    expect(decodeXmlBytes(bytes)).toEqual({ text: expect.stringContaining('<Name>髙橋 﨑子</Name>'), charset: 'sjis' });
    const bare = iconv.encode('<XmlMsg><Name>協会</Name></XmlMsg>', 'Shift_JIS');
    expect(decodeXmlBytes(bare).charset).toBe('sjis');
    expect(parseXmlMessage(decodeXmlBytes(bare).text)).toEqual({ XmlMsg: { Name: '協会' } });
  });

  it('refuses DTDs and malformed XML; JSON numbers are read as text', () => {
    expect(parseXmlMessage('<!DOCTYPE a><a/>')).toBeNull();
    expect(parseXmlMessage('<a><b></a>')).toBeNull();
    expect(parseJsonMessage(Buffer.from('{"a":{"b":19891001}}'))).toEqual({ a: { b: '19891001' } });
    expect(parseJsonMessage('[1]')).toBeNull();
    expect(parseJsonMessage('{')).toBeNull();
  });
});

describe('reading a request', () => {
  it('header: date and 10-digit code required; CharacterCodeIdentifier 0/1', () => {
    expect(parseHeader({ QualificationConfirmationDate: '20261201', MedicalInstitutionCode: '1311234566' })).toEqual({
      ok: true,
      value: {
        confirmationDate: '2026-12-01',
        institutionCode: '1311234566',
        arbitraryFileIdentifier: undefined,
        characterCode: '0',
      },
    });
    expect(parseHeader({ QualificationConfirmationDate: '20261201' })).toMatchObject({
      ok: false,
      error: { code: 'OQS_REQUIRED', element: 'MessageHeader/MedicalInstitutionCode' },
    });
    expect(
      parseHeader({
        QualificationConfirmationDate: '20261201',
        MedicalInstitutionCode: '1311234566',
        CharacterCodeIdentifier: '2',
      }),
    ).toMatchObject({ ok: false, error: { code: 'OQS_FORMAT' } });
  });

  it('search info: a padded 6-digit 国保 number, an empty 枝番, unknown elements not echoed', () => {
    const parsed = parseSearchInfo({
      InsurerNumber: '  138057',
      InsuredIdentificationNumber: '12',
      InsuredBranchNumber: '',
      Birthdate: '19891001',
      LimitApplicationCertificateRelatedConsFlg: '0',
      MyNumber: '123456789018',
    });
    expect(parsed).toMatchObject({
      ok: true,
      value: { insurerNumber: '138057', symbol: '', branch: undefined, limitConsent: false, diseaseConsent: false },
    });
    expect(parsed.ok && Object.keys(parsed.value.echo)).not.toContain('MyNumber');
  });
});
