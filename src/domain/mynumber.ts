/**
 * 個人番号 (My Number): 12 digits, the last a check digit (RULES.md §8, 総務省令第85号 §5).
 * The number itself is never put into error details or logs: only its last 4 digits may be shown.
 */
import { ShikakuError } from './codes.js';
import { isDigits, normalizeDigitInput } from './digits.js';

const SHAPE_MESSAGE = { ja: '個人番号は12桁の数字で指定してください', en: 'My Number must be 12 digits' };

/**
 * Check digit for the first 11 digits (RULES.md §8): P(n) is the n-th digit from the right,
 * Q(n) = n+1 (n ≤ 6) or n−5 (n ≥ 7); r = Σ P·Q mod 11; check = 0 if r ≤ 1, else 11 − r.
 * Throws VALIDATION_FAILED unless `first11` is 11 ASCII digits.
 */
export function myNumberCheckDigit(first11: string): number {
  if (!isDigits(first11, 11)) {
    throw new ShikakuError('VALIDATION_FAILED', { field: 'myNumber' }, SHAPE_MESSAGE);
  }
  let sum = 0;
  for (let n = 1; n <= 11; n++) {
    const p = first11.charCodeAt(11 - n) - 48;
    sum += p * (n <= 6 ? n + 1 : n - 5);
  }
  const r = sum % 11;
  return r <= 1 ? 0 : 11 - r;
}

/**
 * True for a My Number in its stored form: exactly 12 ASCII digits with a correct check digit
 * (RULES.md §8). User input with spaces or full-width digits goes through `assertMyNumber`.
 */
export function isValidMyNumber(s: string): boolean {
  return isDigits(s, 12) && myNumberCheckDigit(s.slice(0, 11)) === s.charCodeAt(11) - 48;
}

/** Full-width digits → ASCII, spaces and hyphens removed. No validation. */
export function normalizeMyNumber(s: string): string {
  return normalizeDigitInput(s);
}

/**
 * Normalises user input and returns the 12 ASCII digits (RULES.md §8). Throws
 * VALIDATION_FAILED for anything but 12 digits, MYNUMBER_CHECK_DIGIT for a wrong check digit.
 */
export function assertMyNumber(s: string): string {
  const digits = normalizeDigitInput(s);
  if (!isDigits(digits, 12)) {
    throw new ShikakuError('VALIDATION_FAILED', { field: 'myNumber' }, SHAPE_MESSAGE);
  }
  if (!isValidMyNumber(digits)) throw new ShikakuError('MYNUMBER_CHECK_DIGIT', { field: 'myNumber' });
  return digits;
}

/**
 * `********1234` for display and logs. Never throws and never reveals more than the last 4 digits:
 * input that is not 12 digits (after normalisation) is masked entirely. The check digit is not
 * verified: masking must work on any stored value.
 */
export function maskMyNumber(s: string): string {
  const digits = normalizeDigitInput(s);
  return isDigits(digits, 12) ? `********${digits.slice(8)}` : '************';
}

/** Last 4 digits (for search and display). Throws VALIDATION_FAILED unless the input has 12 digits. */
export function myNumberLast4(s: string): string {
  const digits = normalizeDigitInput(s);
  if (!isDigits(digits, 12)) {
    throw new ShikakuError('VALIDATION_FAILED', { field: 'myNumber' }, SHAPE_MESSAGE);
  }
  return digits.slice(8);
}
