import { describe, expect, it } from 'vitest';
import {
  type BurdenResult,
  burdenRatio,
  ELDERLY_HIGH_INCOME_REMUNERATION,
  elderlyFrom,
  isPreschool,
  lateElderlyFrom,
  preschoolUntil,
} from './burden.js';

const at = (birthDate: string, asOf: string, insuredRemuneration: number | null = 300_000) =>
  burdenRatio({ birthDate, asOf, insuredRemuneration });

describe('preschoolUntil', () => {
  it('ends on the 31 March on which a child born 1 April reaches 6', () => {
    expect(preschoolUntil('2019-04-01')).toBe('2025-03-31');
  });

  it('runs a year longer for a child born 2 April (reaches 6 on 1 April)', () => {
    expect(preschoolUntil('2019-04-02')).toBe('2026-03-31');
  });

  it('ends the 31 March after reaching 6 for births later in the school year', () => {
    expect(preschoolUntil('2019-01-01')).toBe('2025-03-31'); // reaches 6 on 2024-12-31
    expect(preschoolUntil('2018-12-31')).toBe('2025-03-31');
    expect(preschoolUntil('2019-03-31')).toBe('2025-03-31');
  });

  it('handles a 29 February birth (reaches 6 on 28 February)', () => {
    expect(preschoolUntil('2016-02-29')).toBe('2022-03-31');
  });
});

describe('isPreschool', () => {
  it('is true from birth to preschoolUntil inclusive', () => {
    expect(isPreschool('2019-04-02', '2019-04-02')).toBe(true);
    expect(isPreschool('2019-04-02', '2026-03-31')).toBe(true);
    expect(isPreschool('2019-04-02', '2026-04-01')).toBe(false);
  });

  it('is false before birth', () => {
    expect(isPreschool('2019-04-02', '2019-04-01')).toBe(false);
  });
});

describe('elderlyFrom', () => {
  it('is the birthday itself for a person born on the 1st', () => {
    expect(elderlyFrom('1956-05-01')).toBe('2026-05-01');
    expect(elderlyFrom('1956-01-01')).toBe('2026-01-01'); // reaches 70 on 2025-12-31
  });

  it('is the 1st of the next month for any other birth day', () => {
    expect(elderlyFrom('1956-05-02')).toBe('2026-06-01');
    expect(elderlyFrom('1956-05-31')).toBe('2026-06-01');
    expect(elderlyFrom('1956-12-02')).toBe('2027-01-01');
  });

  it('is 1 March for births on 29 February and 1 March (both reach 70 on 28 February 2026)', () => {
    expect(elderlyFrom('1956-02-29')).toBe('2026-03-01');
    expect(elderlyFrom('1956-03-01')).toBe('2026-03-01');
  });
});

describe('lateElderlyFrom', () => {
  it('is the 75th birthday', () => {
    expect(lateElderlyFrom('1951-06-15')).toBe('2026-06-15');
  });

  it('is 1 March of a common year for a 29 February birth', () => {
    expect(lateElderlyFrom('1952-02-29')).toBe('2027-03-01');
  });
});

