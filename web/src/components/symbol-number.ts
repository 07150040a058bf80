import { COMMON, t } from '../i18n.js';

/** A member's 記号・番号・枝番 as printed on their proof. */
export function symbolNumberText(m: { symbol: string; number: string; branch: string }): string {
  return `${m.symbol}・${m.number}・${m.branch}`;
}

/** The column heading of 記号・番号・枝番. */
export function symbolNumberHeading(): string {
  return `${t(COMMON.symbol)}・${t(COMMON.number)}・${t(COMMON.branch)}`;
}
