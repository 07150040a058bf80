/**
 * 保険者番号 (8 digits for 被用者保険): 法別番号 2 + 都道府県 2 + 保険者別番号 3 + 検証番号 1
 * (RULES.md §8; domain-research.md §4.2). 6-digit 国保 numbers are out of scope.
 */
import { ShikakuError } from './codes.js';
import { isDigits, normalizeDigitInput } from './digits.js';

const SHAPE_MESSAGE = { ja: '保険者番号は8桁の数字で指定してください', en: 'The insurer number must be 8 digits' };

function shapeError(value: string): ShikakuError {
  return new ShikakuError('VALIDATION_FAILED', { field: 'insurerNumber', value }, SHAPE_MESSAGE);
}

/**
 * 検証番号 of the first 7 digits (RULES.md §8): weights 2,1,2,1… from the rightmost digit, the
 * digits of each product added (18 → 9), check = (10 − sum mod 10) mod 10.
 * Throws VALIDATION_FAILED unless `first7` is 7 ASCII digits.
 */
export function insurerNumberCheckDigit(first7: string): number {
  if (!isDigits(first7, 7)) throw shapeError(String(first7));
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const digit = first7.charCodeAt(6 - i) - 48;
    const product = digit * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product; // digit sum of a 2-digit product (max 18)
  }
  return (10 - (sum % 10)) % 10;
}

/** True for exactly 8 ASCII digits with a correct 検証番号 (RULES.md §8). */
export function isValidInsurerNumber(s: string): boolean {
  return isDigits(s, 8) && insurerNumberCheckDigit(s.slice(0, 7)) === s.charCodeAt(7) - 48;
}

/**
 * Normalises input (full-width digits, spaces, hyphens) and returns the 8 ASCII digits. Throws
 * VALIDATION_FAILED for a wrong shape, INSURER_NUMBER_CHECK_DIGIT for a wrong 検証番号.
 */
export function assertInsurerNumber(s: string): string {
  const digits = normalizeDigitInput(s);
  if (!isDigits(digits, 8)) throw shapeError(String(s));
  if (!isValidInsurerNumber(digits)) {
    throw new ShikakuError('INSURER_NUMBER_CHECK_DIGIT', { field: 'insurerNumber', value: digits });
  }
  return digits;
}

/**
 * 法別番号: the first 2 digits ("06" = 健保組合, "01" = 協会けんぽ, "39" = 後期高齢者医療 …).
 * Checks the shape only (8 digits after normalisation), not the 検証番号.
 */
export function lawCategory(insurerNumber: string): string {
  const digits = normalizeDigitInput(insurerNumber);
  if (!isDigits(digits, 8)) throw shapeError(String(insurerNumber));
  return digits.slice(0, 2);
}