describe('burdenRatio', () => {
  it('is 2割 未就学 from birth', () => {
    expect(at('2025-12-02', '2025-12-02')).toEqual({ ratio: 20, band: 'preschool' });
  });

  it('born 2019-04-01: 2割 through 2025-03-31, 3割 from 2025-04-01', () => {
    expect(at('2019-04-01', '2025-03-31')).toEqual({ ratio: 20, band: 'preschool' });
    expect(at('2019-04-01', '2025-04-01')).toEqual({ ratio: 30, band: 'general' });
  });

  it('born 2019-04-02: still 2割 after reaching 6, through 2026-03-31', () => {
    expect(at('2019-04-02', '2025-04-01')).toEqual({ ratio: 20, band: 'preschool' });
    expect(at('2019-04-02', '2026-03-31')).toEqual({ ratio: 20, band: 'preschool' });
    expect(at('2019-04-02', '2026-04-01')).toEqual({ ratio: 30, band: 'general' });
  });

  it('ignores remuneration below 70', () => {
    expect(at('2020-06-01', '2025-12-01', 1_390_000)).toEqual({ ratio: 20, band: 'preschool' });
    expect(at('1980-06-01', '2025-12-01', null)).toEqual({ ratio: 30, band: 'general' });
    expect(at('1980-06-01', '2025-12-01', 98_000)).toEqual({ ratio: 30, band: 'general' });
  });

  it('born 1956-05-01: 高齢受給者 from the birthday 2026-05-01', () => {
    expect(at('1956-05-01', '2026-04-30', 200_000)).toEqual({ ratio: 30, band: 'general' });
    expect(at('1956-05-01', '2026-05-01', 200_000)).toEqual({
      ratio: 20,
      band: 'elderly',
      elderlySince: '2026-05-01',
    });
  });

  it('born 1956-05-02: 3割 through 2026-05-31 (already 70), 高齢受給者 from 2026-06-01', () => {
    expect(at('1956-05-02', '2026-05-02', 200_000)).toEqual({ ratio: 30, band: 'general' });
    expect(at('1956-05-02', '2026-05-31', 200_000)).toEqual({ ratio: 30, band: 'general' });
    expect(at('1956-05-02', '2026-06-01', 200_000)).toEqual({
      ratio: 20,
      band: 'elderly',
      elderlySince: '2026-06-01',
    });
  });

  it('70–74: 3割 from 280,000 (現役並み所得), 2割 below it', () => {
    expect(ELDERLY_HIGH_INCOME_REMUNERATION).toBe(280_000);
    expect(at('1955-03-10', '2026-01-05', 279_999)).toMatchObject({ ratio: 20, band: 'elderly' });
    expect(at('1955-03-10', '2026-01-05', 280_000)).toEqual({
      ratio: 30,
      band: 'elderly_high_income',
      elderlySince: '2025-04-01',
    });
  });

  it('70–74 with unknown remuneration counts as below 280,000', () => {
    expect(at('1955-03-10', '2026-01-05', null)).toMatchObject({ ratio: 20, band: 'elderly' });
  });

  it('from the 75th birthday: late_elderly with no ratio', () => {
    expect(at('1951-06-15', '2026-06-14', 500_000)).toMatchObject({ ratio: 30, band: 'elderly_high_income' });
    expect(at('1951-06-15', '2026-06-15', 500_000)).toEqual({ ratio: null, band: 'late_elderly' });
  });

  it('born 29 February: 後期 from 1 March in a common year', () => {
    expect(at('1952-02-29', '2027-02-28', 0)).toMatchObject({ band: 'elderly' });
    expect(at('1952-02-29', '2027-03-01', 0)).toEqual({ ratio: null, band: 'late_elderly' });
  });

  it('rejects a date before birth, a malformed date and a bad remuneration', () => {
    expect(() => at('2020-01-10', '2020-01-09')).toThrow(RangeError);
    expect(() => at('2020-01-10', '2020-1-11')).toThrow(RangeError);
    expect(() => at('1950-01-10', '2025-01-11', -1)).toThrow(RangeError);
    expect(() => at('1950-01-10', '2025-01-11', Number.NaN)).toThrow(RangeError);
  });

  it('types ratio as null only for late_elderly', () => {
    const r = at('1951-06-15', '2026-06-15');
    if (r.band === 'late_elderly') {
      const ratio: null = r.ratio;
      expect(ratio).toBeNull();
    } else {
      const ratio: 20 | 30 = r.ratio;
      expect(ratio).toBeGreaterThan(0);
    }
    // @ts-expect-error: a band under 75 always has a ratio
    const bad: BurdenResult = { ratio: null, band: 'general' };
    expect(bad.band).toBe('general');
  });
});
