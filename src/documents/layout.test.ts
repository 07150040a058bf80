import { describe, expect, it } from 'vitest';
import { jstMidnight, mm, wrapLines } from './layout.js';

/** Every character is 1 unit wide: the width of a string is its length in code points. */
const measure = (s: string): number => [...s].length;

describe('wrapLines (Japanese line breaking with 禁則)', () => {
  it('breaks between any two kana/kanji and keeps every character', () => {
    const text = 'あいうえおかきくけこさしすせそ';
    const lines = wrapLines(measure, text, 6);
    expect(lines).toEqual(['あいうえおか', 'きくけこさし', 'すせそ']);
    expect(lines.join('')).toBe(text);
  });

  it('never starts a line with 。、） or a small kana: the mark hangs past the edge (ぶら下げ)', () => {
    expect(wrapLines(measure, 'あいうえお。かきく', 5)).toEqual(['あいうえお。', 'かきく']);
    expect(wrapLines(measure, 'あいうえお）かき', 5)).toEqual(['あいうえお）', 'かき']);
    expect(wrapLines(measure, 'あいうえおっかき', 5)).toEqual(['あいうえおっ', 'かき']);
  });

  it('never ends a line with an opening bracket: it moves to the next line', () => {
    expect(wrapLines(measure, 'あいうえ「おか」き', 5)).toEqual(['あいうえ', '「おか」き']);
  });

  it('keeps ASCII words whole and cuts a URL after a separator', () => {
    expect(wrapLines(measure, 'あいうQRコード', 4)).toEqual(['あいう', 'QRコー', 'ド']);
    expect(wrapLines(measure, 'https://a.example/me?x=1', 18)).toEqual(['https://a.example/', 'me?x=1']);
  });

  it('cuts a token wider than the line between characters', () => {
    expect(wrapLines(measure, 'abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('drops the space at a break and honours explicit line breaks', () => {
    expect(wrapLines(measure, 'ab cd ef', 5)).toEqual(['ab cd', 'ef']);
    expect(wrapLines(measure, 'あい\nう', 10)).toEqual(['あい', 'う']);
  });

  it('keeps a non-BMP character (𠮷) whole', () => {
    expect(wrapLines(measure, '𠮷田𠮷田', 2)).toEqual(['𠮷田', '𠮷田']);
  });
});

describe('units and dates', () => {
  it('converts millimetres to points', () => {
    expect(mm(25.4)).toBeCloseTo(72, 10);
    expect(mm(210)).toBeCloseTo(595.28, 2);
    expect(mm(297)).toBeCloseTo(841.89, 2);
  });

  it('fixes CreationDate at midnight in Japan of the issue day', () => {
    expect(jstMidnight('2025-12-02').toISOString()).toBe('2025-12-01T15:00:00.000Z');
    expect(jstMidnight('2024-03-01').toISOString()).toBe('2024-02-29T15:00:00.000Z');
  });
});
