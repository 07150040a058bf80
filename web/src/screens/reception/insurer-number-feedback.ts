import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import { isValidInsurerNumber } from '../../../../src/domain/insurer-number.js';
import { t } from '../../i18n.js';
import { M } from './messages.js';

/** The 保険者番号 check as the clerk types: how many digits are missing, or whether the check digit fits. */
export function insurerNumberFeedback(value: string): { error: string | null; ok: string | null } {
  const digits = normalizeDigitInput(value);
  if (digits === '') return { error: null, ok: null };
  if (!/^\d*$/.test(digits)) return { error: t(M.insurerBad), ok: null };
  if (digits.length < 8) return { error: null, ok: null };
  if (digits.length > 8 || !isValidInsurerNumber(digits)) return { error: t(M.insurerBad), ok: null };
  return { error: null, ok: `✓ ${t(M.insurerOk)}` };
}
