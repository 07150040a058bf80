/**
 * 医療機関コード (10 digits): 都道府県 2 + 点数表 1 + 郡市区 2 + 医療機関番号 4 + 検証番号 1
 * (RULES.md §8; domain-research.md §4.2). Shape only: the check-digit rule is not confirmed by a source.
 */
import { ShikakuError } from './codes.js';
import { isDigits, normalizeDigitInput } from './digits.js';

export type ProviderKind = 'medical' | 'dental' | 'pharmacy';

/** 点数表番号 (3rd digit): 1 医科, 3 歯科, 4 調剤. */
const KIND_BY_TABLE: Readonly<Record<string, ProviderKind>> = { '1': 'medical', '3': 'dental', '4': 'pharmacy' };

const PARTS_MESSAGE = {
  ja: '都道府県番号（01〜47）または点数表番号（1・3・4）が正しくありません',
  en: 'the prefecture (01–47) or fee-schedule digit (1, 3, 4) is wrong',
};

/** True for 10 ASCII digits with prefecture 01–47 and 点数表 1, 3 or 4 (RULES.md §8). */
export function isValidProviderCode(s: string): boolean {
  if (!isDigits(s, 10)) return false;
  const prefecture = Number(s.slice(0, 2));
  return prefecture >= 1 && prefecture <= 47 && Object.hasOwn(KIND_BY_TABLE, s.charAt(2));
}

/**
 * Normalises input (full-width digits, spaces, hyphens) and returns the 10 ASCII digits.
 * Throws PROVIDER_CODE_INVALID when the shape is wrong.
 */
export function assertProviderCode(s: string): string {
  const digits = normalizeDigitInput(s);
  if (!isDigits(digits, 10)) {
    throw new ShikakuError('PROVIDER_CODE_INVALID', { field: 'providerCode', value: String(s) });
  }
  if (!isValidProviderCode(digits)) {
    throw new ShikakuError('PROVIDER_CODE_INVALID', { field: 'providerCode', value: String(s) }, PARTS_MESSAGE);
  }
  return digits;
}

/** 医科 → medical, 歯科 → dental, 調剤 → pharmacy. Throws PROVIDER_CODE_INVALID for a bad code. */
export function providerKind(code: string): ProviderKind {
  return KIND_BY_TABLE[assertProviderCode(code).charAt(2)] as ProviderKind;
}
