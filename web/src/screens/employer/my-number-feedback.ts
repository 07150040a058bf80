import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import { isValidMyNumber } from '../../../../src/domain/mynumber.js';
import { t } from '../../i18n.js';
import { M } from './messages.js';

/** The 個人番号 check as typed: wrong check digit or too long, or well-formed. */
export function myNumberFeedback(value: string): { error: string | null; ok: string | null } {
  const myNumber = normalizeDigitInput(value);
  const valid = myNumber.length === 12 && isValidMyNumber(myNumber);
  const bad = (myNumber.length === 12 && !valid) || myNumber.length > 12;
  return { error: bad ? t(M.myNumberBad) : null, ok: valid ? `✓ ${t(M.myNumberOk)}` : null };
}
