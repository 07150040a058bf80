/**
 * Proofs of insurance shown by number: the legacy 健康保険証 and the 資格確認書 (RULES.md §1).
 * The dated rules are data (DESIGN.md §3.1): the last issue and use dates of legacy cards and the
 * temporary measures with their effective periods.
 */
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { addDays, addYears, endOfMonth, isLeapYear, makeDate, minDate, parts } from './dates.js';

/** Last day a legacy card could be issued or reissued (none from 2024-12-02). RULES.md §1. */
export const LEGACY_CARD_LAST_ISSUE_DATE: IsoDate = '2024-12-01';

/** Last day a legacy card could be used as a proof of insurance. RULES.md §1. */
export const LEGACY_CARD_LAST_USE_DATE: IsoDate = '2025-12-01';

export interface TemporaryMeasure {
  readonly code: 'LEGACY_CARD_TEMPORARY_MEASURE';
  /** First day of the measure (inclusive). */
  readonly from: IsoDate;
  /** Last day of the measure (inclusive). */
  readonly until: IsoDate;
  readonly source: string;
}

/**
 * Dated temporary measures. From 2025-12-02 through 2026-03-31 an expired legacy card (or a お知らせ
 * alone) was accepted when the hub confirmed eligibility by 記号・番号. Add a row to extend or repeat
 * one; no code changes.
 */
export const TEMPORARY_MEASURES: readonly TemporaryMeasure[] = [
  {
    code: 'LEGACY_CARD_TEMPORARY_MEASURE',
    from: '2025-12-02',
    until: '2026-03-31',
    source:
      '厚生労働省 事務連絡 2025-06-27・2025-11-12: 有効期限切れの健康保険証・資格情報のお知らせのみの場合も記号番号で資格確認し通常の負担割合で請求可 (domain-research.md §1.5)',
  },
];

/** The temporary measure in force on `asOf`, if any. */
export function temporaryMeasureOn(code: TemporaryMeasure['code'], asOf: IsoDate): TemporaryMeasure | undefined {
  return TEMPORARY_MEASURES.find((m) => m.code === code && m.from <= asOf && asOf <= m.until);
}

/**
 * Throws `LEGACY_CARD_ISSUANCE_ENDED` when a legacy card would be issued (or reissued) on or after
 * 2024-12-02. RULES.md §1.
 */
export function assertLegacyCardIssuable(issuedOn: IsoDate): void {
  if (issuedOn > LEGACY_CARD_LAST_ISSUE_DATE) {
    throw new ShikakuError('LEGACY_CARD_ISSUANCE_ENDED', { issuedOn });
  }
}

export type LegacyCardProof =
  | { usable: true }
  | { usable: true; warning: 'LEGACY_CARD_TEMPORARY_MEASURE' }
  | { usable: false; reason: 'LEGACY_CARD_EXPIRED' };

/**
 * Whether a legacy card is a usable proof on `asOf` (RULES.md §1): through 2025-12-01 yes; then only
 * while a temporary measure is in force (with its warning); otherwise `LEGACY_CARD_EXPIRED`.
 * The card must also have been issued and the hub must confirm a qualification: the caller checks those.
 */
export function legacyCardProof(asOf: IsoDate): LegacyCardProof {
  if (asOf <= LEGACY_CARD_LAST_USE_DATE) return { usable: true };
  const measure = temporaryMeasureOn('LEGACY_CARD_TEMPORARY_MEASURE', asOf);
  if (measure) return { usable: true, warning: measure.code };
  return { usable: false, reason: 'LEGACY_CARD_EXPIRED' };
}

export interface EligibilityCertificateFacts {
  issuedOn: IsoDate;
  /** Last day of validity (inclusive). */
  validUntil: IsoDate;
  collectedOn: IsoDate | null;
  reportedLostOn: IsoDate | null;
}

export type CertificateProofReason =
  | 'CERTIFICATE_NOT_ISSUED'
  | 'CERTIFICATE_REPORTED_LOST'
  | 'CERTIFICATE_COLLECTED'
  | 'CERTIFICATE_EXPIRED';

export type CertificateProof = { usable: true } | { usable: false; reason: CertificateProofReason };

/**
 * Whether a 資格確認書 is a usable proof on `asOf` (RULES.md §1): issued on or before `asOf`, valid
 * through `validUntil`, not collected and not reported lost on or before `asOf`.
 * One reason only, the first of: not issued, reported lost, collected, expired (a lost or collected
 * certificate is the stronger signal to the reception: someone else may be holding it).
 */
export function eligibilityCertificateProof(cert: EligibilityCertificateFacts, asOf: IsoDate): CertificateProof {
  if (asOf < cert.issuedOn) return { usable: false, reason: 'CERTIFICATE_NOT_ISSUED' };
  if (cert.reportedLostOn !== null && cert.reportedLostOn <= asOf) {
    return { usable: false, reason: 'CERTIFICATE_REPORTED_LOST' };
  }
  if (cert.collectedOn !== null && cert.collectedOn <= asOf) return { usable: false, reason: 'CERTIFICATE_COLLECTED' };
  if (asOf > cert.validUntil) return { usable: false, reason: 'CERTIFICATE_EXPIRED' };
  return { usable: true };
}

/** Longest validity of a 資格確認書, in years. RULES.md §1. */
export const CERTIFICATE_MAX_VALID_YEARS = 5;

export type CertificateValidityPolicy = { validYears: number } | { validUntil: IsoDate };

/**
 * End of a period of `years` years starting on `start` (民法 §143): the day before the corresponding
 * day; when the last month has no corresponding day (02-29 → a common year), the end of that month.
 * 2024-12-02 + 2 years → 2026-12-01; 2024-02-29 + 1 year → 2025-02-28.
 */
function yearsPeriodEnd(start: IsoDate, years: number): IsoDate {
  const { year, month, day } = parts(start);
  if (month === 2 && day === 29 && !isLeapYear(year + years)) return endOfMonth(makeDate(year + years, 2, 1));
  return addDays(addYears(start, years), -1);
}

/**
 * Last day of validity of a 資格確認書 issued on `issuedOn` under the association's policy
 * (RULES.md §1: at most 5 years).
 * - `{ validYears: n }` (integer 1..5): the day before the n-th anniversary of issue (民法 §143);
 * - `{ validUntil }`: that date, cut to the 5-year limit when later.
 * Throws `VALIDATION_FAILED` for `validYears` outside 1..5 or not an integer, or a `validUntil`
 * before `issuedOn`.
 */
export function certificateValidUntil(policy: CertificateValidityPolicy, issuedOn: IsoDate): IsoDate {
  const limit = yearsPeriodEnd(issuedOn, CERTIFICATE_MAX_VALID_YEARS);
  if ('validYears' in policy) {
    const n = policy.validYears;
    if (!Number.isInteger(n) || n < 1 || n > CERTIFICATE_MAX_VALID_YEARS) {
      throw new ShikakuError(
        'VALIDATION_FAILED',
        { validYears: n },
        {
          ja: '資格確認書の有効期間は1〜5年で指定してください',
          en: 'validYears must be a whole number from 1 to 5',
        },
      );
    }
    return yearsPeriodEnd(issuedOn, n);
  }
  if (policy.validUntil < issuedOn) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { validUntil: policy.validUntil, issuedOn },
      {
        ja: '有効期限が交付日より前です',
        en: 'validUntil is before the issue date',
      },
    );
  }
  return minDate(policy.validUntil, limit);
}
