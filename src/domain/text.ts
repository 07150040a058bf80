/**
 * Text as every path takes it (issue #19 §2, §4): identifiers normalised one way, characters that
 * make two look-alike values (or hide text) refused, and My Number-shaped digit runs masked where an
 * error or a log could echo them.
 */

/**
 * Control characters (C0, DEL, C1: NUL, ESC …), zero-width characters and bidi controls. Variation
 * selectors stay allowed: they choose a kanji's variant form (RULES.md §8).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;
const FORBIDDEN_IN_PROSE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: as above, less the line breaks and tabs.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;

/**
 * The first forbidden character of `s` as `U+200B`, or null when there is none. In `prose` (names,
 * addresses) a tab or a line break is allowed: the name normaliser folds it into one space, as a
 * spreadsheet's address cell spanning two lines needs; an identifier allows none.
 */
export function forbiddenCharacter(s: string, kind: 'identifier' | 'prose' = 'identifier'): string | null {
  const m = (kind === 'prose' ? FORBIDDEN_IN_PROSE : FORBIDDEN).exec(s);
  return m ? `U+${(m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : null;
}

/**
 * An identifier (記号, 番号, 枝番, 保険者番号 …) as stored and compared: NFKC (full-width digits and
 * letters → ASCII) and trimmed, so 「１２３４」, " 1234" and "1234" are one value.
 */
export function normalizeIdentifier(s: string): string {
  return s.normalize('NFKC').trim();
}

const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEPARATOR = '[\\s\\-\\u2010-\\u2015\\u2212\\uFF0D\\u30FC\\uFF70.]';
/** A run of 12 or more digits, single separators allowed between them (1234-5678-9018, full width). */
const MY_NUMBER_SHAPED = new RegExp(
  `(?<![0-9\\uFF10-\\uFF19])${DIGIT}(?:${SEPARATOR}?${DIGIT}){11,}(?![0-9\\uFF10-\\uFF19])`,
  'gu',
);

const UUID_OR_MY_NUMBER = new RegExp(
  `(\\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\\b)|${MY_NUMBER_SHAPED.source}`,
  'gu',
);

/**
 * `s` with every My Number-shaped run replaced by `********1234` (its last 4 digits): what an error
 * line, a report or a log may show of a number typed where it does not belong.
 */
export function maskMyNumbers(s: string): string {
  // A UUID (an application or certificate id in an answer) is left whole: its digit groups can line
  // up into twelve digits with the dashes between them, and a masked id is useless to the client.
  return s.replace(UUID_OR_MY_NUMBER, (run, uuid: string | undefined) => {
    if (uuid) return run;
    const digits = run.normalize('NFKC').replace(/\D/g, '');
    return `********${digits.slice(-4)}`;
  });
}

/** `value` with `maskMyNumbers` applied to every string inside it (an error, a problem, a report row). */
export function maskMyNumbersDeep<T>(value: T): T {
  if (typeof value === 'string') return maskMyNumbers(value) as T;
  if (Array.isArray(value)) return value.map(maskMyNumbersDeep) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskMyNumbersDeep(v)])) as T;
  }
  return value;
}
