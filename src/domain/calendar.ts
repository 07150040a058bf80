/**
 * Japan business days (RULES.md §5): not Saturday, Sunday, a national holiday (incl. 振替休日 and
 * 国民の休日) or the year-end break 12/29–1/3.
 *
 * Holidays come from @holiday-jp/holiday_jp, whose table is keyed by `YYYY-MM-DD` strings, so no
 * Date or time zone is involved. The table covers 1970 to HOLIDAY_DATA_UNTIL; later dates are
 * treated as having no national holidays (update the package before then).
 */
import holidayJp from '@holiday-jp/holiday_jp';
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { addDays, dayOfWeek, isIsoDate, parts } from './dates.js';

// Widened once: the package types each of its ~1,300 entries as a literal.
const table: Readonly<Record<string, { readonly name: string }>> = holidayJp.holidays;
const HOLIDAYS: ReadonlyMap<IsoDate, string> = new Map(Object.entries(table).map(([date, h]) => [date, h.name]));

const lastHoliday = [...HOLIDAYS.keys()].sort().at(-1) ?? '1970-01-01';
/** Last day of the last year the holiday table covers (2050-12-31 with holiday_jp 2.5.1). */
export const HOLIDAY_DATA_UNTIL: IsoDate = `${lastHoliday.slice(0, 4)}-12-31`;

function checkDate(d: IsoDate): void {
  if (typeof d !== 'string' || !isIsoDate(d)) throw new ShikakuError('VALIDATION_DATE', { value: String(d) });
}

/** True on a national holiday, 振替休日 or 国民の休日 (not on 12/29–1/3 unless one of those). */
export function isHoliday(d: IsoDate): boolean {
  checkDate(d);
  return HOLIDAYS.has(d);
}

/** The holiday's Japanese name (e.g. 勤労感謝の日, 勤労感謝の日 振替休日, 休日), or null. */
export function holidayName(d: IsoDate): string | null {
  checkDate(d);
  return HOLIDAYS.get(d) ?? null;
}

/** True from 12/29 to 1/3, the year-end break of public offices (年末年始). */
export function isYearEndBreak(d: IsoDate): boolean {
  checkDate(d);
  const { month, day } = parts(d);
  return (month === 12 && day >= 29) || (month === 1 && day <= 3);
}

/** RULES.md §5: a weekday that is neither a holiday nor in the year-end break. */
export function isBusinessDay(d: IsoDate): boolean {
  checkDate(d);
  const dow = dayOfWeek(d);
  return dow !== 0 && dow !== 6 && !HOLIDAYS.has(d) && !isYearEndBreak(d);
}

/**
 * The n-th business day strictly after `d` (n ≥ 1, an integer); `d` itself never counts, whether
 * or not it is a business day. Throws VALIDATION_FAILED for another n.
 */
export function addBusinessDays(d: IsoDate, n: number): IsoDate {
  checkDate(d);
  if (!Number.isInteger(n) || n < 1) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'n', value: n },
      { ja: 'n は1以上の整数', en: 'n must be an integer ≥ 1' },
    );
  }
  let day = d;
  for (let count = 0; count < n; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day)) count++;
  }
  return day;
}

/**
 * The day the hub starts answering for data the association registered on `recordedOn`: the 2nd
 * business day after it (翌々営業日, RULES.md §5, seed 002 Q9).
 */
export function hubAvailableOn(recordedOn: IsoDate): IsoDate {
  return addBusinessDays(recordedOn, 2);
}
