/**
 * Input clean-up shared by the number validators (My Number, 保険者番号, 医療機関コード).
 * People paste numbers with full-width digits, spaces or dashes; the stored form is ASCII digits only.
 */

// Whitespace (incl. U+3000) and dash look-alikes typed between digit groups, incl. ー/ｰ which
// Japanese IMEs produce for "-".
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\uFF0D\u30FC\uFF70]/gu;
const FULL_WIDTH_DIGIT = /[\uFF10-\uFF19]/gu;

/**
 * Full-width digits → ASCII, separators removed; nothing else changes (deliberately not NFKC, which
 * would turn ① or ² into digits). Non-string input yields '' so callers report a validation error.
 */
export function normalizeDigitInput(s: string): string {
  if (typeof s !== 'string') return '';
  return s
    .replace(FULL_WIDTH_DIGIT, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30))
    .replace(SEPARATORS, '');
}

/** True when `s` is exactly `length` ASCII digits. */
export function isDigits(s: string, length: number): boolean {
  return typeof s === 'string' && s.length === length && /^[0-9]+$/.test(s);
}
