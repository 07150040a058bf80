/**
 * fast-check arbitraries shared by the property tests (`*.property.test.ts`): dates as the domain
 * writes them, and strings that like to break parsers.
 */
import fc from 'fast-check';
import { addDays, type IsoDate } from './dates.js';

const EPOCH = '1900-01-01';

/** A real `YYYY-MM-DD` date from `from` to `to` (inclusive), leap days and month ends included. */
export function isoDate(from: IsoDate = '1900-01-01', to: IsoDate = '2100-12-31'): fc.Arbitrary<IsoDate> {
  const day = (d: IsoDate) =>
    Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${EPOCH}T00:00:00Z`)) / 86_400_000);
  return fc.integer({ min: day(from), max: day(to) }).map((n) => addDays(EPOCH, n));
}

/** Dates that matter to the rules, mixed into generated ones (boundaries are where bugs live). */
export const BOUNDARY_DATES: readonly IsoDate[] = [
  '2024-02-29',
  '2024-12-01',
  '2024-12-02',
  '2025-12-01',
  '2025-12-02',
  '2026-03-31',
  '2026-04-01',
  '2000-02-29',
  '1999-12-31',
  '2025-12-31',
  '2026-01-01',
];

/** Like `isoDate`, with the boundary dates in range mixed in. */
export function isoDateNear(from: IsoDate = '1900-01-01', to: IsoDate = '2100-12-31'): fc.Arbitrary<IsoDate> {
  const boundaries = BOUNDARY_DATES.filter((d) => d >= from && d <= to);
  if (boundaries.length === 0) return isoDate(from, to);
  return fc.oneof(
    { weight: 4, arbitrary: isoDate(from, to) },
    { weight: 1, arbitrary: fc.constantFrom(...boundaries) },
  );
}

const codePoint = (min: number, max: number) => fc.integer({ min, max }).map((cp) => String.fromCodePoint(cp));

/**
 * One character: mostly ASCII and Japanese (kana, CJK, full-width forms, ideographic space), some
 * of anything (lone surrogates included). Built from code points: fast-check's own unicode units
 * cost seconds to set up on first use.
 */
export function anyChar(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
    { weight: 1, arbitrary: codePoint(0, 0x1f) },
    { weight: 3, arbitrary: codePoint(0x3000, 0x30ff) },
    { weight: 2, arbitrary: codePoint(0xff00, 0xffef) },
    { weight: 2, arbitrary: codePoint(0x4e00, 0x9fff) },
    { weight: 1, arbitrary: codePoint(0xf900, 0xfaff) },
    { weight: 1, arbitrary: codePoint(0, 0x10ffff) },
  );
}

/** Object keys that trip `record[key]` lookups on plain objects. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

/**
 * Strings a parser meets in the wild: any unicode, full-width digits and kana, separators, the
 * prototype keys, and near-dates.
 */
export function nastyString(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: anyChar(), maxLength: 40 }),
    fc.stringMatching(/^[0-9０-９ \-ー－]{0,16}$/),
    fc.stringMatching(/^[ァ-ヶぁ-ゖｦ-ﾟ　 ]{0,12}$/),
    fc.constantFrom(
      ...PROTOTYPE_KEYS,
      '',
      ' ',
      '\u3000',
      '\uFEFF',
      '2025-02-29',
      '2025/1/5',
      '0000-00-00',
      '9999-99-99',
    ),
  );
}
