import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { buildNoticeContents, type NoticeChange, type NoticeFacts, noticeNeeded } from './notice.js';

function facts(overrides: Partial<NoticeFacts> = {}): NoticeFacts {
  return {
    insurerNumber: '06139992',
    insurerName: '東京協会健康保険組合',
    symbol: '1234',
    number: '567',
    branch: '00',
    relationship: 'insured',
    name: '協会 太郎',
    nameKana: 'キョウカイ タロウ',
    birthDate: '1989-10-01',
    sex: 'male',
    acquiredOn: '2025-11-01',
    myNumberLast4: '9018',
    insuredRemuneration: 300_000,
    ...overrides,
  };
}

describe('buildNoticeContents (RULES §3)', () => {
  it('carries every item of the seed sample, the ratio stated as of the day', () => {
    expect(buildNoticeContents(facts(), '2025-11-21')).toEqual({
      issuedOn: '2025-11-21',
      insurerNumber: '06139992',
      insurerName: '東京協会健康保険組合',
      symbol: '1234',
      number: '567',
      branch: '00',
      relationship: 'insured',
      name: '協会 太郎',
      nameKana: 'キョウカイ タロウ',
      birthDate: '1989-10-01',
      sex: 'male',
      acquiredOn: '2025-11-01',
      myNumberLast4: '9018',
      burdenRatio: 30,
      burdenBand: 'general',
      burdenRatioAsOf: '2025-11-21',
    });
  });

  it('states the ratio at acquisition when built before it', () => {
    const c = buildNoticeContents(facts({ acquiredOn: '2025-12-01' }), '2025-11-21');
    expect(c.issuedOn).toBe('2025-11-21');
    expect(c.burdenRatioAsOf).toBe('2025-12-01');
  });

  it('a child is 2割 through the first 31 March after reaching 6, then 3割', () => {
    const child = facts({ relationship: 'dependent', birthDate: '2019-04-01', branch: '01', acquiredOn: '2019-04-01' });
    expect(buildNoticeContents(child, '2025-03-31')).toMatchObject({ burdenRatio: 20, burdenBand: 'preschool' });
    expect(buildNoticeContents(child, '2025-04-01')).toMatchObject({ burdenRatio: 30, burdenBand: 'general' });
  });

  it('70–74: 2割, or 3割 when the insured earns ≥ 280,000 (a dependent passes the insured figure)', () => {
    // Born 1956-05-02: 高齢受給者 from 2026-06-01.
    const elder = facts({ relationship: 'dependent', birthDate: '1956-05-02', insuredRemuneration: 260_000 });
    expect(buildNoticeContents(elder, '2026-05-31')).toMatchObject({ burdenRatio: 30, burdenBand: 'general' });
    expect(buildNoticeContents(elder, '2026-06-01')).toMatchObject({ burdenRatio: 20, burdenBand: 'elderly' });
    expect(buildNoticeContents({ ...elder, insuredRemuneration: 280_000 }, '2026-06-01')).toMatchObject({
      burdenRatio: 30,
      burdenBand: 'elderly_high_income',
    });
  });

  it('keeps a missing My Number as null and refuses anything but 4 digits', () => {
    expect(buildNoticeContents(facts({ myNumberLast4: null }), '2025-11-21').myNumberLast4).toBeNull();
    for (const bad of ['018', '90189', '９０１８', 'abcd']) {
      expect(() => buildNoticeContents(facts({ myNumberLast4: bad }), '2025-11-21')).toThrow(ShikakuError);
    }
  });

  it('refuses a malformed date', () => {
    expect(() => buildNoticeContents(facts(), '2025-02-29')).toThrow(ShikakuError);
    expect(() => buildNoticeContents(facts({ acquiredOn: '2025/11/01' }), '2025-11-21')).toThrow(ShikakuError);
  });
});

describe('noticeNeeded', () => {
  it.each([
    ['acquisition', true],
    ['number_change', true],
    ['branch_change', true],
    ['acquisition_date_correction', true],
    ['burden_ratio_change', true],
    ['became_elderly', true],
    ['name_change', false],
    ['address_change', false],
  ] as const)('%s → %s', (change: NoticeChange, needed) => {
    expect(noticeNeeded(change)).toBe(needed);
  });
});
