import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareNames, kanaSmallToFull, normalizeKana, normalizeKanjiName, VARIANT_KANJI } from './names.js';

const codePoints = (s: string): string[] => [...s].map((c) => (c.codePointAt(0) as number).toString(16));

describe('normalizeKana', () => {
  it('composes a voiced mark the hiragana shift makes composable (わﾞ → ヷ), so a second pass changes nothing', () => {
    expect(normalizeKana('わﾞ')).toBe('\u30F7');
    expect(normalizeKana(normalizeKana('わﾞ'))).toBe(normalizeKana('わﾞ'));
  });
  it('widens half-width kana and collapses spaces to one ASCII space', () => {
    expect(normalizeKana('ﾀｶﾊｼ　ｻｷｺ')).toBe('タカハシ サキコ');
    expect(normalizeKana('ﾊﾟｰｸ ｶﾞｯﾂ')).toBe('パーク ガッツ');
    expect(normalizeKana('  ヤマダ \u3000\u3000 タロウ  ')).toBe('ヤマダ タロウ');
    expect(normalizeKana('ヤマダ\tタロウ')).toBe('ヤマダ タロウ');
  });

  it('turns hiragana into katakana, voiced and small kana included', () => {
    expect(normalizeKana('たかはし さきこ')).toBe('タカハシ サキコ');
    expect(normalizeKana('ゔぃぉら じょう')).toBe('ヴィォラ ジョウ');
    expect(normalizeKana('いすゞ')).toBe('イスヾ');
  });

  it('keeps small kana small (only the comparison folds them)', () => {
    expect(normalizeKana('ｼｮｳｲﾁ')).toBe('ショウイチ');
  });

  it('narrows full-width ASCII and drops zero-width characters', () => {
    expect(normalizeKana('ＳＭＩＴＨ　ＪＯＨＮ')).toBe('SMITH JOHN');
    expect(normalizeKana('ヤマ\u200Bダ')).toBe('ヤマダ');
  });

  it('is total and idempotent', () => {
    expect(normalizeKana('')).toBe('');
    expect(normalizeKana('   ')).toBe('');
    expect(normalizeKana(undefined as unknown as string)).toBe('');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(normalizeKana(normalizeKana(s))).toBe(normalizeKana(s));
      }),
    );
  });
});

describe('normalizeKanjiName', () => {
  it('keeps variant kanji exactly as typed', () => {
    expect(codePoints(normalizeKanjiName('髙橋\u3000﨑子'))).toEqual(['9ad9', '6a4b', '20', 'fa11', '5b50']);
    expect(normalizeKanjiName('𠮷野 太郎')).toBe('𠮷野 太郎');
    expect(normalizeKanjiName('德永 瀨奈')).toBe('德永 瀨奈');
  });

  it('keeps the CJK compatibility ideographs that NFKC (even NFC) would replace', () => {
    expect('\uFA10'.normalize('NFKC')).toBe('\u585A'); // why plain NFKC is not used
    expect(normalizeKanjiName('大\uFA10 一郎')).toBe('大\uFA10 一郎');
    expect(normalizeKanjiName('ﾔﾏﾀﾞ\uFA10ｺ')).toBe('ヤマダ\uFA10コ'); // width still normalised around it
  });

  it('never changes any CJK compatibility ideograph', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0xf900, max: 0xfad9 }), (cp) => {
        const ch = String.fromCodePoint(cp);
        expect(normalizeKanjiName(`山${ch}`)).toBe(`山${ch}`);
      }),
    );
  });

  it('keeps ideographic variation selectors', () => {
    expect(normalizeKanjiName('葛\u{E0100}城')).toBe('葛\u{E0100}城');
  });

  it('normalises width and spaces but not the script', () => {
    expect(normalizeKanjiName(' 山田\u3000\u3000太郎 ')).toBe('山田 太郎');
    expect(normalizeKanjiName('佐藤 さくら')).toBe('佐藤 さくら');
    expect(normalizeKanjiName('ｽﾐｽ ｼﾞｮﾝ')).toBe('スミス ジョン');
    expect(normalizeKanjiName('ＪＯＨＮ　ＳＭＩＴＨ')).toBe('JOHN SMITH');
  });

  it('is total', () => {
    expect(normalizeKanjiName('')).toBe('');
    expect(normalizeKanjiName(null as unknown as string)).toBe('');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(typeof normalizeKanjiName(s)).toBe('string');
      }),
    );
  });
});

describe('kanaSmallToFull', () => {
  it('maps small kana to full-size, keeping width and script', () => {
    expect(kanaSmallToFull('ショウイチ')).toBe('シヨウイチ');
    expect(kanaSmallToFull('しょういち')).toBe('しよういち');
    expect(kanaSmallToFull('ｼｮｳｲﾁ')).toBe('ｼﾖｳｲﾁ');
    expect(kanaSmallToFull('ァィゥェォッャュョヮヵヶ')).toBe('アイウエオツヤユヨワカケ');
    expect(kanaSmallToFull('三ヶ田')).toBe('三ケ田');
    expect(kanaSmallToFull('ㇷ')).toBe('フ');
  });

  it('leaves everything else alone', () => {
    expect(kanaSmallToFull('山田 タロウ abc')).toBe('山田 タロウ abc');
    expect(kanaSmallToFull('')).toBe('');
    expect(kanaSmallToFull(undefined as unknown as string)).toBe('');
  });
});

describe('VARIANT_KANJI', () => {
  it('maps single characters to other single characters', () => {
    for (const [variant, forms] of Object.entries(VARIANT_KANJI)) {
      expect([...variant]).toHaveLength(1);
      for (const form of forms) {
        expect([...form]).toHaveLength(1);
        expect(form).not.toBe(variant);
      }
    }
  });
});

