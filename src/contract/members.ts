import { z } from 'zod';
import { isoDate, memberNumber, pageQuery, symbol } from './common.js';

export const memberSearchSchema = z.strictObject({
  /** フリガナ prefix (normalised: half-width and hiragana accepted). */
  kana: z.string().min(1).max(100).optional(),
  symbol: symbol.optional(),
  number: memberNumber.optional(),
  birthDate: isoDate.optional(),
  ...pageQuery,
});
export type MemberSearch = z.output<typeof memberSearchSchema>;

export const legacyCardSchema = z.strictObject({ issuedOn: isoDate });
export type LegacyCardInput = z.output<typeof legacyCardSchema>;
