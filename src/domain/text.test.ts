import { describe, expect, it } from 'vitest';
import { maskMyNumbers, maskMyNumbersDeep } from './text.js';

describe('maskMyNumbers', () => {
  it('masks a My Number-shaped run, with separators or full-width digits, to its last 4 digits', () => {
    expect(maskMyNumbers('番号 123456789018 は不正')).toBe('番号 ********9018 は不正');
    expect(maskMyNumbers('1234-5678-9018')).toBe('********9018');
    expect(maskMyNumbers('１２３４５６７８９０１８')).toBe('********9018');
  });

  it('leaves ids whole: a UUID whose digit groups line up into twelve digits is not a My Number', () => {
    // Digits only in the last three groups, joined by dashes: 4 + 4 + 12 digits in a row.
    const id = '0190abcd-ef01-7123-8456-789012345678';
    expect(maskMyNumbers(`application ${id} refused`)).toBe(`application ${id} refused`);
    expect(maskMyNumbersDeep({ details: { applicationId: id } })).toEqual({ details: { applicationId: id } });
    // …while a My Number beside it is still masked.
    expect(maskMyNumbers(`${id} 123456789018`)).toBe(`${id} ********9018`);
  });
});
