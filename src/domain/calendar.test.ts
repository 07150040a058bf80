import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  HOLIDAY_DATA_UNTIL,
  holidayName,
  hubAvailableOn,
  isBusinessDay,
  isHoliday,
  isYearEndBreak,
} from './calendar.js';
import { ShikakuError } from './codes.js';
import { addDays, dayOfWeek, daysBetween } from './dates.js';

function errorOf(fn: () => unknown): ShikakuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e;
    throw new Error(`expected a ShikakuError, got ${String(e)}`);
  }
  throw new Error('expected a ShikakuError, nothing was thrown');
}

function datesOf(year: number): string[] {
  const out: string[] = [];
  for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('holidays', () => {
  it('knows national, substitute and citizens’ holidays', () => {
    expect(holidayName('2025-11-23')).toBe('勤労感謝の日');
    expect(holidayName('2025-11-24')).toBe('勤労感謝の日 振替休日');
    expect(holidayName('2026-09-22')).toBe('休日'); // 国民の休日 between 敬老の日 and 秋分の日
    expect(holidayName('2026-05-06')).toBe('こどもの日 振替休日');
    expect(isHoliday('2025-11-24')).toBe(true);
    expect(isHoliday('2025-11-25')).toBe(false);
    expect(holidayName('2025-11-25')).toBeNull();
  });

  it('has the 18 holidays of 2026 listed in toolchain.md §7', () => {
    expect(datesOf(2026).filter(isHoliday)).toEqual([
      '2026-01-01',
      '2026-01-12',
      '2026-02-11',
      '2026-02-23',
      '2026-03-20',
      '2026-04-29',
      '2026-05-03',
      '2026-05-04',
      '2026-05-05',
      '2026-05-06',
      '2026-07-20',
      '2026-08-11',
      '2026-09-21',
      '2026-09-22',
      '2026-09-23',
      '2026-10-12',
      '2026-11-03',
      '2026-11-23',
    ]);
  });

  it('does not count the year-end break as a national holiday', () => {
    expect(isHoliday('2025-12-31')).toBe(false);
    expect(isHoliday('2026-01-01')).toBe(true);
    expect(isHoliday('2026-01-02')).toBe(false);
  });

  it('covers the package data up to 2050', () => {
    expect(HOLIDAY_DATA_UNTIL).toBe('2050-12-31');
    expect(isHoliday('2050-11-23')).toBe(true);
  });
});

describe('isYearEndBreak', () => {
  it('is 12/29 to 1/3 inclusive', () => {
    expect(isYearEndBreak('2025-12-28')).toBe(false);
    expect(isYearEndBreak('2025-12-29')).toBe(true);
    expect(isYearEndBreak('2025-12-31')).toBe(true);
    expect(isYearEndBreak('2026-01-03')).toBe(true);
    expect(isYearEndBreak('2026-01-04')).toBe(false);
  });
});

describe('isBusinessDay', () => {
  it('excludes weekends, holidays and the year-end break', () => {
    expect(isBusinessDay('2025-11-21')).toBe(true); // Friday
    expect(isBusinessDay('2025-11-22')).toBe(false); // Saturday
    expect(isBusinessDay('2025-11-23')).toBe(false); // Sunday and 勤労感謝の日
    expect(isBusinessDay('2025-11-24')).toBe(false); // Monday, 振替休日
    expect(isBusinessDay('2025-11-25')).toBe(true);
    expect(isBusinessDay('2025-12-26')).toBe(true); // Friday
    expect(isBusinessDay('2025-12-29')).toBe(false); // Monday in the year-end break
    expect(isBusinessDay('2025-12-30')).toBe(false);
    expect(isBusinessDay('2026-01-02')).toBe(false); // Friday in the year-end break
    expect(isBusinessDay('2026-01-05')).toBe(true); // Monday after it
    expect(isBusinessDay('2026-09-22')).toBe(false); // Tuesday, 国民の休日
    expect(isBusinessDay('2024-02-29')).toBe(true); // leap day, Thursday
  });

  it('counts 240 business days in 2026', () => {
    // 365 days − 104 weekend days − 17 weekday holidays (05-03 is a Sunday) − 4 weekdays of the
    // year-end break that are not holidays (01-02, 12-29, 12-30, 12-31).
    const days = datesOf(2026);
    expect(days.filter((d) => isHoliday(d) && dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6)).toHaveLength(17);
    expect(days.filter(isBusinessDay)).toHaveLength(240);
  });
});

describe('addBusinessDays', () => {
  it('counts strictly after the day', () => {
    expect(addBusinessDays('2025-11-19', 1)).toBe('2025-11-20'); // Wednesday → Thursday
    expect(addBusinessDays('2025-11-20', 1)).toBe('2025-11-21');
    expect(addBusinessDays('2025-11-21', 1)).toBe('2025-11-25'); // over the weekend and the substitute holiday
    expect(addBusinessDays('2025-11-17', 5)).toBe('2025-11-25');
  });

  it('crosses month and year ends', () => {
    expect(addBusinessDays('2025-12-26', 1)).toBe('2026-01-05');
    expect(addBusinessDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('rejects n < 1 or a non-integer n', () => {
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(errorOf(() => addBusinessDays('2025-11-21', n)).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('hubAvailableOn (翌々営業日, RULES.md §5)', () => {
  it('Friday 2025-11-21 → Wednesday 2025-11-26 (Sunday holiday and its substitute in between)', () => {
    expect(hubAvailableOn('2025-11-21')).toBe('2025-11-26');
  });

  it('an ordinary week: Monday → Wednesday, Thursday → Monday', () => {
    expect(hubAvailableOn('2025-12-01')).toBe('2025-12-03');
    expect(hubAvailableOn('2025-12-04')).toBe('2025-12-08');
  });

  it('runs over the year-end break into January, after 1/3', () => {
    expect(hubAvailableOn('2025-12-25')).toBe('2026-01-05'); // Thu: 12/26 is the 1st business day
    expect(hubAvailableOn('2025-12-26')).toBe('2026-01-06');
    expect(hubAvailableOn('2024-12-27')).toBe('2025-01-07'); // 1/1–1/3 on Wed–Fri, then a weekend
    expect(hubAvailableOn('2026-12-28')).toBe('2027-01-05'); // Mon 12/28 then break until Sun 1/3
  });

  it('skips Golden Week', () => {
    expect(hubAvailableOn('2025-05-02')).toBe('2025-05-08'); // 5/3–5/6 off (5/6 振替休日)
    expect(hubAvailableOn('2026-04-28')).toBe('2026-05-01'); // 4/29 昭和の日 in between
    expect(hubAvailableOn('2026-05-01')).toBe('2026-05-08'); // 5/2–5/6 off
    expect(hubAvailableOn('2019-04-26')).toBe('2019-05-08'); // the 10-day break of the era change
  });

  it('skips the 2026 Silver Week with its 国民の休日', () => {
    expect(hubAvailableOn('2026-09-18')).toBe('2026-09-25'); // 9/19–9/23 off, 9/22 国民の休日
  });

  it('works when recordedOn is itself a holiday or a weekend', () => {
    expect(hubAvailableOn('2025-11-22')).toBe('2025-11-26'); // Saturday
    expect(hubAvailableOn('2025-11-23')).toBe('2025-11-26'); // Sunday and holiday
    expect(hubAvailableOn('2025-11-24')).toBe('2025-11-26'); // substitute holiday
    expect(hubAvailableOn('2026-01-01')).toBe('2026-01-06'); // 元日
    expect(hubAvailableOn('2026-09-22')).toBe('2026-09-25'); // 国民の休日
  });

  it('is always a business day with exactly one business day in between', () => {
    for (let d = '2025-01-01'; d <= '2027-12-31'; d = addDays(d, 1)) {
      const hub = hubAvailableOn(d);
      expect(isBusinessDay(hub)).toBe(true);
      const between = Array.from({ length: daysBetween(d, hub) - 1 }, (_, i) => addDays(d, i + 1));
      expect(between.filter(isBusinessDay)).toHaveLength(1);
    }
  });
});

describe('bad dates', () => {
  it('throws VALIDATION_DATE, never a TypeError', () => {
    for (const bad of ['', '2025-02-30', '2025-13-01', '20251121', '2025/11/21', 'garbage', '２０２５-１１-２１']) {
      expect(errorOf(() => isBusinessDay(bad)).code).toBe('VALIDATION_DATE');
      expect(errorOf(() => isHoliday(bad)).code).toBe('VALIDATION_DATE');
      expect(errorOf(() => holidayName(bad)).code).toBe('VALIDATION_DATE');
      expect(errorOf(() => hubAvailableOn(bad)).code).toBe('VALIDATION_DATE');
    }
    expect(errorOf(() => addBusinessDays(undefined as unknown as string, 1)).code).toBe('VALIDATION_DATE');
  });
});
