import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { assertInsurerNumber, insurerNumberCheckDigit, isValidInsurerNumber, lawCategory } from './insurer-number.js';

function errorOf(fn: () => unknown): ShikakuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e;
    throw new Error(`expected a ShikakuError, got ${String(e)}`);
  }
  throw new Error('expected a ShikakuError, nothing was thrown');
}

/** Written from the rule's text: products' digits added as strings. */
function referenceCheckDigit(first7: string): number {
  let sum = 0;
  [...first7].reverse().forEach((c, i) => {
    for (const d of String(Number(c) * (i % 2 === 0 ? 2 : 1))) sum += Number(d);
  });
  return sum % 10 === 0 ? 0 : 10 - (sum % 10);
}

describe('insurerNumberCheckDigit', () => {
  it('computes the known examples', () => {
    expect(insurerNumberCheckDigit('0113001')).toBe(2);
    expect(insurerNumberCheckDigit('0613999')).toBe(2);
    expect(insurerNumberCheckDigit('3312001')).toBe(5);
  });

  it('adds the digits of 2-digit products (9·2 = 18 → 9, 5·2 = 10 → 1)', () => {
    // 0613995: 0+6+2+3+9+9+1 = 30 → 0. Adding the products themselves would give 46 → 4.
    expect(insurerNumberCheckDigit('0613995')).toBe(0);
  });

  it('agrees with a literal reading of the rule for any 7 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{7}$/), (first7) => {
        expect(insurerNumberCheckDigit(first7)).toBe(referenceCheckDigit(first7));
      }),
    );
  });

  it('rejects anything but 7 ASCII digits', () => {
    for (const bad of ['', '011300', '01130012', '011300a', '０１１３００１']) {
      expect(errorOf(() => insurerNumberCheckDigit(bad)).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('isValidInsurerNumber', () => {
  it('accepts the known valid numbers', () => {
    for (const ok of ['01130012', '06139992', '06139950', '33120015']) expect(isValidInsurerNumber(ok)).toBe(true);
  });

  it('accepts exactly one check digit per base', () => {
    for (const base of ['0113001', '0613999', '0613995', '3312001']) {
      expect([...'0123456789'].filter((d) => isValidInsurerNumber(base + d))).toEqual([
        String(insurerNumberCheckDigit(base)),
      ]);
    }
  });

  it('is strict about the stored form', () => {
    for (const bad of ['', '0113001', '011300120', '0113001a', '０１１３００１２', '0113-0012', '113001']) {
      expect(isValidInsurerNumber(bad)).toBe(false);
    }
    expect(isValidInsurerNumber(1130012 as unknown as string)).toBe(false);
  });
});

describe('assertInsurerNumber', () => {
  it('normalises and returns 8 ASCII digits', () => {
    expect(assertInsurerNumber('06139992')).toBe('06139992');
    expect(assertInsurerNumber('０６１３９９９２')).toBe('06139992');
    expect(assertInsurerNumber(' 06-13-999-2 ')).toBe('06139992');
  });

  it('throws INSURER_NUMBER_CHECK_DIGIT for a wrong check digit', () => {
    const e = errorOf(() => assertInsurerNumber('06139993'));
    expect(e.code).toBe('INSURER_NUMBER_CHECK_DIGIT');
    expect(e.details).toEqual({ field: 'insurerNumber', value: '06139993' });
  });

  it('throws VALIDATION_FAILED for a wrong shape', () => {
    for (const bad of ['', '0613999', '061399920', '0613999X', 'abcdefgh', '123456']) {
      expect(errorOf(() => assertInsurerNumber(bad)).code).toBe('VALIDATION_FAILED');
    }
    expect(errorOf(() => assertInsurerNumber(undefined as unknown as string)).code).toBe('VALIDATION_FAILED');
  });
});

describe('lawCategory', () => {
  it('returns the 法別番号', () => {
    expect(lawCategory('06139992')).toBe('06');
    expect(lawCategory('01130012')).toBe('01');
    expect(lawCategory('３３１２００１５')).toBe('33');
  });

  it('checks the shape only', () => {
    expect(lawCategory('06139993')).toBe('06');
    expect(errorOf(() => lawCategory('061')).code).toBe('VALIDATION_FAILED');
    expect(errorOf(() => lawCategory('')).code).toBe('VALIDATION_FAILED');
  });
});
