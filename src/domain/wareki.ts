/**
 * 和暦 for documents (RULES.md §8: 令和7年12月2日 on documents, ISO dates everywhere else).
 * An era table rather than Intl, so the output does not depend on the ICU build; the tests check it
 * against `Intl.DateTimeFormat('ja-JP-u-ca-japanese')`.
 */
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { isIsoDate, parts } from './dates.js';

export type Era = '明治' | '大正' | '昭和' | '平成' | '令和';

/** Newest first. `start` is the first day of the era in the Gregorian calendar. */
const ERAS: ReadonlyArray<{ era: Era; start: IsoDate }> = [
  { era: '令和', start: '2019-05-01' },
  { era: '平成', start: '1989-01-08' },
  { era: '昭和', start: '1926-12-25' },
  { era: '大正', start: '1912-07-30' },
  { era: '明治', start: '1868-10-23' },
];

/**
 * Japan adopted the Gregorian calendar on 明治6年1月1日; earlier 和暦 dates are lunisolar and
 * cannot be derived from a Gregorian date by subtraction.
 */
export const WAREKI_FROM: IsoDate = '1873-01-01';

/** The era and the year in it (1 for 元年). Throws VALIDATION_DATE for a bad date or one before 1873. */
export function eraOf(d: IsoDate): { era: Era; year: number } {
  if (typeof d !== 'string' || !isIsoDate(d)) throw new ShikakuError('VALIDATION_DATE', { value: String(d) });
  if (d < WAREKI_FROM) {
    throw new ShikakuError(
      'VALIDATION_DATE',
      { value: d },
      { ja: '和暦は明治6年1月1日（1873-01-01）以降のみ扱えます', en: 'Japanese-era dates start at 1873-01-01' },
    );
  }
  const found = ERAS.find((e) => d >= e.start) as (typeof ERAS)[number];
  return { era: found.era, year: parts(d).year - parts(found.start).year + 1 };
}

function eraYear(d: IsoDate): string {
  const { era, year } = eraOf(d);
  return `${era}${year === 1 ? '元' : year}年`;
}

/** `令和7年12月2日`; the first year of an era is written 元年 (令和元年5月1日). */
export function toWareki(d: IsoDate, _style: 'long' = 'long'): string {
  const year = eraYear(d); // validates d
  const { month, day } = parts(d);
  return `${year}${month}月${day}日`;
}

/** `令和7年12月` (the era is the one of day `d`: 2019-04-30 → 平成31年4月, 2019-05-01 → 令和元年5月). */
export function toWarekiYearMonth(d: IsoDate): string {
  const year = eraYear(d); // validates d
  return `${year}${parts(d).month}月`;
}
