import { describe, expect, it } from 'vitest';
import { burdenRatio, elderlyFrom } from './burden.js';
import { elderlyIncomeFactsOf, standardIncomeEffectiveFrom, standardIncomeQualifies } from './elderly-income.js';
import { limitCategoryFor } from './limits.js';

// A 70–74 dependent (born on the 1st: 70–74 from the birthday month) and an insured born on the 2nd.
const DEPENDENT = '1955-05-01'; // 高齢受給者 from 2025-05-01, 75 on 2030-05-01
const INSURED_UNDER_70 = '1957-05-02'; // 高齢受給者 from 2027-06-01

describe('a 70–74 dependent of an insured under 70 (健保法 §110②一ハ・ニ)', () => {
  const dependentOn = (asOf: string, insuredRemuneration: number | null = 600_000) =>
    burdenRatio({ birthDate: DEPENDENT, asOf, insuredRemuneration, insuredBirthDate: INSURED_UNDER_70 });

  it('pays 2割 whatever the insured earns while the insured is under 70', () => {
    expect(elderlyFrom(INSURED_UNDER_70)).toBe('2027-06-01');
    expect(dependentOn('2025-05-01')).toEqual({ ratio: 20, band: 'elderly', elderlySince: '2025-05-01' });
    expect(dependentOn('2027-05-31').ratio).toBe(20);
  });

  it('pays 3割 from the day the 現役並み insured enters the 70–74 band (born on the 2nd: the next month)', () => {
    expect(dependentOn('2027-06-01')).toEqual({ ratio: 30, band: 'elderly_high_income', elderlySince: '2025-05-01' });
  });

  it('stays 2割 when the 70–74 insured earns below 280,000', () => {
    expect(dependentOn('2027-06-01', 270_000).ratio).toBe(20);
  });

  it('without the insured birth date keeps the remuneration-only rule (callers not yet passing it)', () => {
    expect(burdenRatio({ birthDate: DEPENDENT, asOf: '2025-05-01', insuredRemuneration: 600_000 }).ratio).toBe(30);
  });

  it('gets the limit category 一般, then 現役並みⅡ once the insured is 70–74', () => {
    const at = (asOf: string) =>
      limitCategoryFor({
        birthDate: DEPENDENT,
        asOf,
        standardMonthlyRemuneration: 600_000,
        insuredBirthDate: INSURED_UNDER_70,
      });
    expect(at('2025-05-01')).toBe('一般');
    expect(at('2027-05-31')).toBe('一般');
    expect(at('2027-06-01')).toBe('現役並みⅡ');
  });

  it('an insured born on the 1st starts the family in the birthday month', () => {
    const insured = '1957-05-01';
    expect(
      burdenRatio({ birthDate: DEPENDENT, asOf: '2027-04-30', insuredRemuneration: 600_000, insuredBirthDate: insured })
        .ratio,
    ).toBe(20);
    expect(
      burdenRatio({ birthDate: DEPENDENT, asOf: '2027-05-01', insuredRemuneration: 600_000, insuredBirthDate: insured })
        .ratio,
    ).toBe(30);
  });
});

describe('基準収入額適用 (年収 under 383万 / 520万)', () => {
  const insured = '1955-05-02'; // 70–74 from 2025-06-01
  const at = (asOf: string, approvedOn: string | null) =>
    burdenRatio({ birthDate: insured, asOf, insuredRemuneration: 300_000, standardIncomeApprovedOn: approvedOn });

  it('takes effect from the 1st of the month after the approval', () => {
    expect(standardIncomeEffectiveFrom('2026-01-31')).toBe('2026-02-01');
    expect(standardIncomeEffectiveFrom('2026-02-01')).toBe('2026-03-01');
  });

  it('turns 現役並み into 2割 from that day, not in the month of approval', () => {
    expect(at('2026-02-28', '2026-02-02').ratio).toBe(30);
    expect(at('2026-03-01', '2026-02-02').ratio).toBe(20);
    expect(at('2026-03-01', null).ratio).toBe(30);
  });

  it('turns the limit category 現役並みⅠ into 一般 the same day', () => {
    const category = (asOf: string) =>
      limitCategoryFor({
        birthDate: insured,
        asOf,
        standardMonthlyRemuneration: 300_000,
        standardIncomeApprovedOn: '2026-02-02',
      });
    expect(category('2026-02-28')).toBe('現役並みⅠ');
    expect(category('2026-03-01')).toBe('一般');
  });

  it('does not touch a member under 70', () => {
    expect(
      limitCategoryFor({
        birthDate: '1990-01-01',
        asOf: '2026-03-01',
        standardMonthlyRemuneration: 300_000,
        standardIncomeApprovedOn: '2026-01-05',
      }),
    ).toBe('ウ');
  });
});

describe('elderlyIncomeFactsOf', () => {
  it("passes the insured's remuneration, birth date and approval; an unknown insured counts as below 280,000", () => {
    expect(
      elderlyIncomeFactsOf({
        birthDate: '1957-12-02',
        standardMonthlyRemuneration: 300_000,
        standardIncomeApprovedOn: undefined,
      }),
    ).toEqual({ insuredRemuneration: 300_000, insuredBirthDate: '1957-12-02', standardIncomeApprovedOn: null });
    expect(elderlyIncomeFactsOf(null)).toEqual({ insuredRemuneration: null });
    // A 70–74 dependent of an insured under 70 is 2割 with these facts, 3割 without the insured's age.
    const facts = elderlyIncomeFactsOf({ birthDate: '1957-12-02', standardMonthlyRemuneration: 300_000 });
    expect(burdenRatio({ birthDate: '1955-06-15', asOf: '2025-12-02', ...facts }).ratio).toBe(20);
    expect(burdenRatio({ birthDate: '1955-06-15', asOf: '2025-12-02', insuredRemuneration: 300_000 }).ratio).toBe(30);
  });
});

describe('the 基準収入額 (standardIncomeQualifies)', () => {
  it('is 年収 under 383万円 alone', () => {
    expect(standardIncomeQualifies({ annualIncome: 3_829_999 })).toBe(true);
    expect(standardIncomeQualifies({ annualIncome: 3_830_000 })).toBe(false);
    expect(standardIncomeQualifies({ annualIncome: 3_830_000, otherElderlyIncomes: [] })).toBe(false);
  });

  it('or the sum under 520万円 with other 70–74 household members', () => {
    expect(standardIncomeQualifies({ annualIncome: 4_000_000, otherElderlyIncomes: [1_199_999] })).toBe(true);
    expect(standardIncomeQualifies({ annualIncome: 4_000_000, otherElderlyIncomes: [1_200_000] })).toBe(false);
    expect(standardIncomeQualifies({ annualIncome: 3_000_000, otherElderlyIncomes: [3_000_000] })).toBe(true);
  });
});
