/**
 * 一部負担金の割合 (burden ratio, in percent) by age band, RULES.md §6.
 * Ages are reached the day before the birthday (see age.ts).
 */
import { birthday, dateReachingAge } from './age.js';
import { addMonths, type IsoDate, isIsoDate, makeDate, parts, startOfMonth } from './dates.js';
import { type ElderlyIncomeFacts, isElderlyHighIncome } from './elderly-income.js';

export { ELDERLY_HIGH_INCOME_REMUNERATION } from './elderly-income.js';

/** Burden ratio in percent (3割 = 30). 10 occurs only outside the association (後期高齢者医療). */
export type BurdenRatio = 10 | 20 | 30;

export type BurdenBand = 'preschool' | 'general' | 'elderly' | 'elderly_high_income' | 'late_elderly';

/**
 * The ratio for one band. `ratio` is null only for 'late_elderly': from 75 the person belongs to
 * 後期高齢者医療, whose ratio the association does not decide.
 */
export type BurdenResult =
  | { ratio: 20; band: 'preschool' }
  | { ratio: 30; band: 'general' }
  | { ratio: 20; band: 'elderly'; elderlySince: IsoDate }
  | { ratio: 30; band: 'elderly_high_income'; elderlySince: IsoDate }
  | { ratio: null; band: 'late_elderly' };

function requireDate(date: IsoDate, name: string): void {
  if (!isIsoDate(date)) throw new RangeError(`${name} is not a YYYY-MM-DD date: ${date}`);
}

/**
 * Last day of 未就学 (2割): the first 31 March on or after the day the child reaches 6 (RULES.md §6).
 * Born 2019-04-01 → reaches 6 on 2025-03-31 → 2025-03-31; born 2019-04-02 → 2026-03-31.
 */
export function preschoolUntil(birthDate: IsoDate): IsoDate {
  const reached = dateReachingAge(birthDate, 6);
  const { year } = parts(reached);
  const march31 = makeDate(year, 3, 31);
  return reached <= march31 ? march31 : makeDate(year + 1, 3, 31);
}

/** True while the child is 未就学 (from birth to `preschoolUntil`, inclusive; RULES.md §6). */
export function isPreschool(birthDate: IsoDate, asOf: IsoDate): boolean {
  requireDate(birthDate, 'birthDate');
  requireDate(asOf, 'asOf');
  return asOf >= birthDate && asOf <= preschoolUntil(birthDate);
}

/**
 * First day of the 高齢受給者 band (70–74): the 1st of the month after the month in which the person
 * reaches 70 (RULES.md §6). Reaching 70 falls on the day before the birthday, so a person born on the
 * 1st reaches it in the previous month and starts on the birthday itself: born 1956-05-01 → 2026-05-01,
 * born 1956-05-02 → 2026-06-01.
 */
export function elderlyFrom(birthDate: IsoDate): IsoDate {
  return addMonths(startOfMonth(dateReachingAge(birthDate, 70)), 1);
}

/**
 * The 75th birthday: the person moves to 後期高齢者医療 that day and leaves the association
 * (RULES.md §6). Born 29 February → 1 March in a common year (see age.ts).
 */
export function lateElderlyFrom(birthDate: IsoDate): IsoDate {
  return birthday(birthDate, 75);
}

/**
 * Whether a member in the 70–74 band on `asOf` is 現役並み (elderly-income.ts): the insured earns
 * ≥ 280,000, is 70–74 too (checked only when `insuredBirthDate` is given) and has no 基準収入額適用 in
 * effect.
 */
export function elderlyHighIncomeOn(facts: ElderlyIncomeFacts, asOf: IsoDate): boolean {
  const insuredIsElderly = facts.insuredBirthDate === undefined || asOf >= elderlyFrom(facts.insuredBirthDate);
  return isElderlyHighIncome(facts, insuredIsElderly, asOf);
}

/**
 * The burden ratio on `asOf` (RULES.md §6): 未就学 20, then 30, 70–74 20 (30 when 現役並み: see
 * `elderlyHighIncomeOn` — the insured's 標準報酬月額 ≥ 280,000, the insured 70–74 too when
 * `insuredBirthDate` is given, no 基準収入額適用 in effect), and no ratio from the 75th birthday.
 * `insuredRemuneration` matters only for 70–74; null there (unknown) counts as below 280,000.
 * Not covered: a member who joins at 70+ (their band starts at joining: the caller clamps `elderlySince`).
 * Throws a RangeError for a date before birth or a negative remuneration.
 */
export function burdenRatio(
  input: {
    birthDate: IsoDate;
    asOf: IsoDate;
  } & ElderlyIncomeFacts,
): BurdenResult {
  const { birthDate, asOf, insuredRemuneration } = input;
  requireDate(birthDate, 'birthDate');
  requireDate(asOf, 'asOf');
  if (asOf < birthDate) throw new RangeError(`asOf ${asOf} is before the birth date ${birthDate}`);
  if (insuredRemuneration !== null && !(Number.isFinite(insuredRemuneration) && insuredRemuneration >= 0)) {
    throw new RangeError(`insuredRemuneration must be a number ≥ 0 or null: ${insuredRemuneration}`);
  }

  if (asOf >= lateElderlyFrom(birthDate)) return { ratio: null, band: 'late_elderly' };
  const elderlySince = elderlyFrom(birthDate);
  if (asOf >= elderlySince) {
    return elderlyHighIncomeOn(input, asOf)
      ? { ratio: 30, band: 'elderly_high_income', elderlySince }
      : { ratio: 20, band: 'elderly', elderlySince };
  }
  if (asOf <= preschoolUntil(birthDate)) return { ratio: 20, band: 'preschool' };
  return { ratio: 30, band: 'general' };
}
