import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDateNear, nastyString } from './arbitraries.test-helper.js';
import {
  addBusinessDays,
  HOLIDAY_DATA_UNTIL,
  hubAvailableOn,
  isBusinessDay,
  isHoliday,
  isYearEndBreak,
} from './calendar.js';
import { ShikakuError } from './codes.js';
import { addDays, dayOfWeek, daysBetween } from './dates.js';

const RUNS = { numRuns: 300 };
const dates = isoDateNear('1970-01-01', HOLIDAY_DATA_UNTIL);

/** Business days strictly between a and b (both excluded). */
function businessDaysBetween(a: string, b: string): number {
  let n = 0;
  for (let d = addDays(a, 1); d < b; d = addDays(d, 1)) if (isBusinessDay(d)) n++;
  return n;
}

describe('business days (properties, RULES.md §5)', () => {
  it('a business day is a weekday, no holiday, outside 12/29–1/3', () => {
    fc.assert(
      fc.property(dates, (d) => {
        const dow = dayOfWeek(d);
        expect(isBusinessDay(d)).toBe(dow !== 0 && dow !== 6 && !isHoliday(d) && !isYearEndBreak(d));
      }),
      RUNS,
    );
  });

  it('addBusinessDays(d, n) is the n-th business day strictly after d', () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 30 }), (d, n) => {
        const result = addBusinessDays(d, n);
        expect(result > d).toBe(true);
        expect(isBusinessDay(result)).toBe(true);
        expect(businessDaysBetween(d, result)).toBe(n - 1);
        // Monotone, and stepping one at a time lands on the same day.
        expect(addBusinessDays(d, n + 1) > result).toBe(true);
        expect(addBusinessDays(result, 1)).toBe(addBusinessDays(d, n + 1));
        // Never more than the longest run of closed days allows (the year-end break and its weekends).
        expect(daysBetween(d, result)).toBeLessThanOrEqual(n * 10);
      }),
      RUNS,
    );
  });

  it('hubAvailableOn is the 2nd business day after recordedOn: one business day lies between', () => {
    fc.assert(
      fc.property(dates, (recordedOn) => {
        const from = hubAvailableOn(recordedOn);
        expect(isBusinessDay(from)).toBe(true);
        expect(businessDaysBetween(recordedOn, from)).toBe(1);
      }),
      RUNS,
    );
  });

  it('refuses anything but a real date (and n ≥ 1) with a coded error, never another exception', () => {
    fc.assert(
      fc.property(nastyString(), fc.oneof(fc.integer(), fc.double()), (s, n) => {
        for (const run of [() => isBusinessDay(s), () => isHoliday(s), () => addBusinessDays(s, n)]) {
          try {
            run();
          } catch (error) {
            expect(error).toBeInstanceOf(ShikakuError);
          }
        }
      }),
      RUNS,
    );
  });
});
