/**
 * Full-width katakana → half-width (半角カナ), as OQS sends `NameKana` (research §1.3, [mc-roqc]).
 * Voiced and semi-voiced letters split into the base letter and ﾞ/ﾟ. Pure.
 */
const BASE =
  'ァアィイゥウェエォオカキクケコサシスセソタチッツテトナニヌネノハヒフヘホマミムメモャヤュユョヨラリルレロワヲンー・「」、。';
const HALF = 'ｧｱｨｲｩｳｪｴｫｵｶｷｸｹｺｻｼｽｾｿﾀﾁｯﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓｬﾔｭﾕｮﾖﾗﾘﾙﾚﾛﾜｦﾝｰ･｢｣､｡';
const VOICED = 'ガギグゲゴザジズゼゾダヂヅデドバビブベボ';
const VOICED_BASE = 'カキクケコサシスセソタチツテトハヒフヘホ';
const SEMI = 'パピプペポ';
const SEMI_BASE = 'ハヒフヘホ';

const TABLE = new Map<string, string>();
for (let i = 0; i < BASE.length; i++) TABLE.set(BASE[i] as string, HALF[i] as string);
for (let i = 0; i < VOICED.length; i++) TABLE.set(VOICED[i] as string, `${TABLE.get(VOICED_BASE[i] as string)}ﾞ`);
for (let i = 0; i < SEMI.length; i++) TABLE.set(SEMI[i] as string, `${TABLE.get(SEMI_BASE[i] as string)}ﾟ`);
TABLE.set('ヴ', 'ｳﾞ');
TABLE.set('ヮ', 'ﾜ');
TABLE.set('ヰ', 'ｲ');
TABLE.set('ヱ', 'ｴ');
TABLE.set('ヵ', 'ｶ');
TABLE.set('ヶ', 'ｹ');
TABLE.set('　', ' ');

/** Katakana (hiragana too, via katakana) in half-width; anything else is left as it is. */
export function toHalfWidthKana(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    // Hiragana ぁ–ゖ → katakana ァ–ヶ first.
    const kata = code >= 0x3041 && code <= 0x3096 ? String.fromCodePoint(code + 0x60) : ch;
    out += TABLE.get(kata) ?? kata;
  }
  return out;
}
