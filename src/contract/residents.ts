import { z } from 'zod';
import { normalizeKana, normalizeKanjiName } from '../domain/names.js';
import { isoDate, myNumber, plainText, sex } from './common.js';

const KATAKANA_NAME = /^[\u30A1-\u30FA\u30FC-\u30FE\u30FB ]+$/u;

/** Kanji name: width and spaces normalised at the edge; variant kanji are kept as typed (RULES.md §8). */
export const kanjiName = plainText('prose')
  .max(100)
  .transform(normalizeKanjiName)
  .pipe(z.string().min(1, 'the name is empty'));

/** フリガナ: full-width katakana, one space between family and given name (RULES.md §8). */
export const kanaName = plainText('prose')
  .max(100)
  .transform(normalizeKana)
  .pipe(z.string().min(1, 'the kana name is empty').regex(KATAKANA_NAME, 'expected katakana (フリガナは全角カタカナ)'));

/** Address text: width and spaces normalised, nothing else rewritten. */
export const addressText = plainText('prose')
  .max(300)
  .transform(normalizeKanjiName)
  .pipe(z.string().min(1, 'the address is empty'));

export const residentSchema = z.strictObject({
  myNumber,
  name: kanjiName,
  nameKana: kanaName,
  birthDate: isoDate,
  sex,
  address: addressText,
});
export type ResidentInput = z.output<typeof residentSchema>;

export const residentAnswerSchema = z.object({
  myNumber: z.string().describe('********1234: the record is keyed by the number, which is never echoed'),
  created: z.boolean(),
});
export type ResidentResult = z.output<typeof residentAnswerSchema>;
