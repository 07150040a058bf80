import { describe, expect, it } from 'vitest';
import { addDays } from './dates.js';
import {
  LIMIT_CATEGORY_OQS_CODES,
  LIMIT_TABLE,
  type LimitCategory,
  type LowIncomeCategory,
  limitCategoryFor,
  limitRowOn,
  limitTableOn,
  monthlyLimit,
  SPECIFIC_DISEASE_OQS_CODES,
  specificDiseaseMonthlyLimit,
} from './limits.js';

const ALL_CATEGORIES: LimitCategory[] = [
  'ア',
  'イ',
  'ウ',
  'エ',
  'オ',
  '現役並みⅢ',
  '現役並みⅡ',
  '現役並みⅠ',
  '一般',
  '低所得Ⅱ',
  '低所得Ⅰ',
];

describe('LIMIT_CATEGORY_OQS_CODES', () => {
  it('maps to OQSCD012', () => {
    expect(LIMIT_CATEGORY_OQS_CODES).toEqual({
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
    });
  });
});

describe('LIMIT_TABLE', () => {
  it('is contiguous, oldest first, open at the end', () => {
    for (let i = 1; i < LIMIT_TABLE.length; i++) {
      const previous = LIMIT_TABLE[i - 1]!;
      expect(previous.validUntil).not.toBeNull();
      expect(LIMIT_TABLE[i]!.validFrom).toBe(addDays(previous.validUntil!, 1));
    }
    expect(LIMIT_TABLE.at(-1)!.validUntil).toBeNull();
  });

  it('has every category exactly once per period, in the right age group', () => {
    for (const period of LIMIT_TABLE) {
      expect(period.under70.map((r) => r.category)).toEqual(['ア', 'イ', 'ウ', 'エ', 'オ']);
      expect(period.age70to74.map((r) => r.category)).toEqual(ALL_CATEGORIES.slice(5));
    }
  });
});

describe('limitTableOn', () => {
  it('throws before 2018-08-01', () => {
    expect(() => limitTableOn('2018-07-31')).toThrow(RangeError);
    expect(limitTableOn('2018-08-01').validFrom).toBe('2018-08-01');
  });

  it('switches on 2026-08-01', () => {
    expect(limitTableOn('2026-07-31').validUntil).toBe('2026-07-31');
    expect(limitTableOn('2026-08-01').validFrom).toBe('2026-08-01');
    expect(limitTableOn('2030-01-01').validFrom).toBe('2026-08-01');
  });

  it('rejects a malformed date', () => {
    expect(() => limitTableOn('2026-8-1')).toThrow(RangeError);
  });

  it('carries the new yearly cap for ウ only from 2026-08', () => {
    expect(limitRowOn('ウ', '2026-07-31').yearly).toBeNull();
    expect(limitRowOn('ウ', '2026-08-01').yearly).toBe(530_000);
  });
});

