/**
 * 高額療養費 (high-cost care) limit categories and monthly limits, RULES.md §7. The amounts are dated
 * data (`LIMIT_TABLE`), never branches in code: a revision is a new period, not an `if`.
 * Sources: shared/reference/domain-research.md §3.
 */
import { elderlyFrom, elderlyHighIncomeOn, lateElderlyFrom } from './burden.js';
import { type IsoDate, isIsoDate } from './dates.js';
import { ELDERLY_HIGH_INCOME_REMUNERATION } from './elderly-income.js';

/** 適用区分: ア–オ under 70, 現役並みⅢ … 低所得Ⅰ for 70–74 (RULES.md §7). */
export type LimitCategory =
  | 'ア'
  | 'イ'
  | 'ウ'
  | 'エ'
  | 'オ'
  | '現役並みⅢ'
  | '現役並みⅡ'
  | '現役並みⅠ'
  | '一般'
  | '低所得Ⅱ'
  | '低所得Ⅰ';

/** Low-income categories: given only with an approved 限度額適用・標準負担額減額認定 (RULES.md §7). */
export type LowIncomeCategory = 'オ' | '低所得Ⅱ' | '低所得Ⅰ';

/** OQS 適用区分 codes (OQSCD012, domain-research.md §1.4). */
export const LIMIT_CATEGORY_OQS_CODES = {
  ア: 'A01',
  イ: 'A02',
  ウ: 'A03',
  エ: 'A04',
  オ: 'A05',
  現役並みⅢ: 'B01',
  現役並みⅡ: 'B02',
  現役並みⅠ: 'B03',
  一般: 'B04',
  低所得Ⅱ: 'B05',
  低所得Ⅰ: 'B06',
} as const satisfies Record<LimitCategory, string>;

/** `base + (medicalCost − threshold) × 1 %`, or the flat `base` when `threshold` is null. */
export interface LimitFormula {
  readonly base: number;
  readonly threshold: number | null;
}

/** One category's figures in one period. */
export interface LimitRow {
  readonly category: LimitCategory;
  /**
   * How the category is reached: from this 標準報酬月額 upwards (the highest row the remuneration
   * reaches wins), or `{ lowIncomeBelow }` for a low-income category: given by approval, and only
   * while the remuneration stays below that figure (higher bands take precedence).
   */
  readonly reachedBy: { readonly remunerationFrom: number } | { readonly lowIncomeBelow: number };
  /** Monthly limit; for 70–74 the 世帯 (outpatient + inpatient) one. */
  readonly monthly: LimitFormula;
  /** 多数回該当 (4th time within 12 months); null when the category has none. */
  readonly frequent: number | null;
  /** 70–74 外来 (individual) monthly cap; null when the category has none. */
  readonly outpatient: number | null;
  /** Yearly cap on the 外来 amounts (Aug–Jul); null when none. */
  readonly outpatientYearly: number | null;
  /** Yearly cap on the monthly amounts (年間上限, new from 2026-08); null when none or not known. */
  readonly yearly: number | null;
}

/** The figures in force from `validFrom` to `validUntil` (inclusive; null = open). */
export interface LimitPeriod {
  readonly validFrom: IsoDate;
  readonly validUntil: IsoDate | null;
  readonly under70: readonly LimitRow[];
  readonly age70to74: readonly LimitRow[];
}

const flat = (base: number): LimitFormula => ({ base, threshold: null });
const rate = (base: number, threshold: number): LimitFormula => ({ base, threshold });
const from = (remunerationFrom: number) => ({ remunerationFrom });
const lowIncomeBelow = (limit: number) => ({ lowIncomeBelow: limit });
const NONE = { outpatient: null, outpatientYearly: null, yearly: null } as const;

/**
 * The dated limit table, oldest first, contiguous (RULES.md §7, domain-research.md §3).
 * Low-income precedence: under 70, ア/イ win over オ (a 住民税非課税 member with ≥ 530,000 stays ア/イ);
 * for 70–74, 現役並み wins over 低所得 — hence `lowIncomeBelow` 530,000 and 280,000.
 *
 * The 2027-08 revision (5 bands → 13 under 70) is not yet confirmed by a source we hold: add it as a
 * new period when it is, closing the 2026-08 period on 2027-07-31.
 */
