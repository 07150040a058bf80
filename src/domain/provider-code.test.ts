import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { assertProviderCode, isValidProviderCode, providerKind } from './provider-code.js';

function errorOf(fn: () => unknown): ShikakuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e;
    throw new Error(`expected a ShikakuError, got ${String(e)}`);
  }
  throw new Error('expected a ShikakuError, nothing was thrown');
}

describe('isValidProviderCode', () => {
  it('accepts 10 digits with prefecture 01–47 and 点数表 1, 3 or 4', () => {
    for (const ok of ['1312345670', '0111234567', '4732345678', '2741234567']) {
      expect(isValidProviderCode(ok)).toBe(true);
    }
  });

  it('rejects a prefecture outside 01–47', () => {
    expect(isValidProviderCode('0012345678')).toBe(false);
    expect(isValidProviderCode('4812345678')).toBe(false);
    expect(isValidProviderCode('9912345678')).toBe(false);
  });

  it('rejects another 点数表 digit', () => {
    for (const table of ['0', '2', '5', '6', '7', '8', '9']) {
      expect(isValidProviderCode(`13${table}2345678`)).toBe(false);
    }
  });

  it('rejects a wrong shape, and is strict about the stored form', () => {
    for (const bad of ['', '131234567', '13123456701', '131234567a', '１３１２３４５６７０', '1312-345670']) {
      expect(isValidProviderCode(bad)).toBe(false);
    }
    expect(isValidProviderCode(1312345670 as unknown as string)).toBe(false);
  });
});

describe('assertProviderCode', () => {
  it('normalises input', () => {
    expect(assertProviderCode('１３１２３４５６７０')).toBe('1312345670');
    expect(assertProviderCode('13 1 23 4567 0')).toBe('1312345670');
  });

  it('throws PROVIDER_CODE_INVALID', () => {
    for (const bad of ['', '131234567', 'abcdefghij', '4812345678', '1322345678']) {
      const e = errorOf(() => assertProviderCode(bad));
      expect(e.code).toBe('PROVIDER_CODE_INVALID');
      expect(e.details).toEqual({ field: 'providerCode', value: bad });
    }
    expect(errorOf(() => assertProviderCode('4812345678')).message).toContain('prefecture');
    expect(errorOf(() => assertProviderCode(null as unknown as string)).code).toBe('PROVIDER_CODE_INVALID');
  });
});

describe('providerKind', () => {
  it('reads the 点数表 digit', () => {
    expect(providerKind('1312345670')).toBe('medical');
    expect(providerKind('1332345678')).toBe('dental');
    expect(providerKind('1342345678')).toBe('pharmacy');
    expect(providerKind('１３４２３４５６７８')).toBe('pharmacy');
  });

  it('throws for an invalid code', () => {
    expect(errorOf(() => providerKind('1362345678')).code).toBe('PROVIDER_CODE_INVALID');
  });
});