describe('limitCategoryFor', () => {
  const under70 = (remuneration: number | null, lowIncome?: LowIncomeCategory | null) =>
    limitCategoryFor({
      birthDate: '1980-06-15',
      asOf: '2025-12-02',
      standardMonthlyRemuneration: remuneration,
      lowIncome,
    });
  const age72 = (remuneration: number | null, lowIncome?: LowIncomeCategory | null) =>
    limitCategoryFor({
      birthDate: '1953-06-15',
      asOf: '2025-12-02',
      standardMonthlyRemuneration: remuneration,
      lowIncome,
    });

  it('under 70: thresholds 280,000 / 530,000 / 830,000', () => {
    expect(under70(0)).toBe('エ');
    expect(under70(260_000)).toBe('エ');
    expect(under70(279_999)).toBe('エ');
    expect(under70(280_000)).toBe('ウ');
    expect(under70(500_000)).toBe('ウ');
    expect(under70(529_999)).toBe('ウ');
    expect(under70(530_000)).toBe('イ');
    expect(under70(790_000)).toBe('イ');
    expect(under70(829_999)).toBe('イ');
    expect(under70(830_000)).toBe('ア');
    expect(under70(1_390_000)).toBe('ア');
  });

  it('70–74: 現役並みⅠ/Ⅱ/Ⅲ at the same thresholds, else 一般', () => {
    expect(age72(279_999)).toBe('一般');
    expect(age72(280_000)).toBe('現役並みⅠ');
    expect(age72(529_999)).toBe('現役並みⅠ');
    expect(age72(530_000)).toBe('現役並みⅡ');
    expect(age72(829_999)).toBe('現役並みⅡ');
    expect(age72(830_000)).toBe('現役並みⅢ');
  });

  it('under 70: an approved low income gives オ, except over ア/イ', () => {
    expect(under70(260_000, 'オ')).toBe('オ');
    expect(under70(500_000, 'オ')).toBe('オ');
    expect(under70(529_999, 'オ')).toBe('オ');
    expect(under70(530_000, 'オ')).toBe('イ');
    expect(under70(200_000, '低所得Ⅰ')).toBe('オ');
    expect(under70(200_000, null)).toBe('エ');
  });

  it('70–74: an approved low income gives 低所得Ⅱ/Ⅰ, except over 現役並み', () => {
    expect(age72(200_000, '低所得Ⅱ')).toBe('低所得Ⅱ');
    expect(age72(279_999, '低所得Ⅰ')).toBe('低所得Ⅰ');
    expect(age72(200_000, 'オ')).toBe('低所得Ⅱ');
    expect(age72(280_000, '低所得Ⅱ')).toBe('現役並みⅠ');
  });

  it('is null with an unknown remuneration, even with a low-income approval', () => {
    expect(under70(null)).toBeNull();
    expect(age72(null, '低所得Ⅱ')).toBeNull();
  });

  it('starts the 70 band on the birthday for a person born on the 1st', () => {
    const on = (asOf: string) =>
      limitCategoryFor({ birthDate: '1956-05-01', asOf, standardMonthlyRemuneration: 200_000 });
    expect(on('2026-04-30')).toBe('エ');
    expect(on('2026-05-01')).toBe('一般');
  });

  it('starts the 70 band on the 1st of the next month for a person born on the 2nd', () => {
    const on = (asOf: string) =>
      limitCategoryFor({ birthDate: '1956-05-02', asOf, standardMonthlyRemuneration: 300_000 });
    expect(on('2026-05-31')).toBe('ウ');
    expect(on('2026-06-01')).toBe('現役並みⅠ');
  });

  it('is null from the 75th birthday', () => {
    const on = (asOf: string) =>
      limitCategoryFor({ birthDate: '1951-06-15', asOf, standardMonthlyRemuneration: 300_000 });
    expect(on('2026-06-14')).toBe('現役並みⅠ');
    expect(on('2026-06-15')).toBeNull();
  });

  it('throws before the first table, before birth, and for a negative remuneration', () => {
    const call = (asOf: string, remuneration = 300_000) =>
      limitCategoryFor({ birthDate: '1980-06-15', asOf, standardMonthlyRemuneration: remuneration });
    expect(() => call('2018-07-31')).toThrow(RangeError);
    expect(call('2018-08-01')).toBe('ウ');
    expect(() => call('1980-06-14')).toThrow(RangeError);
    expect(() => call('2025-12-02', -1)).toThrow(RangeError);
  });
});