export const LIMIT_TABLE: readonly LimitPeriod[] = [
  {
    validFrom: '2018-08-01',
    validUntil: '2026-07-31',
    under70: [
      { category: 'ア', reachedBy: from(830_000), monthly: rate(252_600, 842_000), frequent: 140_100, ...NONE },
      { category: 'イ', reachedBy: from(530_000), monthly: rate(167_400, 558_000), frequent: 93_000, ...NONE },
      { category: 'ウ', reachedBy: from(280_000), monthly: rate(80_100, 267_000), frequent: 44_400, ...NONE },
      { category: 'エ', reachedBy: from(0), monthly: flat(57_600), frequent: 44_400, ...NONE },
      { category: 'オ', reachedBy: lowIncomeBelow(530_000), monthly: flat(35_400), frequent: 24_600, ...NONE },
    ],
    age70to74: [
      { category: '現役並みⅢ', reachedBy: from(830_000), monthly: rate(252_600, 842_000), frequent: 140_100, ...NONE },
      { category: '現役並みⅡ', reachedBy: from(530_000), monthly: rate(167_400, 558_000), frequent: 93_000, ...NONE },
      { category: '現役並みⅠ', reachedBy: from(280_000), monthly: rate(80_100, 267_000), frequent: 44_400, ...NONE },
      {
        category: '一般',
        reachedBy: from(0),
        monthly: flat(57_600),
        frequent: 44_400,
        outpatient: 18_000,
        outpatientYearly: 144_000,
        yearly: null,
      },
      {
        category: '低所得Ⅱ',
        reachedBy: lowIncomeBelow(280_000),
        monthly: flat(24_600),
        frequent: null,
        outpatient: 8_000,
        outpatientYearly: null,
        yearly: null,
      },
      {
        category: '低所得Ⅰ',
        reachedBy: lowIncomeBelow(280_000),
        monthly: flat(15_000),
        frequent: null,
        outpatient: 8_000,
        outpatientYearly: null,
        yearly: null,
      },
    ],
  },
  {
    // 2026-08 revision (news reports, domain-research.md §3): monthly limits up (only ウ's figure is
    // known), a new yearly cap (530,000 for ウ), 70+ outpatient caps 8,000 → 11,000 and 18,000 → 22,000,
    // 多数回 amounts unchanged. The 2027-08 revision is not yet confirmed: validUntil stays open.
    validFrom: '2026-08-01',
    validUntil: null,
    under70: [
      // unconfirmed: carried over
      { category: 'ア', reachedBy: from(830_000), monthly: rate(252_600, 842_000), frequent: 140_100, ...NONE },
      // unconfirmed: carried over
      { category: 'イ', reachedBy: from(530_000), monthly: rate(167_400, 558_000), frequent: 93_000, ...NONE },
      {
        category: 'ウ',
        reachedBy: from(280_000),
        // base 85,800 per research; threshold 267,000 unconfirmed: carried over
        monthly: rate(85_800, 267_000),
        frequent: 44_400,
        outpatient: null,
        outpatientYearly: null,
        yearly: 530_000,
      },
      // unconfirmed: carried over
      { category: 'エ', reachedBy: from(0), monthly: flat(57_600), frequent: 44_400, ...NONE },
      // unconfirmed: carried over
      { category: 'オ', reachedBy: lowIncomeBelow(530_000), monthly: flat(35_400), frequent: 24_600, ...NONE },
    ],
    age70to74: [
      // unconfirmed: carried over
      { category: '現役並みⅢ', reachedBy: from(830_000), monthly: rate(252_600, 842_000), frequent: 140_100, ...NONE },
      // unconfirmed: carried over
      { category: '現役並みⅡ', reachedBy: from(530_000), monthly: rate(167_400, 558_000), frequent: 93_000, ...NONE },
      // [inferred] follows ウ as it always has; threshold 267,000 and yearly cap unconfirmed: carried over
      { category: '現役並みⅠ', reachedBy: from(280_000), monthly: rate(85_800, 267_000), frequent: 44_400, ...NONE },
      {
        category: '一般',
        reachedBy: from(0),
        monthly: flat(57_600), // unconfirmed: carried over
        frequent: 44_400,
        outpatient: 22_000,
        outpatientYearly: 144_000, // unconfirmed: carried over
        yearly: null,
      },
      {
        category: '低所得Ⅱ',
        reachedBy: lowIncomeBelow(280_000),
        monthly: flat(24_600), // unconfirmed: carried over
        frequent: null,
        outpatient: 11_000,
        outpatientYearly: null,
        yearly: null,
      },
      {
        category: '低所得Ⅰ',
        reachedBy: lowIncomeBelow(280_000),
        monthly: flat(15_000), // unconfirmed: carried over
        frequent: null,
        outpatient: 11_000,
        outpatientYearly: null,
        yearly: null,
      },
    ],
  },
];

