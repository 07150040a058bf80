import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import {
  assertLegacyCardIssuable,
  certificateValidUntil,
  eligibilityCertificateProof,
  LEGACY_CARD_LAST_ISSUE_DATE,
  LEGACY_CARD_LAST_USE_DATE,
  legacyCardProof,
  TEMPORARY_MEASURES,
  temporaryMeasureOn,
} from './proofs.js';

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e.code;
    throw e;
  }
  return undefined;
}

describe('legacy card dates (RULES §1)', () => {
  it('keeps the dated rules as data', () => {
    expect(LEGACY_CARD_LAST_ISSUE_DATE).toBe('2024-12-01');
    expect(LEGACY_CARD_LAST_USE_DATE).toBe('2025-12-01');
    expect(TEMPORARY_MEASURES).toEqual([
      expect.objectContaining({ code: 'LEGACY_CARD_TEMPORARY_MEASURE', from: '2025-12-02', until: '2026-03-31' }),
    ]);
    expect(TEMPORARY_MEASURES[0]?.source).toMatch(/事務連絡/);
  });

  it('finds the measure in force on a day, both ends inclusive', () => {
    expect(temporaryMeasureOn('LEGACY_CARD_TEMPORARY_MEASURE', '2025-12-01')).toBeUndefined();
    expect(temporaryMeasureOn('LEGACY_CARD_TEMPORARY_MEASURE', '2025-12-02')?.until).toBe('2026-03-31');
    expect(temporaryMeasureOn('LEGACY_CARD_TEMPORARY_MEASURE', '2026-03-31')).toBeDefined();
    expect(temporaryMeasureOn('LEGACY_CARD_TEMPORARY_MEASURE', '2026-04-01')).toBeUndefined();
  });
});

describe('assertLegacyCardIssuable', () => {
  it('allows an issue through 2024-12-01 and refuses it from 2024-12-02', () => {
    expect(() => assertLegacyCardIssuable('2024-12-01')).not.toThrow();
    expect(thrownCode(() => assertLegacyCardIssuable('2024-12-02'))).toBe('LEGACY_CARD_ISSUANCE_ENDED');
    expect(thrownCode(() => assertLegacyCardIssuable('2026-01-05'))).toBe('LEGACY_CARD_ISSUANCE_ENDED');
  });
});

describe('legacyCardProof', () => {
  it.each([
    ['2024-12-02', { usable: true }],
    ['2025-12-01', { usable: true }],
    ['2025-12-02', { usable: true, warning: 'LEGACY_CARD_TEMPORARY_MEASURE' }],
    ['2026-03-31', { usable: true, warning: 'LEGACY_CARD_TEMPORARY_MEASURE' }],
    ['2026-04-01', { usable: false, reason: 'LEGACY_CARD_EXPIRED' }],
  ] as const)('on %s', (asOf, expected) => {
    expect(legacyCardProof(asOf)).toEqual(expected);
  });
});

describe('eligibilityCertificateProof', () => {
  const cert = { issuedOn: '2024-12-02', validUntil: '2026-12-01', collectedOn: null, reportedLostOn: null };

  it('is usable from the issue day through validUntil, inclusive', () => {
    expect(eligibilityCertificateProof(cert, '2024-12-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_NOT_ISSUED',
    });
    expect(eligibilityCertificateProof(cert, '2024-12-02')).toEqual({ usable: true });
    expect(eligibilityCertificateProof(cert, '2026-12-01')).toEqual({ usable: true });
    expect(eligibilityCertificateProof(cert, '2026-12-02')).toEqual({ usable: false, reason: 'CERTIFICATE_EXPIRED' });
  });

  it('is refused from the day it was collected or reported lost', () => {
    const collected = { ...cert, collectedOn: '2025-06-01' };
    expect(eligibilityCertificateProof(collected, '2025-05-31')).toEqual({ usable: true });
    expect(eligibilityCertificateProof(collected, '2025-06-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_COLLECTED',
    });
    const lost = { ...cert, reportedLostOn: '2025-06-01' };
    expect(eligibilityCertificateProof(lost, '2025-06-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_REPORTED_LOST',
    });
  });

  it('reports lost before collected before expired', () => {
    const all = { ...cert, collectedOn: '2025-06-01', reportedLostOn: '2025-07-01' };
    expect(eligibilityCertificateProof(all, '2027-01-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_REPORTED_LOST',
    });
    expect(eligibilityCertificateProof({ ...cert, collectedOn: '2025-06-01' }, '2027-01-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_COLLECTED',
    });
  });
});

describe('certificateValidUntil (RULES §1: at most 5 years)', () => {
  it('ends the day before the n-th anniversary of issue', () => {
    expect(certificateValidUntil({ validYears: 2 }, '2024-12-02')).toBe('2026-12-01');
    expect(certificateValidUntil({ validYears: 5 }, '2024-12-02')).toBe('2029-12-01');
    expect(certificateValidUntil({ validYears: 1 }, '2025-01-01')).toBe('2025-12-31');
  });

  it('ends a period from 02-29 on the last day of February when there is no 02-29 (民法 §143)', () => {
    expect(certificateValidUntil({ validYears: 1 }, '2028-02-29')).toBe('2029-02-28');
    expect(certificateValidUntil({ validYears: 4 }, '2028-02-29')).toBe('2032-02-28');
  });

  it('keeps a fixed end within the limit and cuts a later one to it', () => {
    expect(certificateValidUntil({ validUntil: '2029-11-30' }, '2024-12-02')).toBe('2029-11-30');
    expect(certificateValidUntil({ validUntil: '2029-12-01' }, '2024-12-02')).toBe('2029-12-01');
    expect(certificateValidUntil({ validUntil: '2029-12-02' }, '2024-12-02')).toBe('2029-12-01');
    expect(certificateValidUntil({ validUntil: '2031-07-31' }, '2025-01-10')).toBe('2030-01-09');
    expect(certificateValidUntil({ validUntil: '2025-01-10' }, '2025-01-10')).toBe('2025-01-10');
  });

  it.each([0, 6, 1.5, -1, Number.NaN])('refuses validYears %s', (validYears) => {
    expect(thrownCode(() => certificateValidUntil({ validYears }, '2024-12-02'))).toBe('VALIDATION_FAILED');
  });

  it('refuses a fixed end before the issue date', () => {
    expect(thrownCode(() => certificateValidUntil({ validUntil: '2024-12-01' }, '2024-12-02'))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