describe('monthlyLimit', () => {
  const limit = (
    category: LimitCategory,
    asOf: string,
    medicalCost: number,
    extra: { frequent?: boolean; scope?: 'household' | 'outpatient' } = {},
  ) => monthlyLimit({ category, asOf, medicalCost, ...extra });

  it('ア/イ/ウ: base + 1 % of the cost above the threshold', () => {
    expect(limit('ア', '2025-12-02', 1_000_000)).toBe(252_600 + 1_580);
    expect(limit('イ', '2025-12-02', 1_000_000)).toBe(167_400 + 4_420);
    expect(limit('ウ', '2025-12-02', 1_000_000)).toBe(80_100 + 7_330);
  });

  it('ウ rises on 2026-08-01 (85,800 + 1 %)', () => {
    expect(limit('ウ', '2026-07-31', 1_000_000)).toBe(87_430);
    expect(limit('ウ', '2026-08-01', 1_000_000)).toBe(93_130);
    expect(limit('現役並みⅠ', '2026-07-31', 1_000_000)).toBe(87_430);
    expect(limit('現役並みⅠ', '2026-08-01', 1_000_000)).toBe(93_130);
  });

  it('counts a cost at or below the threshold as no excess', () => {
    expect(limit('ウ', '2025-12-02', 100_000)).toBe(80_100);
    expect(limit('ウ', '2025-12-02', 267_000)).toBe(80_100);
    expect(limit('ア', '2025-12-02', 0)).toBe(252_600);
  });

  it('rounds the 1 % term to the yen, halves up', () => {
    expect(limit('ウ', '2025-12-02', 267_049)).toBe(80_100);
    expect(limit('ウ', '2025-12-02', 267_050)).toBe(80_101);
    expect(limit('ウ', '2025-12-02', 267_150)).toBe(80_102);
    expect(limit('イ', '2025-12-02', 558_249)).toBe(167_402);
  });

  it('エ/オ are flat', () => {
    expect(limit('エ', '2025-12-02', 5_000_000)).toBe(57_600);
    expect(limit('オ', '2025-12-02', 5_000_000)).toBe(35_400);
  });

  it('多数回: the lower fixed amount, unchanged from 2026-08', () => {
    for (const asOf of ['2026-07-31', '2026-08-01']) {
      expect(limit('ア', asOf, 2_000_000, { frequent: true })).toBe(140_100);
      expect(limit('イ', asOf, 2_000_000, { frequent: true })).toBe(93_000);
      expect(limit('ウ', asOf, 2_000_000, { frequent: true })).toBe(44_400);
      expect(limit('エ', asOf, 2_000_000, { frequent: true })).toBe(44_400);
      expect(limit('オ', asOf, 2_000_000, { frequent: true })).toBe(24_600);
      expect(limit('現役並みⅢ', asOf, 2_000_000, { frequent: true })).toBe(140_100);
      expect(limit('一般', asOf, 2_000_000, { frequent: true })).toBe(44_400);
    }
  });

  it('70–74 一般: household 57,600, outpatient 18,000 → 22,000 on 2026-08-01', () => {
    expect(limit('一般', '2026-07-31', 500_000)).toBe(57_600);
    expect(limit('一般', '2026-07-31', 500_000, { scope: 'outpatient' })).toBe(18_000);
    expect(limit('一般', '2026-08-01', 500_000, { scope: 'outpatient' })).toBe(22_000);
  });

  it('70–74 outpatient cap is not lowered by 多数回', () => {
    expect(limit('一般', '2025-12-02', 500_000, { scope: 'outpatient', frequent: true })).toBe(18_000);
  });

  it('70–74 低所得: household 24,600 / 15,000, outpatient 8,000 → 11,000, no 多数回', () => {
    expect(limit('低所得Ⅱ', '2026-07-31', 500_000)).toBe(24_600);
    expect(limit('低所得Ⅰ', '2026-07-31', 500_000)).toBe(15_000);
    expect(limit('低所得Ⅱ', '2026-07-31', 500_000, { frequent: true })).toBe(24_600);
    expect(limit('低所得Ⅱ', '2026-07-31', 500_000, { scope: 'outpatient' })).toBe(8_000);
    expect(limit('低所得Ⅰ', '2026-07-31', 500_000, { scope: 'outpatient' })).toBe(8_000);
    expect(limit('低所得Ⅱ', '2026-08-01', 500_000, { scope: 'outpatient' })).toBe(11_000);
    expect(limit('低所得Ⅰ', '2026-08-01', 500_000, { scope: 'outpatient' })).toBe(11_000);
  });

  it('outpatient scope without a separate cap gives the household limit', () => {
    expect(limit('現役並みⅡ', '2025-12-02', 1_000_000, { scope: 'outpatient' })).toBe(171_820);
    expect(limit('ウ', '2025-12-02', 1_000_000, { scope: 'outpatient' })).toBe(87_430);
  });

  it('throws before 2018-08-01 and for a bad cost', () => {
    expect(() => limit('ウ', '2018-07-31', 1_000_000)).toThrow(RangeError);
    expect(() => limit('ウ', '2025-12-02', -1)).toThrow(RangeError);
    expect(() => limit('ウ', '2025-12-02', Number.NaN)).toThrow(RangeError);
  });
});

describe('specificDiseaseMonthlyLimit', () => {
  it('is 10,000 by default', () => {
    expect(
      specificDiseaseMonthlyLimit({ disease: 'hemophilia', under70: true, standardMonthlyRemuneration: 1_000_000 }),
    ).toBe(10_000);
    expect(specificDiseaseMonthlyLimit({ disease: 'hiv', under70: true, standardMonthlyRemuneration: 1_000_000 })).toBe(
      10_000,
    );
  });

  it('is 20,000 for dialysis under 70 from 530,000', () => {
    expect(
      specificDiseaseMonthlyLimit({ disease: 'dialysis', under70: true, standardMonthlyRemuneration: 529_999 }),
    ).toBe(10_000);
    expect(
      specificDiseaseMonthlyLimit({ disease: 'dialysis', under70: true, standardMonthlyRemuneration: 530_000 }),
    ).toBe(20_000);
    expect(
      specificDiseaseMonthlyLimit({ disease: 'dialysis', under70: false, standardMonthlyRemuneration: 830_000 }),
    ).toBe(10_000);
    expect(specificDiseaseMonthlyLimit({ disease: 'dialysis', under70: true, standardMonthlyRemuneration: null })).toBe(
      10_000,
    );
  });

  it('rejects a negative remuneration', () => {
    expect(() =>
      specificDiseaseMonthlyLimit({ disease: 'dialysis', under70: true, standardMonthlyRemuneration: -5 }),
    ).toThrow(RangeError);
  });

  it('maps diseases to OQSCD013', () => {
    expect(SPECIFIC_DISEASE_OQS_CODES).toEqual({ dialysis: '1', hemophilia: '2', hiv: '3' });
  });
});
