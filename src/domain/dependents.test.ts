import { describe, expect, it } from 'vitest';
import {
  type CoverFacts,
  coverEndsOn,
  coveredWithInsuredOn,
  dependentsLosingCover,
  lostOnAfterDeath,
} from './dependents.js';
import { decideExOfficio, type MemberIssuanceFacts } from './issuance.js';
import { decideFromHub, qualificationProblemOn } from './verification.js';
import { qual } from './verification.test-helper.js';

const insured = (birthDate: string, lostOn: string | null = null, lossReason: 'death' | 'other' | null = null) =>
  ({ birthDate, acquiredOn: '2010-04-01', lostOn, lossReason }) satisfies CoverFacts;
const child: CoverFacts = { birthDate: '2000-06-15', acquiredOn: '2010-04-01', lostOn: null };

describe('coverEndsOn: a dependent loses cover with the insured', () => {
  it("ends on the insured's 75th birthday (born on the 1st and on the 2nd)", () => {
    expect(coverEndsOn(child, insured('1951-12-01'))).toEqual({ on: '2026-12-01', cause: 'insured_75' });
    expect(coverEndsOn(child, insured('1951-12-02'))).toEqual({ on: '2026-12-02', cause: 'insured_75' });
    expect(coveredWithInsuredOn(child, insured('1951-12-02'), '2026-12-01')).toBe(true);
    expect(coveredWithInsuredOn(child, insured('1951-12-02'), '2026-12-02')).toBe(false);
  });

  it('an insured born 02-29 leaves on 03-01 in a common year (age reached at the end of 02-28)', () => {
    expect(coverEndsOn(child, insured('1952-02-29'))).toEqual({ on: '2027-03-01', cause: 'insured_75' });
    expect(coveredWithInsuredOn(child, insured('1952-02-29'), '2027-02-28')).toBe(true);
  });

  it('ends the day after the insured dies (健保法 §36), named as a death', () => {
    const lostOn = lostOnAfterDeath('2026-01-31');
    expect(lostOn).toBe('2026-02-01');
    expect(coverEndsOn(child, insured('1970-01-01', lostOn, 'death'))).toEqual({ on: lostOn, cause: 'insured_death' });
  });

  it("ends on any loss of the insured's; the member's own earlier end wins", () => {
    expect(coverEndsOn(child, insured('1970-01-01', '2026-04-01'))).toEqual({
      on: '2026-04-01',
      cause: 'insured_loss',
    });
    const removed = { ...child, lostOn: '2026-03-01' };
    expect(coverEndsOn(removed, insured('1970-01-01', '2026-04-01'))).toEqual({ on: '2026-03-01', cause: 'own_loss' });
  });

  it("names the dependent's own 75th birthday when it falls on the same day", () => {
    const spouse: CoverFacts = { birthDate: '1951-12-02', acquiredOn: '2010-04-01', lostOn: null };
    expect(coverEndsOn(spouse, insured('1951-12-02'))).toEqual({ on: '2026-12-02', cause: 'own_75' });
  });
});

describe('dependentsLosingCover: the console list', () => {
  it('lists the dependents who must join 国保 or another insurer, without a notification of their own', () => {
    const rows = dependentsLosingCover(insured('1951-12-01'), [
      { ...child, memberId: 'm-child' },
      { ...child, memberId: 'm-gone', lostOn: '2025-01-01' },
      { birthDate: '1951-11-01', acquiredOn: '2010-04-01', lostOn: null, memberId: 'm-spouse-75-first' },
    ]);
    expect(rows).toEqual([
      {
        memberId: 'm-child',
        endsOn: '2026-12-01',
        cause: 'insured_75',
        collectCertificate: true,
        mustJoinOtherInsurance: true,
        separateNotification: false,
      },
    ]);
  });
});

describe('verification and the ex-officio run follow the insured', () => {
  const q = qual({
    memberId: 'm-child',
    relationship: 'dependent',
    birthDate: child.birthDate,
    acquiredOn: child.acquiredOn,
    insured: insured('1951-12-02'),
  });

  it('answers INSURED_COVER_ENDED from the insured’s 75th birthday, eligible the day before', () => {
    expect(qualificationProblemOn(q, '2026-12-01')).toBeNull();
    expect(qualificationProblemOn(q, '2026-12-02')).toBe('INSURED_COVER_ENDED');
    const d = decideFromHub('2026-12-02', [{ state: 'registered', qualification: q }]);
    expect(d.outcome).toBe('ineligible');
    expect(d.reasons.map((r) => r.code)).toEqual(['INSURED_COVER_ENDED']);
    expect(d.fallbacks.map((f) => f.code)).toEqual(['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER']);
  });

  it('keeps the old answers when no insured is given', () => {
    expect(qualificationProblemOn({ ...q, insured: undefined }, '2026-12-02')).toBeNull();
  });

  it('does not issue a 資格確認書 to a dependent whose insured has left', () => {
    const facts: MemberIssuanceFacts = {
      acquiredOn: child.acquiredOn,
      lostOn: null,
      birthDate: child.birthDate,
      cards: [],
      certificates: [],
      registration: 'never',
      legacyCards: [],
      eligibilityCertificates: [],
      newMemberPolicy: 'ex_officio',
      insured: insured('1970-01-01', '2026-04-01'),
    };
    expect(decideExOfficio(facts, '2026-03-31')).toEqual({ issue: true, reason: 'no_card' });
    expect(decideExOfficio(facts, '2026-04-01')).toEqual({ issue: false, reason: 'not_eligible' });
  });
});
