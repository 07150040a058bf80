/**
 * Name normalisation and comparison (RULES.md §8; domain-research.md §7).
 *
 * Stored form: width normalised (NFKC: half-width kana → full-width, full-width ASCII → ASCII),
 * and ONE ASCII space between family and given name, for kana and kanji names alike (documents may
 * print it as U+3000). Kana names are full-width katakana. Variant kanji (髙, 﨑, 𠮷 …) are kept as
 * typed: plain NFKC (and even NFC) rewrites the CJK compatibility ideographs (塚 U+FA10 → 塚 U+585A),
 * so those are excluded from it. Comparison reports variants as a near-match for a person to decide.
 */

export type NameKind = 'kanji' | 'kana';

export interface NameDifference {
  /** Position in the normalised given name, in characters (a variation selector counts with its base). */
  readonly index: number;
  /** The character in the given name ('' when the given name lacks a space the record has). */
  readonly given: string;
  /** The character in the recorded name ('' when the record lacks a space the given name has). */
  readonly recorded: string;
}

export type NameMatch =
  | { readonly match: 'exact' }
  | { readonly match: 'near'; readonly differences: NameDifference[] }
  | { readonly match: 'different' };

const COMPAT_IDEOGRAPH = /^[\uF900-\uFAFF\u{2F800}-\u{2FA1F}]$/u;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/gu;
const SPACES = /\s+/gu; // \s covers U+3000 and NBSP
const HIRAGANA = /[\u3041-\u3096\u309D\u309E]/gu;

/** NFKC for everything but CJK compatibility ideographs, which NFKC would replace. */
function widthNormalize(s: string): string {
  let out = '';
  let run = '';
  for (const ch of s) {
    if (COMPAT_IDEOGRAPH.test(ch)) {
      out += run.normalize('NFKC') + ch;
      run = '';
    } else {
      run += ch;
    }
  }
  return out + run.normalize('NFKC');
}

function normalizeCommon(s: string): string {
  if (typeof s !== 'string') return '';
  return widthNormalize(s.replace(ZERO_WIDTH, '')).replace(SPACES, ' ').trim();
}

/**
 * Kanji name as stored (RULES.md §8): width normalised, spaces collapsed to one ASCII space,
 * trimmed. Never changes a kanji, variant or not.
 */
export function normalizeKanjiName(s: string): string {
  return normalizeCommon(s);
}

/**
 * Kana name as stored (RULES.md §8): full-width katakana (half-width kana widened, hiragana
 * converted), one ASCII space between family and given name, trimmed. Small kana stay small.
 */
export function normalizeKana(s: string): string {
  // NFC again after the shift: わ + ゛ has no precomposed hiragana, but ワ + ゛ composes to ヷ.
  return normalizeCommon(s)
    .replace(HIRAGANA, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60))
    .normalize('NFC');
}

const SMALL_KANA: Readonly<Record<string, string>> = Object.fromEntries(
  [
    ['ァィゥェォッャュョヮヵヶ', 'アイウエオツヤユヨワカケ'],
    ['ぁぃぅぇぉっゃゅょゎゕゖ', 'あいうえおつやゆよわかけ'],
    ['ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ', 'クシストヌハヒフヘホムラリルレロ'],
    ['ｧｨｩｪｫｬｭｮｯ', 'ｱｲｳｴｵﾔﾕﾖﾂ'],
  ].flatMap(([small, full]) => [...(small as string)].map((c, i) => [c, (full as string)[i] as string])),
);

/** Small kana → full-size (ショウイチ → シヨウイチ, ヶ → ケ), width and script unchanged. */
export function kanaSmallToFull(s: string): string {
  if (typeof s !== 'string') return '';
  return s.replace(/[ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎゕゖㇰ-ㇿｧ-ｯ]/gu, (c) => SMALL_KANA[c] ?? c);
}

/**
 * Variant kanji → their common form(s). Two characters are a near-match when their sets of
 * common forms meet: 齊 matches 斉 and 斎, but 斉 and 斎 do not match each other.
 * CJK compatibility ideographs with a canonical mapping (塚 U+FA10) are covered in `foldKeys`.
 */
export const VARIANT_KANJI: Readonly<Record<string, readonly string[]>> = {
  髙: ['高'],
  﨑: ['崎'],
  嵜: ['崎'],
  碕: ['崎'],
  邊: ['辺'],
  邉: ['辺'],
  齋: ['斎'],
  齊: ['斉', '斎'],
  濱: ['浜'],
  濵: ['浜'],
  澤: ['沢'],
  櫻: ['桜'],
  廣: ['広'],
  德: ['徳'],
  國: ['国'],
  榮: ['栄'],
  惠: ['恵'],
  瀨: ['瀬'],
  龍: ['竜'],
  藪: ['薮'],
  槇: ['槙'],
  𠮷: ['吉'],
  '\uFA10': ['塚'],
  嶋: ['島'],
  嶌: ['島'],
  冨: ['富'],
  眞: ['真'],
  峯: ['峰'],
  舘: ['館'],
  嶽: ['岳'],
  澁: ['渋'],
  淺: ['浅'],
  實: ['実'],
  黑: ['黒'],
  條: ['条'],
  藏: ['蔵'],
  壽: ['寿'],
  豐: ['豊'],
  萬: ['万'],
  圓: ['円'],
  會: ['会'],
  學: ['学'],
  禮: ['礼'],
  穗: ['穂'],
  團: ['団'],
  與: ['与'],
};

// A character is a code point plus any variation selector or combining sound mark after it.
const CHARACTER = /.(?:[\uFE00-\uFE0F]|\u3099|\u309A|[\u{E0100}-\u{E01EF}])*/gsu;

function characters(s: string): string[] {
  return s.match(CHARACTER) ?? [];
}

/** The forms a character may stand for: itself, its base (without variation selector) and its folds. */
function foldKeys(ch: string): Set<string> {
  const base = String.fromCodePoint(ch.codePointAt(0) as number);
  const keys = new Set([ch, base, kanaSmallToFull(base)]);
  if (COMPAT_IDEOGRAPH.test(base)) keys.add(base.normalize('NFC'));
  for (const form of VARIANT_KANJI[base] ?? []) keys.add(form);
  if (/^[a-z]$/.test(base)) keys.add(base.toUpperCase());
  return keys;
}

function nearSame(a: string, b: string): boolean {
  const keys = foldKeys(a);
  for (const k of foldKeys(b)) if (keys.has(k)) return true;
  return false;
}

/**
 * Compares a given name with the recorded one (RULES.md §8). After normalisation (`kind` 'kana'
 * also turns hiragana into katakana): equal → exact; equal up to variant kanji, variation
 * selectors, small vs full-size kana, ASCII letter case or a missing/extra space → near, listing
 * each differing character; otherwise different. Nothing is rewritten: a person decides.
 */
export function compareNames(given: string, recorded: string, kind: NameKind = 'kanji'): NameMatch {
  const normalize = kind === 'kana' ? normalizeKana : normalizeKanjiName;
  const a = characters(normalize(given));
  const b = characters(normalize(recorded));
  if (a.join('') === b.join('')) return { match: 'exact' };

  const differences: NameDifference[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x !== undefined && y !== undefined && (x === y || nearSame(x, y))) {
      if (x !== y) differences.push({ index: i, given: x, recorded: y });
      i++;
      j++;
    } else if (x === ' ') {
      differences.push({ index: i, given: ' ', recorded: '' });
      i++;
    } else if (y === ' ') {
      differences.push({ index: i, given: '', recorded: ' ' });
      j++;
    } else {
      return { match: 'different' };
    }
  }
  return { match: 'near', differences };
}
