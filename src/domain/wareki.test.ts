import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { addDays, parts } from './dates.js';
import { eraOf, toWareki, toWarekiYearMonth, WAREKI_FROM } from './wareki.js';

function errorOf(fn: () => unknown): ShikakuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e;
    throw new Error(`expected a ShikakuError, got ${String(e)}`);
  }
  throw new Error('expected a ShikakuError, nothing was thrown');
}

describe('toWareki', () => {
  it('writes document dates', () => {
    expect(toWareki('2025-12-02')).toBe('令和7年12月2日');
    expect(toWareki('2025-12-01', 'long')).toBe('令和7年12月1日');
    expect(toWareki('2024-12-02')).toBe('令和6年12月2日');
    expect(toWareki('2024-02-29')).toBe('令和6年2月29日');
  });

  it('writes 元年 for the first year and switches era on the right day', () => {
    expect(toWareki('2019-04-30')).toBe('平成31年4月30日');
    expect(toWareki('2019-05-01')).toBe('令和元年5月1日');
    expect(toWareki('2019-12-31')).toBe('令和元年12月31日');
    expect(toWareki('2020-01-01')).toBe('令和2年1月1日');
    expect(toWareki('1989-01-07')).toBe('昭和64年1月7日');
    expect(toWareki('1989-01-08')).toBe('平成元年1月8日');
    expect(toWareki('1926-12-24')).toBe('大正15年12月24日');
    expect(toWareki('1926-12-25')).toBe('昭和元年12月25日');
    expect(toWareki('1912-07-29')).toBe('明治45年7月29日');
    expect(toWareki('1912-07-30')).toBe('大正元年7月30日');
    expect(toWareki('1873-01-01')).toBe('明治6年1月1日');
  });

  it('matches Intl’s Japanese calendar from 1873 to 2100', () => {
    const intl = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
      era: 'long',
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone: 'Asia/Tokyo',
    });
    const boundaries = ['1912-07-29', '1912-07-30', '1926-12-24', '1926-12-25', '1989-01-07', '1989-01-08'];
    const sample = [...boundaries, '2019-04-30', '2019-05-01'];
    for (let d = WAREKI_FROM; d <= '2100-12-31'; d = addDays(d, 11)) sample.push(d);
    for (const d of sample) {
      const { year, month, day } = parts(d);
      expect(toWareki(d), d).toBe(intl.format(new Date(Date.UTC(year, month - 1, day, 3))));
    }
  });
});

describe('toWarekiYearMonth', () => {
  it('writes the year and month of the day’s era', () => {
    expect(toWarekiYearMonth('2025-12-02')).toBe('令和7年12月');
    expect(toWarekiYearMonth('2019-04-30')).toBe('平成31年4月');
    expect(toWarekiYearMonth('2019-05-01')).toBe('令和元年5月');
    expect(toWarekiYearMonth('1989-01-31')).toBe('平成元年1月');
  });
});

describe('eraOf', () => {
  it('returns the era and its year (1 for 元年)', () => {
    expect(eraOf('2025-12-02')).toEqual({ era: '令和', year: 7 });
    expect(eraOf('2019-05-01')).toEqual({ era: '令和', year: 1 });
    expect(eraOf('2019-04-30')).toEqual({ era: '平成', year: 31 });
    expect(eraOf('1989-01-07')).toEqual({ era: '昭和', year: 64 });
    expect(eraOf('1950-06-15')).toEqual({ era: '昭和', year: 25 });
  });
});

describe('bad input', () => {
  it('rejects dates before the Gregorian calendar was adopted (1873-01-01)', () => {
    const e = errorOf(() => toWareki('1872-12-31'));
    expect(e.code).toBe('VALIDATION_DATE');
    expect(e.ja).toContain('明治6年');
    expect(errorOf(() => eraOf('1868-10-23')).code).toBe('VALIDATION_DATE');
  });

  it('rejects malformed dates with VALIDATION_DATE', () => {
    for (const bad of ['', '2025-02-29', '2025-12-2', 'R7.12.2', '令和7年12月2日']) {
      expect(errorOf(() => toWareki(bad)).code).toBe('VALIDATION_DATE');
      expect(errorOf(() => toWarekiYearMonth(bad)).code).toBe('VALIDATION_DATE');
      expect(errorOf(() => eraOf(bad)).code).toBe('VALIDATION_DATE');
    }
    expect(errorOf(() => toWareki(null as unknown as string)).code).toBe('VALIDATION_DATE');
  });
});
