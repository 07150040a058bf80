/** Properties of the number validators: My Number, 保険者番号, 医療機関コード (RULES.md §8). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nastyString } from './arbitraries.test-helper.js';
import { ShikakuError } from './codes.js';
import { normalizeDigitInput } from './digits.js';
import { assertInsurerNumber, insurerNumberCheckDigit, isValidInsurerNumber, lawCategory } from './insurer-number.js';
import { assertMyNumber, isValidMyNumber, maskMyNumber, myNumberCheckDigit, myNumberLast4 } from './mynumber.js';
import { assertProviderCode, isValidProviderCode, providerKind } from './provider-code.js';

const RUNS = { numRuns: 500 };
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const FULL_WIDTH = '０１２３４５６７８９';

/** Writes digits as people type them: some full-width, with spaces or dashes between groups. */
const typed = (s: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
      fc.constantFrom('', ' ', '-', '　', 'ー'),
    )
    .map(([wide, sep]) =>
      [...s].map((c, i) => (wide[i] ? (FULL_WIDTH[Number(c)] as string) : c) + (i % 4 === 3 ? sep : '')).join(''),
    );

/** Runs `f`; any exception must be a ShikakuError. Returns the result or the error. */
function coded<T>(f: () => T): T | ShikakuError {
  try {
    return f();
  } catch (error) {
    expect(error).toBeInstanceOf(ShikakuError);
    return error as ShikakuError;
  }
}

describe('number validators (properties)', () => {
  it('assert* throw only coded errors, and what they return is valid and normalised', () => {
    fc.assert(
      fc.property(nastyString(), (s) => {
        const my = coded(() => assertMyNumber(s));
        if (typeof my === 'string') expect(isValidMyNumber(my)).toBe(true);
        else expect(['VALIDATION_FAILED', 'MYNUMBER_CHECK_DIGIT']).toContain(my.code);
        const ins = coded(() => assertInsurerNumber(s));
        if (typeof ins === 'string') expect(isValidInsurerNumber(ins)).toBe(true);
        else expect(['VALIDATION_FAILED', 'INSURER_NUMBER_CHECK_DIGIT']).toContain(ins.code);
        const prov = coded(() => assertProviderCode(s));
        if (typeof prov === 'string') expect(isValidProviderCode(prov)).toBe(true);
        else expect(prov.code).toBe('PROVIDER_CODE_INVALID');
        coded(() => lawCategory(s));
        coded(() => providerKind(s));
        coded(() => myNumberLast4(s));
        // Masking never throws and never shows more than the last 4 digits.
        const masked = maskMyNumber(s);
        expect(masked).toMatch(/^\*{8}(\d{4}|\*{4})$/);
      }),
      RUNS,
    );
  });

  it('the check digit completes any 11 (My Number) or 7 (保険者番号) digits, and every other last digit fails', () => {
    fc.assert(
      fc.property(digits(11), digits(7), fc.integer({ min: 1, max: 9 }), (first11, first7, delta) => {
        const my = `${first11}${myNumberCheckDigit(first11)}`;
        expect(assertMyNumber(my)).toBe(my);
        const wrongMy = `${first11}${(myNumberCheckDigit(first11) + delta) % 10}`;
        // Two check digits (0 for r ≤ 1) can never both be right: exactly one last digit is.
        expect(isValidMyNumber(wrongMy)).toBe(false);
        expect(() => assertMyNumber(wrongMy)).toThrow(ShikakuError);
        const ins = `${first7}${insurerNumberCheckDigit(first7)}`;
        expect(assertInsurerNumber(ins)).toBe(ins);
        expect(isValidInsurerNumber(`${first7}${(insurerNumberCheckDigit(first7) + delta) % 10}`)).toBe(false);
      }),
      RUNS,
    );
  });

  it('numbers typed with full-width digits, spaces or dashes normalise to the same number', () => {
    fc.assert(
      fc.property(
        digits(11).chain((first11) => {
          const my = `${first11}${myNumberCheckDigit(first11)}`;
          return fc.tuple(fc.constant(my), typed(my));
        }),
        ([my, input]) => {
          expect(normalizeDigitInput(input)).toBe(my);
          expect(assertMyNumber(input)).toBe(my);
          expect(maskMyNumber(input)).toBe(`********${my.slice(8)}`);
        },
      ),
      RUNS,
    );
  });
});
