import { describe, expect, it } from 'vitest';
import {
  type CoverageFacts,
  memberIdentifierValue,
  parseMemberIdentifier,
  toCoverage,
  toFullWidth,
  toHalfWidth,
} from './coverage.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { HL7, JP } from './systems.js';

const FACTS: CoverageFacts = {
  insurerNumber: '06139992',
  symbol: '1234',
  number: '567',
  branch: '00',
  relationship: 'insured',
  acquiredOn: '2012-04-01',
  lostOn: null,
  burdenRatio: 30,
};
const REFS = {
  id: 'm-1',
  beneficiary: { reference: 'Patient/m-1' },
  payor: { reference: 'Organization/06139992', display: 'シカク健康保険組合' },
};

describe('the JP Core member identifier 保険者番号:記号:番号:枝番', () => {
  it('is written half-width with an empty 枝番 when unknown', () => {
    expect(memberIdentifierValue(FACTS)).toBe('06139992:1234:567:00');
    expect(memberIdentifierValue({ ...FACTS, branch: undefined })).toBe('06139992:1234:567:');
  });

  it('reads full-width (incl. the colon) as half-width, and an empty 枝番 as not given', () => {
    expect(parseMemberIdentifier('０６１３９９９２：１２３４：５６７：０１')).toEqual({
      insurerNumber: '06139992',
      symbol: '1234',
      number: '567',
      branch: '01',
    });
    expect(parseMemberIdentifier('00012345:あいう:１８７:')).toEqual({
      insurerNumber: '00012345',
      symbol: 'あいう',
      number: '187',
      branch: undefined,
    });
  });

  it('refuses anything but exactly four parts', () => {
    expect(parseMemberIdentifier('06139992:1234:567')).toBeNull();
    expect(parseMemberIdentifier('06139992:1234:567:00:9')).toBeNull();
    expect(parseMemberIdentifier('')).toBeNull();
  });

  it('converts widths both ways for ASCII, leaving kana alone', () => {
    expect(toFullWidth('12-34 A')).toBe('１２－３４\u3000Ａ');
    expect(toFullWidth('あいう')).toBe('あいう');
    expect(toHalfWidth('１２－３４')).toBe('12-34');
  });
});

describe('toCoverage (JP_Coverage)', () => {
  it('validates against R4 and carries the JP Core identifier, extensions and relationship', () => {
    const c = toCoverage(FACTS, REFS);
    expect(r4Problems(c)).toEqual([]);
    expect(c.meta?.profile).toEqual([JP.coverageProfile]);
    expect(c.identifier?.[0]).toMatchObject({ system: JP.insuranceMemberIdSystem, value: '06139992:1234:567:00' });
    expect(c.extension).toEqual([
      { url: JP.insuredPersonSymbol, valueString: '１２３４' },
      { url: JP.insuredPersonNumber, valueString: '５６７' },
      { url: JP.insuredPersonSubNumber, valueString: '00' },
    ]);
    expect(c.subscriberId).toBe('１２３４:５６７');
    expect(c.dependent).toBe('00');
    expect(c.relationship?.coding?.[0]).toEqual({ system: JP.insuredPersonCategory, code: '1', display: '被保険者' });
    expect(c.relationship?.coding?.[1]?.code).toBe('self');
    expect(c.payor).toEqual([REFS.payor]);
    expect(c.costToBeneficiary).toEqual([
      {
        type: { coding: [{ system: HL7.copayType, code: 'copaypct', display: 'Copay Percentage' }] },
        valueQuantity: { value: 30, unit: '%', system: HL7.ucum, code: '%' },
      },
    ]);
  });

  it('codes a dependent 2 (被扶養者) without claiming self', () => {
    const c = toCoverage({ ...FACTS, relationship: 'dependent', branch: '01', burdenRatio: 20 }, REFS);
    expect(r4Problems(c)).toEqual([]);
    expect(c.relationship?.coding).toEqual([{ system: JP.insuredPersonCategory, code: '2', display: '被扶養者' }]);
    expect(c.costToBeneficiary?.[0]?.valueQuantity?.value).toBe(20);
  });

  it('ends the period the day before lostOn, across a leap day and a month end', () => {
    expect(toCoverage({ ...FACTS, lostOn: '2024-03-01' }, REFS).period).toEqual({
      start: '2012-04-01',
      end: '2024-02-29',
    });
    expect(toCoverage({ ...FACTS, lostOn: '2025-12-01' }, REFS).period).toEqual({
      start: '2012-04-01',
      end: '2025-11-30',
    });
    expect(toCoverage(FACTS, REFS).period).toEqual({ start: '2012-04-01' });
  });

  it('states no cost share when the ratio is not the association’s to decide (from 75)', () => {
    const c = toCoverage({ ...FACTS, burdenRatio: null }, REFS);
    expect(c.costToBeneficiary).toBeUndefined();
    expect(r4Problems(c)).toEqual([]);
  });
});