describe('compareNames', () => {
  it('is exact after width and space normalisation', () => {
    expect(compareNames('髙橋 﨑子', '髙橋\u3000﨑子')).toEqual({ match: 'exact' });
    expect(compareNames(' 山田　太郎', '山田 太郎 ')).toEqual({ match: 'exact' });
    expect(compareNames('ﾀｶﾊｼ ｻｷｺ', 'タカハシ\u3000サキコ')).toEqual({ match: 'exact' });
    expect(compareNames('たかはし さきこ', 'タカハシ サキコ', 'kana')).toEqual({ match: 'exact' });
    expect(compareNames('', '')).toEqual({ match: 'exact' });
  });

  it('reports variant kanji as a near-match with positions, never as exact', () => {
    expect(compareNames('高橋 崎子', '髙橋 﨑子')).toEqual({
      match: 'near',
      differences: [
        { index: 0, given: '高', recorded: '髙' },
        { index: 3, given: '崎', recorded: '﨑' },
      ],
    });
  });

  it('knows every required variant pair, in both directions', () => {
    const pairs: Array<[string, string]> = [
      ['髙', '高'],
      ['﨑', '崎'],
      ['嵜', '崎'],
      ['邊', '辺'],
      ['邉', '辺'],
      ['邊', '邉'],
      ['齋', '斎'],
      ['齊', '斉'],
      ['齊', '斎'],
      ['齋', '齊'],
      ['濱', '浜'],
      ['澤', '沢'],
      ['櫻', '桜'],
      ['廣', '広'],
      ['德', '徳'],
      ['國', '国'],
      ['榮', '栄'],
      ['惠', '恵'],
      ['瀨', '瀬'],
      ['龍', '竜'],
      ['藪', '薮'],
      ['槇', '槙'],
      ['𠮷', '吉'],
      ['\uFA10', '\u585A'],
    ];
    for (const [x, y] of pairs) {
      expect(compareNames(`山${x}`, `山${y}`), `${x}/${y}`).toEqual({
        match: 'near',
        differences: [{ index: 1, given: x, recorded: y }],
      });
      expect(compareNames(`山${y}`, `山${x}`), `${y}/${x}`).toEqual({
        match: 'near',
        differences: [{ index: 1, given: y, recorded: x }],
      });
    }
  });

  it('does not link two different common forms through a shared variant', () => {
    expect(compareNames('斉藤', '斎藤')).toEqual({ match: 'different' });
    expect(compareNames('高橋', '橋高')).toEqual({ match: 'different' });
  });

  it('reports small vs full-size kana as near (ショウイチ vs シヨウイチ)', () => {
    expect(compareNames('ヤマダ ショウイチ', 'ヤマダ シヨウイチ', 'kana')).toEqual({
      match: 'near',
      differences: [{ index: 5, given: 'ョ', recorded: 'ヨ' }],
    });
    expect(compareNames('しょういち', 'ｼﾖｳｲﾁ', 'kana')).toEqual({
      match: 'near',
      differences: [{ index: 1, given: 'ョ', recorded: 'ヨ' }],
    });
    expect(compareNames('三ヶ田', '三ケ田')).toEqual({
      match: 'near',
      differences: [{ index: 1, given: 'ヶ', recorded: 'ケ' }],
    });
  });

  it('reports a missing or extra space as near', () => {
    expect(compareNames('ヤマダタロウ', 'ヤマダ タロウ', 'kana')).toEqual({
      match: 'near',
      differences: [{ index: 3, given: '', recorded: ' ' }],
    });
    expect(compareNames('山田 太郎', '山田太郎')).toEqual({
      match: 'near',
      differences: [{ index: 2, given: ' ', recorded: '' }],
    });
    expect(compareNames('髙橋太郎', '高橋 太郎')).toEqual({
      match: 'near',
      differences: [
        { index: 0, given: '髙', recorded: '高' },
        { index: 2, given: '', recorded: ' ' },
      ],
    });
  });

  it('reports a variation selector difference as near', () => {
    expect(compareNames('葛\u{E0100}城', '葛城')).toEqual({
      match: 'near',
      differences: [{ index: 0, given: '葛\u{E0100}', recorded: '葛' }],
    });
  });

  it('reports ASCII letter case as near', () => {
    expect(compareNames('Smith John', 'SMITH JOHN')).toMatchObject({ match: 'near' });
  });

  it('keeps the script in kanji mode: hiragana vs katakana is different', () => {
    expect(compareNames('佐藤 さくら', '佐藤 サクラ')).toEqual({ match: 'different' });
    expect(compareNames('さくら', 'サクラ', 'kana')).toEqual({ match: 'exact' });
  });

  it('says different for other names', () => {
    expect(compareNames('山田 太郎', '田中 太郎')).toEqual({ match: 'different' });
    expect(compareNames('山田 太郎', '山田 太')).toEqual({ match: 'different' });
    expect(compareNames('山田 太', '山田 太郎')).toEqual({ match: 'different' });
    expect(compareNames('', '山田')).toEqual({ match: 'different' });
    expect(compareNames('ヤマダ', 'ヤマタ', 'kana')).toEqual({ match: 'different' });
  });

  it('never throws and is symmetric in its verdict', () => {
    const alphabet = fc.constantFrom(
      '髙',
      '高',
      '﨑',
      '崎',
      'ョ',
      'ヨ',
      ' ',
      '\u3000',
      'ｼ',
      'シ',
      'し',
      '山',
      '\uFA10',
      '塚',
    );
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 6 }), fc.array(alphabet, { maxLength: 6 }), (x, y) => {
        const a = x.join('');
        const b = y.join('');
        expect(compareNames(a, b).match).toBe(compareNames(b, a).match);
        expect(compareNames(a, a).match).toBe('exact');
      }),
    );
  });
});
