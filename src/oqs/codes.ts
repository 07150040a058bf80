/**
 * OQS code tables (OQSCD001–013, ../shared/reference/domain-research.md §1.4) and the error codes
 * Shikaku answers in the protocol. The national `ErrorCode`/`ProcessingResultCode` values are not
 * published (research §1.4 "Not found"), so Shikaku answers its own stable codes: the verification
 * reason codes of CODES.md for results, and the `OQS_*` codes below for request errors. Pure.
 */

/** OQSCD002 ReferenceClassification. */
export const REFERENCE_CLASSIFICATION = { card: '1', number: '2' } as const;
/** OQSCD003 SegmentOfResult. */
export const SEGMENT_OF_RESULT = { normal: '1', processing: '2', abnormal: '9' } as const;
/** OQSCD004 ProcessingResultStatus. */
export const PROCESSING_RESULT_STATUS = { normal: '1', error: '2' } as const;
/** OQSCD005 CharacterCodeIdentifier. */
export const CHARACTER_CODE = { utf8: '0', shiftJis: '1' } as const;
/**
 * OQSCD006 QualificationValidity: 1 有効, 2 無効, 3 無効（新しい資格あり）, 4 該当資格なし, 5 複数該当.
 * Shikaku's outcomes map one to one (src/domain/verification.ts), 3 being an ineligible answer with
 * NEWER_QUALIFICATION_EXISTS.
 */
export const QUALIFICATION_VALIDITY = {
  valid: '1',
  invalid: '2',
  invalidNewer: '3',
  notFound: '4',
  multiple: '5',
} as const;
/** OQSCD007 Sex. */
export const SEX = { male: '1', female: '2', unset: '3' } as const;
/** OQSCD009 PersonalFamilyClassification. */
export const PERSONAL_FAMILY = { insured: '1', dependent: '2' } as const;
/** OQSCD010 InsuredCardClassification: 01 被保険者証（一般）. No later code for 資格確認書 is known. */
export const INSURED_CARD_GENERAL = '01';
/** OQSCD011 LimitApplicationCertificateClassification. */
export const LIMIT_CERTIFICATE_CLASSIFICATION = {
  limit: '01',
  limitAndReducedMeal: '02',
  reducedMeal: '03',
} as const;
/** PreschoolClassification: 1 未就学該当. */
export const PRESCHOOL = '1';
/** ReasonOfLoss: 01 死亡, 02 生活保護受給開始, 03 医療保険等の資格取得, 99 その他. */
export const REASON_OF_LOSS = { death: '01', welfare: '02', otherInsurance: '03', other: '99' } as const;
/** OQSCD001 LimitApplicationCertificateRelatedConsFlg, and the 特定疾病 consent flag. */
export const CONSENT = { no: '0', yes: '1' } as const;

/** Request errors, answered in the envelope (SegmentOfResult 9, ProcessingResultStatus 2). */
export const OQS_ERRORS = {
  OQS_MALFORMED: {
    ja: '要求電文を読み取れません（XMLまたはJSONの形式が不正です）。',
    en: 'The request cannot be read (malformed XML or JSON).',
  },
  OQS_ENVELOPE: {
    ja: '要求電文にXmlMsg/MessageHeader/MessageBodyがありません。',
    en: 'The request has no XmlMsg/MessageHeader/MessageBody.',
  },
  OQS_REQUIRED: { ja: '必須項目が設定されていません。', en: 'A required element is missing.' },
  OQS_FORMAT: { ja: '項目の形式が不正です。', en: 'An element has an invalid format.' },
  OQS_INSURER_CHECK_DIGIT: {
    ja: '保険者番号の検証番号が正しくありません。',
    en: 'The check digit of the insurer number is wrong.',
  },
  OQS_INSTITUTION_MISMATCH: {
    ja: '医療機関コードが認証された医療機関と一致しません。',
    en: 'MedicalInstitutionCode is not the authenticated provider.',
  },
  OQS_TOO_MANY: {
    ja: '一括照会の件数が上限（1,000件）を超えています。',
    en: 'A bulk request holds more than 1,000 queries.',
  },
  OQS_RECEPTION_UNKNOWN: {
    ja: '指定された受付番号の照会はありません。',
    en: 'No bulk request with this reception number.',
  },
  OQS_UNSUPPORTED_MEDIA: {
    ja: 'Content-Typeはapplication/jsonまたはapplication/xmlを指定してください。',
    en: 'Content-Type must be application/json or application/xml.',
  },
} as const;
export type OqsErrorCode = keyof typeof OQS_ERRORS;

export interface OqsError {
  code: OqsErrorCode;
  /** The element at fault (path in the envelope), when there is one. */
  element?: string;
}

/** The Japanese message of an error, naming the element at fault. */
export function oqsErrorMessage(error: OqsError): string {
  const base = OQS_ERRORS[error.code].ja;
  return error.element ? `${base}（${error.element}）` : base;
}
