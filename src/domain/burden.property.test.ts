import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageOn, birthday, dateReachingAge } from './age.js';
import { isoDate, isoDateNear } from './arbitraries.test-helper.js';
import { type BurdenBand, burdenRatio, ELDERLY_HIGH_INCOME_REMUNERATION } from './burden.js';
import { addDays } from './dates.js';

const RUNS = { numRuns: 300 };
const BAND_ORDER: Record<BurdenBand, number> = {
  preschool: 0,
  general: 1,
  elderly: 2,
  elderly_high_income: 2,
  late_elderly: 3,
};
const remuneration = fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null });

describe('burden ratio (properties, RULES.md §6)', () => {
  it('bands only move forward with time: 未就学 → 一般 → 70–74 → 75 (never back)', () => {
    fc.assert(
      fc.property(
        isoDateNear('1930-01-01', '2030-12-31'),
        fc.integer({ min: 0, max: 90 * 366 }),
        fc.integer({ min: 0, max: 3000 }),
        remuneration,
        (birthDate, a, step, insuredRemuneration) => {
          const earlier = burdenRatio({ birthDate, asOf: addDays(birthDate, a), insuredRemuneration });
          const later = burdenRatio({ birthDate, asOf: addDays(birthDate, a + step), insuredRemuneration });
          expect(BAND_ORDER[later.band]).toBeGreaterThanOrEqual(BAND_ORDER[earlier.band]);
        },
      ),
      RUNS,
    );
  });

  it('each band has its ratio, and the band agrees with the legal age', () => {
    fc.assert(
      fc.property(
        isoDateNear('1930-01-01', '2030-12-31'),
        fc.integer({ min: 0, max: 90 * 366 }),
        remuneration,
        (birthDate, a, insuredRemuneration) => {
          const asOf = addDays(birthDate, a);
          const r = burdenRatio({ birthDate, asOf, insuredRemuneration });
          const age = ageOn(birthDate, asOf);
          switch (r.band) {
            case 'preschool':
              expect(r.ratio).toBe(20);
              expect(age).toBeLessThanOrEqual(7);
              break;
            case 'general':
              expect(r.ratio).toBe(30);
              expect(age).toBeGreaterThanOrEqual(6);
              expect(age).toBeLessThanOrEqual(70);
              break;
            case 'elderly':
            case 'elderly_high_income':
              expect(r.ratio).toBe(r.band === 'elderly' ? 20 : 30);
              expect(age).toBeGreaterThanOrEqual(70);
              expect(asOf < birthday(birthDate, 75)).toBe(true);
              expect(r.elderlySince > dateReachingAge(birthDate, 70)).toBe(true);
              break;
            case 'late_elderly':
              expect(r.ratio).toBeNull();
              expect(asOf >= birthday(birthDate, 75)).toBe(true);
              break;
          }
        },
      ),
      RUNS,
    );
  });

  it('a higher remuneration never lowers the ratio; only 70–74 depends on it, at 280,000', () => {
    fc.assert(
      fc.property(
        isoDate('1930-01-01', '2000-12-31'),
        isoDate('1990-01-01', '2060-12-31'),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (birthDate, asOf, x, y) => {
          if (asOf < birthDate) return;
          const [low, high] = x <= y ? [x, y] : [y, x];
          const a = burdenRatio({ birthDate, asOf, insuredRemuneration: low });
          const b = burdenRatio({ birthDate, asOf, insuredRemuneration: high });
          expect(BAND_ORDER[a.band]).toBe(BAND_ORDER[b.band]);
          if (a.ratio !== null && b.ratio !== null) expect(b.ratio).toBeGreaterThanOrEqual(a.ratio);
          if (a.band === 'elderly_high_income' || b.band === 'elderly_high_income') {
            expect(b.band).toBe(high >= ELDERLY_HIGH_INCOME_REMUNERATION ? 'elderly_high_income' : 'elderly');
          } else if (a.band !== 'elderly') {
            expect(a).toEqual(b);
          }
        },
      ),
      RUNS,
    );
  });
});
