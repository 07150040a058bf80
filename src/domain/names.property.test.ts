/** Properties of name normalisation and comparison (RULES.md §8). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyChar, nastyString } from './arbitraries.test-helper.js';
import { compareNames, kanaSmallToFull, normalizeKana, normalizeKanjiName, VARIANT_KANJI } from './names.js';

const RUNS = { numRuns: 400 };
const name = fc.oneof(nastyString(), fc.string({ unit: anyChar(), maxLength: 20 }));
const kanaName = fc.stringMatching(/^[ァ-ヶ]{1,6}[ 　]{1,2}[ァ-ヶ]{1,6}$/);

describe('names (properties)', () => {
  it('normalisation never throws, is idempotent, and leaves no double, leading or trailing space', () => {
    fc.assert(
      fc.property(name, (s) => {
        for (const normalize of [normalizeKanjiName, normalizeKana]) {
          const n = normalize(s);
          expect(normalize(n)).toBe(n);
          expect(n).toBe(n.trim());
          expect(n).not.toMatch(/\s{2}|[\u3000\u00A0\t\n]/u);
        }
        expect(kanaSmallToFull(kanaSmallToFull(s))).toBe(kanaSmallToFull(s));
      }),
      RUNS,
    );
  });

  it('normalisation keeps variant kanji as typed (髙, 﨑 … are never rewritten)', () => {
    const variants = Object.keys(VARIANT_KANJI);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...variants), { minLength: 1, maxLength: 4 }),
        fc.stringMatching(/^[ 　]?$/),
        (chars, space) => {
          const s = `${chars.join('')}${space}${chars.join('')}`;
          const n = normalizeKanjiName(s);
          for (const c of chars) expect(n).toContain(c);
        },
      ),
      RUNS,
    );
  });

  it('compareNames never throws, is exact on itself, and symmetric in exact/different', () => {
    fc.assert(
      fc.property(name, name, fc.constantFrom('kanji' as const, 'kana' as const), (a, b, kind) => {
        expect(compareNames(a, a, kind)).toEqual({ match: 'exact' });
        const ab = compareNames(a, b, kind);
        const ba = compareNames(b, a, kind);
        expect(ab.match === 'exact').toBe(ba.match === 'exact');
        if (ab.match === 'near') expect(ab.differences.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('a kana name and its half-width, hiragana or respaced forms compare exact', () => {
    const toHiragana = (s: string) => s.replace(/[ァ-ヶ]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
    fc.assert(
      fc.property(kanaName, (k) => {
        const stored = normalizeKana(k);
        expect(compareNames(toHiragana(k), stored, 'kana')).toEqual({ match: 'exact' });
        expect(compareNames(`  ${k.replace(/[ 　]+/u, '　　')} `, stored, 'kana')).toEqual({ match: 'exact' });
        expect(compareNames(k.normalize('NFKD'), stored, 'kana').match).not.toBe('different');
      }),
      RUNS,
    );
  });
});