function requireDate(date: IsoDate, name: string): void {
  if (!isIsoDate(date)) throw new RangeError(`${name} is not a YYYY-MM-DD date: ${date}`);
}

function requireAmount(value: number, name: string): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${name} must be a number ≥ 0: ${value}`);
}

/** The limit period in force on `asOf` (RULES.md §7). Throws a RangeError before 2018-08-01. */
export function limitTableOn(asOf: IsoDate): LimitPeriod {
  requireDate(asOf, 'asOf');
  const period = LIMIT_TABLE.find((p) => asOf >= p.validFrom && (p.validUntil === null || asOf <= p.validUntil));
  if (!period) throw new RangeError(`no 高額療養費 limit table in force on ${asOf}`);
  return period;
}

/** The row of `category` in the period in force on `asOf`. */
export function limitRowOn(category: LimitCategory, asOf: IsoDate): LimitRow {
  const period = limitTableOn(asOf);
  const row = [...period.under70, ...period.age70to74].find((r) => r.category === category);
  if (!row) throw new RangeError(`no limit row for ${category} on ${asOf}`);
  return row;
}

/**
 * The 適用区分 on `asOf` (RULES.md §7). Under 70 by 標準報酬月額 (≥ 830,000 ア, ≥ 530,000 イ,
 * ≥ 280,000 ウ, else エ — thresholds, since the grades have gaps); 70–74 (from `elderlyFrom`)
 * 現役並みⅢ/Ⅱ/Ⅰ at the same thresholds, else 一般. A low-income category is returned only when
 * `lowIncome` is given (an approved 限度額適用・標準負担額減額認定) and no higher band applies; it is
 * mapped to the age band: オ under 70, 低所得Ⅱ/Ⅰ for 70–74 (an approved オ becomes 低所得Ⅱ, the
 * 低所得Ⅰ test being stricter). Null from the 75th birthday or with an unknown remuneration.
 *
 * For 70–74 the 現役並み bands follow the same judgement as the burden ratio (`elderlyHighIncomeOn`):
 * with `insuredBirthDate` given, a dependent of an insured under 70 is 一般; with
 * `standardIncomeApprovedOn`, 現役並み becomes 一般 from the month after the approval. The remuneration
 * is the insured's (a dependent passes their insured's).
 */
export function limitCategoryFor(input: {
  birthDate: IsoDate;
  asOf: IsoDate;
  standardMonthlyRemuneration: number | null;
  lowIncome?: LowIncomeCategory | null;
  insuredBirthDate?: IsoDate;
  standardIncomeApprovedOn?: IsoDate | null;
}): LimitCategory | null {
  const { birthDate, asOf, standardMonthlyRemuneration: remuneration, lowIncome = null } = input;
  requireDate(asOf, 'asOf');
  if (asOf < birthDate) throw new RangeError(`asOf ${asOf} is before the birth date ${birthDate}`);
  if (asOf >= lateElderlyFrom(birthDate)) return null;
  if (remuneration === null) return null;
  requireAmount(remuneration, 'standardMonthlyRemuneration');

  const period = limitTableOn(asOf);
  const elderly = asOf >= elderlyFrom(birthDate);
  const rows = elderly ? period.age70to74 : period.under70;

  if (lowIncome !== null) {
    const wanted: LimitCategory = elderly ? (lowIncome === 'オ' ? '低所得Ⅱ' : lowIncome) : 'オ';
    const row = rows.find((r) => r.category === wanted);
    if (row && 'lowIncomeBelow' in row.reachedBy && remuneration < row.reachedBy.lowIncomeBelow) return wanted;
  }

  // 一般 rather than 現役並み: a dependent of an insured under 70, or a 基準収入額適用 in effect.
  const highIncome = elderlyHighIncomeOn(
    {
      insuredRemuneration: remuneration,
      insuredBirthDate: input.insuredBirthDate,
      standardIncomeApprovedOn: input.standardIncomeApprovedOn,
    },
    asOf,
  );
  if (elderly && remuneration >= ELDERLY_HIGH_INCOME_REMUNERATION && !highIncome) return '一般';

  // The highest band whose lower bound the remuneration reaches.
  let best: { category: LimitCategory; from: number } | null = null;
  for (const row of rows) {
    if (!('remunerationFrom' in row.reachedBy)) continue;
    const bound = row.reachedBy.remunerationFrom;
    if (remuneration >= bound && (best === null || bound > best.from)) best = { category: row.category, from: bound };
  }
  return best?.category ?? null;
}

/** `base + (cost − threshold) × 1 %`, the 1 % term rounded to the yen, a negative excess counted as 0. */
function applyFormula(formula: LimitFormula, medicalCost: number): number {
  if (formula.threshold === null) return formula.base;
  // Divide by 100 rather than multiply by 0.01: exact halves stay exact, so Math.round rounds them up.
  return formula.base + Math.round(Math.max(0, medicalCost - formula.threshold) / 100);
}

/**
 * The monthly limit in yen for `category` on `asOf` (RULES.md §7), given the month's medical cost
 * (10割). `frequent` applies the 多数回該当 amount where the category has one. `scope` 'outpatient'
 * gives the 70–74 外来 (individual) cap where the category has one — 多数回 does not lower that cap —
 * and otherwise the same limit as 'household' (the default).
 */
export function monthlyLimit(input: {
  category: LimitCategory;
  asOf: IsoDate;
  medicalCost: number;
  frequent?: boolean;
  scope?: 'household' | 'outpatient';
}): number {
  const { category, asOf, medicalCost, frequent = false, scope = 'household' } = input;
  requireAmount(medicalCost, 'medicalCost');
  const row = limitRowOn(category, asOf);
  if (scope === 'outpatient' && row.outpatient !== null) return row.outpatient;
  if (frequent && row.frequent !== null) return row.frequent;
  return applyFormula(row.monthly, medicalCost);
}

/** 特定疾病 (OQSCD013): 1 dialysis (慢性腎不全), 2 hemophilia (血液凝固因子障害), 3 HIV (製剤起因). */
export type SpecificDisease = 'dialysis' | 'hemophilia' | 'hiv';

/** OQS `SpecificDiseasesDiseaseCategory` codes (OQSCD013, domain-research.md §1.4). */
export const SPECIFIC_DISEASE_OQS_CODES = {
  dialysis: '1',
  hemophilia: '2',
  hiv: '3',
} as const satisfies Record<SpecificDisease, string>;

/** 上位所得 for the dialysis limit: 標準報酬月額 ≥ 530,000 (ア and イ; RULES.md §7). */
const SPECIFIC_DISEASE_HIGH_INCOME = 530_000;

/**
 * The 特定疾病 monthly limit per institution (RULES.md §7): 10,000 yen, or 20,000 for dialysis
 * patients under 70 with 標準報酬月額 ≥ 530,000. Not dated: no change to it has been reported.
 * An unknown remuneration counts as below 530,000.
 */
export function specificDiseaseMonthlyLimit(input: {
  disease: SpecificDisease;
  under70: boolean;
  standardMonthlyRemuneration: number | null;
}): number {
  const { disease, under70, standardMonthlyRemuneration: remuneration } = input;
  if (remuneration !== null) requireAmount(remuneration, 'standardMonthlyRemuneration');
  const highIncome = remuneration !== null && remuneration >= SPECIFIC_DISEASE_HIGH_INCOME;
  return disease === 'dialysis' && under70 && highIncome ? 20_000 : 10_000;
}
