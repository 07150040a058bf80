import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate, isoDateNear, nastyString } from './arbitraries.test-helper.js';
import {
  addDays,
  addMonths,
  addYears,
  dayOfWeek,
  daysBetween,
  daysInMonth,
  endOfMonth,
  isIsoDate,
  makeDate,
  parts,
  startOfMonth,
} from './dates.js';

const RUNS = { numRuns: 400 };

describe('dates (properties)', () => {
  it('isIsoDate never throws, and accepts exactly the real dates written YYYY-MM-DD', () => {
    fc.assert(
      fc.property(nastyString(), (s) => {
        const accepted = isIsoDate(s);
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
        const real =
          m !== null &&
          Number(m[2]) >= 1 &&
          Number(m[2]) <= 12 &&
          Number(m[3]) >= 1 &&
          Number(m[3]) <= daysInMonth(Number(m[1]), Number(m[2]));
        expect(accepted).toBe(real);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = makeDate(y, m, d);
          // The JavaScript calendar agrees on every year (proleptic Gregorian, as the law counts).
          const js = new Date(Date.UTC(2000, m - 1, d));
          js.setUTCFullYear(y);
          const real = m >= 1 && m <= 12 && d >= 1 && js.getUTCMonth() === m - 1 && js.getUTCDate() === d;
          expect(isIsoDate(s)).toBe(real);
        },
      ),
      RUNS,
    );
  });

  it('addDays is invertible, counts with daysBetween, and keeps the weekday every 7 days', () => {
    fc.assert(
      fc.property(isoDateNear(), fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        const moved = addDays(d, n);
        expect(isIsoDate(moved)).toBe(true);
        expect(addDays(moved, -n)).toBe(d);
        expect(daysBetween(d, moved)).toBe(n);
        expect(moved > d).toBe(n > 0);
        expect(dayOfWeek(addDays(d, 7 * Math.trunc(n / 7)))).toBe(dayOfWeek(d));
      }),
      RUNS,
    );
  });

  it('addMonths moves the month exactly and clamps the day to the month end', () => {
    fc.assert(
      fc.property(isoDateNear('1901-01-01', '2099-12-31'), fc.integer({ min: -600, max: 600 }), (d, n) => {
        const moved = addMonths(d, n);
        const a = parts(d);
        const b = parts(moved);
        expect(isIsoDate(moved)).toBe(true);
        expect(b.year * 12 + b.month - (a.year * 12 + a.month)).toBe(n);
        expect(b.day).toBe(Math.min(a.day, daysInMonth(b.year, b.month)));
        expect(addYears(d, n)).toBe(addMonths(d, 12 * n));
      }),
      RUNS,
    );
  });

  it('startOfMonth ≤ date ≤ endOfMonth, in the same month, and the day after the end starts the next', () => {
    fc.assert(
      fc.property(isoDateNear(), (d) => {
        const start = startOfMonth(d);
        const end = endOfMonth(d);
        expect(start <= d && d <= end).toBe(true);
        expect(start.slice(0, 7)).toBe(d.slice(0, 7));
        expect(end.slice(0, 7)).toBe(d.slice(0, 7));
        expect(startOfMonth(addDays(end, 1))).toBe(addDays(end, 1));
        expect(addMonths(start, 1)).toBe(addDays(end, 1));
      }),
      RUNS,
    );
  });

  it('string order is date order', () => {
    fc.assert(
      fc.property(isoDate(), isoDate(), (a, b) => {
        expect(a < b).toBe(daysBetween(a, b) > 0);
      }),
      RUNS,
    );
  });
});
