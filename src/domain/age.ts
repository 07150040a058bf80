/**
 * Age, as the law counts it (年齢計算ニ関スル法律 with 民法 §143): age is counted from the day of birth,
 * and a person reaches age n at the end of the day before their n-th birthday. For rules written
 * "on reaching n" (RULES.md §6: 未就学, 70–74) that day before the birthday is the date that counts.
 *
 * 29 February births: in a common year there is no 29 February, so (民法 §143 ②, proviso) the year
 * ends on the last day of February: the person reaches the age on 28 February and the birthday —
 * the first day of the new age — is 1 March. `dateReachingAge` is therefore always the day before
 * `birthday`, in leap and common years alike.
 */
import { addDays, type IsoDate, isIsoDate, isLeapYear, makeDate, parts } from './dates.js';

function requireDate(date: IsoDate, name: string): void {
  if (!isIsoDate(date)) throw new RangeError(`${name} is not a YYYY-MM-DD date: ${date}`);
}

function requireAge(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`age must be a whole number ≥ 0: ${n}`);
}

/**
 * The n-th birthday (n = 0 is the birth date). Born 29 February → 1 March in common years, because
 * the age is reached at the end of 28 February (see the module note; RULES.md §6).
 */
export function birthday(birthDate: IsoDate, n: number): IsoDate {
  requireDate(birthDate, 'birthDate');
  requireAge(n);
  const { year, month, day } = parts(birthDate);
  const y = year + n;
  if (month === 2 && day === 29 && !isLeapYear(y)) return makeDate(y, 3, 1);
  return makeDate(y, month, day);
}

/**
 * The day a person reaches age n for legal purposes: the day before the n-th birthday
 * (年齢計算ニ関スル法律; RULES.md §6). Born 29 February → 28 February in common years.
 */
export function dateReachingAge(birthDate: IsoDate, n: number): IsoDate {
  return addDays(birthday(birthDate, n), -1);
}

/**
 * Legal age on `asOf`: n from `dateReachingAge(birthDate, n)` on (RULES.md §6). So on the day before
 * the 6th birthday the child is already 6. Throws a RangeError for a date before birth.
 */
export function ageOn(birthDate: IsoDate, asOf: IsoDate): number {
  requireDate(birthDate, 'birthDate');
  requireDate(asOf, 'asOf');
  if (asOf < birthDate) throw new RangeError(`asOf ${asOf} is before the birth date ${birthDate}`);
  // Born 1 January reaches the next age on 31 December, so the age can be one more than the year gap.
  let n = parts(asOf).year - parts(birthDate).year + 1;
  while (dateReachingAge(birthDate, n) > asOf) n -= 1;
  return n;
}

/**
 * Ordinary (calendar) age on `asOf`: goes up on the birthday itself (a 29 February birth: on 1 March
 * in common years). Used where a rule counts birthdays, e.g. the card's "under 18 at issue" (RULES.md §4).
 * Throws a RangeError for a date before birth.
 */
export function calendarAgeOn(birthDate: IsoDate, asOf: IsoDate): number {
  requireDate(birthDate, 'birthDate');
  requireDate(asOf, 'asOf');
  if (asOf < birthDate) throw new RangeError(`asOf ${asOf} is before the birth date ${birthDate}`);
  const n = parts(asOf).year - parts(birthDate).year;
  return birthday(birthDate, n) > asOf ? n - 1 : n;
}
