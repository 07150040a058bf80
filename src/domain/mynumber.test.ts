import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { assertMyNumber, isValidMyNumber, maskMyNumber, myNumberCheckDigit, myNumberLast4 } from './mynumber.js';

function errorOf(fn: () => unknown): ShikakuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e;
    throw new Error(`expected a ShikakuError, got ${String(e)}`);
  }
  throw new Error('expected a ShikakuError, nothing was thrown');
}

/** The left-to-right formulation of domain-research.md §4.1: weights 6,5,4,3,2,7,6,5,4,3,2; (−Σ) mod 11 mod 10. */
function referenceCheckDigit(first11: string): number {
  const weights = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  const sum = [...first11].reduce((acc, c, i) => acc + Number(c) * (weights[i] as number), 0);
  return ((11 - (sum % 11)) % 11) % 10;
}

describe('myNumberCheckDigit', () => {
  it('computes the worked examples', () => {
    expect(myNumberCheckDigit('12345678901')).toBe(8);
    expect(myNumberCheckDigit('62149832025')).toBe(7);
  });

  it('gives 0 when the remainder is 0 or 1', () => {
    expect(myNumberCheckDigit('00000000000')).toBe(0); // Σ = 0
    expect(myNumberCheckDigit('00000000006')).toBe(0); // Σ = 12, r = 1
    expect(myNumberCheckDigit('00000000001')).toBe(9); // Σ = 2, r = 2
  });

  it('agrees with the left-to-right formulation for any 11 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{11}$/), (first11) => {
        expect(myNumberCheckDigit(first11)).toBe(referenceCheckDigit(first11));
      }),
    );
  });

  it('rejects anything but 11 ASCII digits', () => {
    for (const bad of ['', '1234567890', '123456789012', '1234567890a', '１２３４５６７８９０１', '1234 567890']) {
      expect(errorOf(() => myNumberCheckDigit(bad)).code).toBe('VALIDATION_FAILED');
    }
  });
});

describe('isValidMyNumber', () => {
  it('accepts the known valid numbers', () => {
    expect(isValidMyNumber('123456789018')).toBe(true);
    expect(isValidMyNumber('621498320257')).toBe(true);
  });

  it('accepts exactly one check digit per base', () => {
    for (const base of ['12345678901', '62149832025', '00000000006']) {
      const ok = [...'0123456789'].filter((d) => isValidMyNumber(base + d));
      expect(ok).toEqual([String(myNumberCheckDigit(base))]);
    }
  });

  it('is strict about the stored form', () => {
    for (const bad of [
      '',
      '12345678901',
      '1234567890180',
      '12345678901a',
      'abcdefghijkl',
      '１２３４５６７８９０１８',
      '1234 5678 9018',
      '1234-5678-9018',
      ' 123456789018',
    ]) {
      expect(isValidMyNumber(bad)).toBe(false);
    }
  });

  it('returns false for non-string input instead of throwing', () => {
    expect(isValidMyNumber(123456789018 as unknown as string)).toBe(false);
    expect(isValidMyNumber(undefined as unknown as string)).toBe(false);
  });
});

describe('assertMyNumber', () => {
  it('returns the 12 ASCII digits', () => {
    expect(assertMyNumber('123456789018')).toBe('123456789018');
  });

  it('normalises full-width digits, spaces and hyphens first', () => {
    expect(assertMyNumber('１２３４５６７８９０１８')).toBe('123456789018');
    expect(assertMyNumber('1234 5678 9018')).toBe('123456789018');
    expect(assertMyNumber('1234\u30005678\u30009018')).toBe('123456789018');
    expect(assertMyNumber('6214-9832-0257')).toBe('621498320257');
    expect(assertMyNumber('６２１４－９８３２－０２５７')).toBe('621498320257');
    expect(assertMyNumber(' 6214ー9832ー0257 ')).toBe('621498320257');
  });

  it('throws MYNUMBER_CHECK_DIGIT for a wrong check digit', () => {
    const e = errorOf(() => assertMyNumber('123456789019'));
    expect(e.code).toBe('MYNUMBER_CHECK_DIGIT');
    expect(e.status).toBe(400);
    expect(e.details).toEqual({ field: 'myNumber' });
    expect(errorOf(() => assertMyNumber('１２３４５６７８９０１７')).code).toBe('MYNUMBER_CHECK_DIGIT');
  });

  it('throws VALIDATION_FAILED for a wrong shape', () => {
    for (const bad of [
      '',
      '   ',
      '12345678901',
      '1234567890180',
      '12345678901a',
      'ABCDEFGHIJKL',
      '①23456789018',
      '12345678901８x',
    ]) {
      const e = errorOf(() => assertMyNumber(bad));
      expect(e.code).toBe('VALIDATION_FAILED');
      expect(e.details).toEqual({ field: 'myNumber' });
    }
    expect(errorOf(() => assertMyNumber(123456789018 as unknown as string)).code).toBe('VALIDATION_FAILED');
    expect(errorOf(() => assertMyNumber(null as unknown as string)).code).toBe('VALIDATION_FAILED');
  });

  it('never puts the number into the error', () => {
    const e = errorOf(() => assertMyNumber('123456789019'));
    expect(`${e.message} ${e.ja} ${JSON.stringify(e.details)}`).not.toContain('1234');
  });
});

describe('maskMyNumber / myNumberLast4', () => {
  it('shows only the last 4 digits', () => {
    expect(maskMyNumber('123456789018')).toBe('********9018');
    expect(maskMyNumber('6214-9832-0257')).toBe('********0257');
    expect(myNumberLast4('123456789018')).toBe('9018');
    expect(myNumberLast4('１２３４ ５６７８ ９０１８')).toBe('9018');
  });

  it('masks a wrong check digit too (masking must work on any stored value)', () => {
    expect(maskMyNumber('123456789019')).toBe('********9019');
  });

  it('masks everything when the input is not 12 digits, never throwing', () => {
    for (const bad of ['', '1234', '1234567890180', 'abc', '12345678901x']) {
      expect(maskMyNumber(bad)).toBe('************');
    }
    expect(maskMyNumber(undefined as unknown as string)).toBe('************');
  });

  it('myNumberLast4 rejects a wrong shape', () => {
    expect(errorOf(() => myNumberLast4('9018')).code).toBe('VALIDATION_FAILED');
    expect(errorOf(() => myNumberLast4('')).code).toBe('VALIDATION_FAILED');
  });
});
