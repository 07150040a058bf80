import { describe, expect, it } from 'vitest';
import { ageOn, birthday, calendarAgeOn, dateReachingAge } from './age.js';

describe('birthday', () => {
  it('is the same month and day n years on', () => {
    expect(birthday('2019-04-01', 6)).toBe('2025-04-01');
    expect(birthday('1956-12-31', 70)).toBe('2026-12-31');
  });

  it('is the birth date itself for n = 0', () => {
    expect(birthday('2000-02-29', 0)).toBe('2000-02-29');
  });

  it('is 29 February in leap years for a 29 February birth', () => {
    expect(birthday('2000-02-29', 4)).toBe('2004-02-29');
    expect(birthday('2000-02-29', 100)).toBe('2100-03-01'); // 2100 is not a leap year
  });

  it('is 1 March in common years for a 29 February birth (age reached at the end of 28 February)', () => {
    expect(birthday('2000-02-29', 1)).toBe('2001-03-01');
    expect(birthday('1956-02-29', 70)).toBe('2026-03-01');
  });

  it('rejects a negative or fractional age and a malformed date', () => {
    expect(() => birthday('2000-01-01', -1)).toThrow(RangeError);
    expect(() => birthday('2000-01-01', 1.5)).toThrow(RangeError);
    expect(() => birthday('2025-02-30', 1)).toThrow(RangeError);
    expect(() => birthday('20000101', 1)).toThrow(RangeError);
  });
});

describe('dateReachingAge', () => {
  it('is the day before the birthday', () => {
    expect(dateReachingAge('2019-04-01', 6)).toBe('2025-03-31');
    expect(dateReachingAge('2019-04-02', 6)).toBe('2025-04-01');
  });

  it('crosses a month and a year boundary', () => {
    expect(dateReachingAge('1956-05-01', 70)).toBe('2026-04-30');
    expect(dateReachingAge('2000-01-01', 18)).toBe('2017-12-31');
    expect(dateReachingAge('2000-03-01', 4)).toBe('2004-02-29'); // leap day before a 1 March birthday
    expect(dateReachingAge('2000-03-01', 5)).toBe('2005-02-28');
  });

  it('is always 28 February for a 29 February birth (leap or common year)', () => {
    expect(dateReachingAge('2000-02-29', 1)).toBe('2001-02-28');
    expect(dateReachingAge('2000-02-29', 4)).toBe('2004-02-28');
  });
});

describe('ageOn (legal age)', () => {
  it('is 0 from the birth date', () => {
    expect(ageOn('2024-06-15', '2024-06-15')).toBe(0);
    expect(ageOn('2024-06-15', '2025-06-13')).toBe(0);
  });

  it('goes up on the day before the birthday', () => {
    expect(ageOn('2019-04-02', '2025-03-31')).toBe(5);
    expect(ageOn('2019-04-02', '2025-04-01')).toBe(6);
    expect(ageOn('2019-04-02', '2025-04-02')).toBe(6);
  });

  it('handles a 1 January birth, whose new age starts on 31 December', () => {
    expect(ageOn('2000-01-01', '2024-12-30')).toBe(24);
    expect(ageOn('2000-01-01', '2024-12-31')).toBe(25);
    expect(ageOn('2000-01-01', '2025-01-01')).toBe(25);
  });

  it('gives a 29 February birth the new age on 28 February of a common year', () => {
    expect(ageOn('2000-02-29', '2001-02-27')).toBe(0);
    expect(ageOn('2000-02-29', '2001-02-28')).toBe(1);
    expect(ageOn('2000-02-29', '2004-02-27')).toBe(3);
    expect(ageOn('2000-02-29', '2004-02-28')).toBe(4);
  });

  it('rejects a date before birth', () => {
    expect(() => ageOn('2024-06-15', '2024-06-14')).toThrow(RangeError);
  });
});

describe('calendarAgeOn (ordinary age)', () => {
  it('goes up on the birthday itself, one day after the legal age', () => {
    expect(calendarAgeOn('2007-12-02', '2025-12-01')).toBe(17);
    expect(ageOn('2007-12-02', '2025-12-01')).toBe(18);
    expect(calendarAgeOn('2007-12-02', '2025-12-02')).toBe(18);
  });

  it('handles year ends', () => {
    expect(calendarAgeOn('2000-01-01', '2024-12-31')).toBe(24);
    expect(calendarAgeOn('2000-01-01', '2025-01-01')).toBe(25);
    expect(calendarAgeOn('2000-12-31', '2025-12-30')).toBe(24);
    expect(calendarAgeOn('2000-12-31', '2025-12-31')).toBe(25);
  });

  it('gives a 29 February birth the new age on 1 March of a common year and 29 February of a leap year', () => {
    expect(calendarAgeOn('2000-02-29', '2001-02-28')).toBe(0);
    expect(calendarAgeOn('2000-02-29', '2001-03-01')).toBe(1);
    expect(calendarAgeOn('2000-02-29', '2004-02-28')).toBe(3);
    expect(calendarAgeOn('2000-02-29', '2004-02-29')).toBe(4);
  });

  it('is 0 on the birth date and rejects a date before birth', () => {
    expect(calendarAgeOn('2024-06-15', '2024-06-15')).toBe(0);
    expect(() => calendarAgeOn('2024-06-15', '2024-06-14')).toThrow(RangeError);
  });
});
