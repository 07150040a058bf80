import { describe, expect, it } from 'vitest';
import { certificateExpiresOn, graceEndsOn, registrationState } from './card-life.js';
import { ShikakuError } from './codes.js';
import {
  CERTIFICATE_FIRST_ISSUE_DATE,
  coveredOn,
  decideExOfficio,
  LEGACY_TRANSITION_ISSUE_FROM,
  type MemberIssuanceFacts,
  mynaCardProblem,
  NEW_MEMBER_POLICY_FROM,
} from './issuance.js';
import { certificateValidUntil } from './proofs.js';

/** Born 1990-02-10; certificate issued 2021-03-01 → expires on the 5th birthday after: 2026-02-10. */
const BIRTH = '1990-02-10';
const CERT_EXPIRES = certificateExpiresOn(BIRTH, '2021-03-01');

/** A member who can use a マイナ保険証 until the grace of 2026-02-10 ends (2026-05-31). */
function member(overrides: Partial<MemberIssuanceFacts> = {}): MemberIssuanceFacts {
  return {
    acquiredOn: '2015-04-01',
    lostOn: null,
    birthDate: BIRTH,
    cards: [{ status: 'active', endedOn: null, expiresOn: '2031-02-10' }],
    certificates: [{ issuedOn: '2021-03-01', expiresOn: CERT_EXPIRES, revokedOn: null }],
    registration: 'active',
    legacyCards: [],
    eligibilityCertificates: [],
    newMemberPolicy: 'ex_officio',
    ...overrides,
  };
}

const NO_CARD = { cards: [], certificates: [], registration: 'never' } as const;

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e.code;
    throw e;
  }
  return undefined;
}

describe('dated constants', () => {
  it('starts certificates and the new-member policy on 2024-12-02, the transition run on 2025-07-01', () => {
    expect(CERTIFICATE_FIRST_ISSUE_DATE).toBe('2024-12-02');
    expect(NEW_MEMBER_POLICY_FROM).toBe('2024-12-02');
    expect(LEGACY_TRANSITION_ISSUE_FROM).toBe('2025-07-01');
    expect(CERT_EXPIRES).toBe('2026-02-10');
  });

  it('refuses a run before certificates existed', () => {
    expect(thrownCode(() => decideExOfficio(member(NO_CARD), '2024-12-01'))).toBe('VALIDATION_FAILED');
    expect(decideExOfficio(member(NO_CARD), '2024-12-02')).toEqual({ issue: true, reason: 'no_card' });
  });
});

describe('eligibility on the day', () => {
  it('skips a member acquired after asOf and issues from the acquisition day', () => {
    const m = member({ ...NO_CARD, acquiredOn: '2025-04-01' });
    expect(decideExOfficio(m, '2025-03-31')).toEqual({ issue: false, reason: 'not_eligible' });
    expect(decideExOfficio(m, '2025-04-01')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('skips a member from the loss date (first day not covered)', () => {
    const m = member({ ...NO_CARD, lostOn: '2026-01-01' });
    expect(decideExOfficio(m, '2025-12-31')).toEqual({ issue: true, reason: 'no_card' });
    expect(decideExOfficio(m, '2026-01-01')).toEqual({ issue: false, reason: 'not_eligible' });
  });

  it('skips a member from the 75th birthday even when the loss is not recorded yet', () => {
    const m = member({ ...NO_CARD, birthDate: '1951-03-15' });
    expect(coveredOn(m, '2026-03-14')).toBe(true);
    expect(coveredOn(m, '2026-03-15')).toBe(false);
    expect(decideExOfficio(m, '2026-03-15')).toEqual({ issue: false, reason: 'not_eligible' });
  });
});

describe('certificate already held', () => {
  const held = { issuedOn: '2025-12-02', validUntil: '2027-12-01', collectedOn: null, reportedLostOn: null };

  it('skips a member holding a usable 資格確認書, and a second run issues nothing', () => {
    const first = decideExOfficio(member(NO_CARD), '2025-12-02');
    expect(first).toEqual({ issue: true, reason: 'no_card' });
    const issued = { ...held, validUntil: certificateValidUntil({ validYears: 2 }, '2025-12-02') };
    const after = member({ ...NO_CARD, eligibilityCertificates: [issued] });
    expect(decideExOfficio(after, '2025-12-02')).toEqual({ issue: false, reason: 'already_has_certificate' });
    expect(decideExOfficio(after, '2027-12-01')).toEqual({ issue: false, reason: 'already_has_certificate' });
    // Past its validity the member is issued a new one.
    expect(decideExOfficio(after, '2027-12-02')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('does not count a collected, lost or not-yet-issued certificate', () => {
    for (const c of [
      { ...held, collectedOn: '2026-01-10' },
      { ...held, reportedLostOn: '2026-01-10' },
      { ...held, issuedOn: '2026-02-01' },
    ]) {
      expect(decideExOfficio(member({ ...NO_CARD, eligibilityCertificates: [c] }), '2026-01-10')).toEqual({
        issue: true,
        reason: 'no_card',
      });
    }
  });
});

describe('usable マイナ保険証', () => {
  it('skips a member who can use one (no certificate just in case)', () => {
    expect(decideExOfficio(member(), '2025-12-02')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(mynaCardProblem(member(), '2025-12-02')).toBeNull();
  });

  it('certificate expiry 2026-02-10: usable through the grace (2026-05-31), issued from 2026-06-01', () => {
    expect(graceEndsOn(CERT_EXPIRES)).toBe('2026-05-31');
    const events = [{ kind: 'registered' as const, recordedOn: '2022-01-01' }];
    const certificates = member().certificates;
    const on = (asOf: string) =>
      decideExOfficio(member({ registration: registrationState({ events, certificates, asOf }) }), asOf);
    expect(on('2026-02-10')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(on('2026-02-11')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(on('2026-05-31')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(on('2026-06-01')).toEqual({ issue: true, reason: 'cert_expired' });
  });

  it('reads cert_expired past grace even if the registration was not marked lapsed', () => {
    expect(decideExOfficio(member(), '2026-06-01')).toEqual({ issue: true, reason: 'cert_expired' });
  });

  it('treats a renewed certificate as usable (the registration survives the renewal)', () => {
    const renewed = member({
      certificates: [
        { issuedOn: '2021-03-01', expiresOn: CERT_EXPIRES, revokedOn: null },
        { issuedOn: '2026-01-15', expiresOn: '2031-02-10', revokedOn: null },
      ],
    });
    expect(decideExOfficio(renewed, '2026-06-01')).toEqual({ issue: false, reason: 'usable_myna_card' });
  });

  it('a card past its own grace is cert_expired (its certificate cannot outlive it)', () => {
    const m = member({ cards: [{ status: 'active', endedOn: null, expiresOn: '2026-02-10' }] });
    expect(decideExOfficio(m, '2026-05-31')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(decideExOfficio(m, '2026-06-01')).toEqual({ issue: true, reason: 'cert_expired' });
  });

  it('a certificate revoked on or before asOf makes the card unusable', () => {
    const revoked = (revokedOn: string) =>
      member({ certificates: [{ issuedOn: '2021-03-01', expiresOn: CERT_EXPIRES, revokedOn }] });
    expect(decideExOfficio(revoked('2025-12-03'), '2025-12-02').issue).toBe(false);
    expect(decideExOfficio(revoked('2025-12-02'), '2025-12-02')).toEqual({ issue: true, reason: 'cert_expired' });
  });
});

describe('ex-officio reasons and their order (RULES §2)', () => {
  const returned = { status: 'returned' as const, endedOn: '2025-10-01', expiresOn: '2031-02-10' };
  const invalidated = { status: 'invalidated' as const, endedOn: '2025-10-01', expiresOn: '2031-02-10' };

  it.each([
    ['returned card, nothing else', { cards: [returned] }, 'card_returned'],
    ['returned card wins over a never-registered state', { cards: [returned], registration: 'never' }, 'card_returned'],
    ['returned and invalidated cards', { cards: [invalidated, returned] }, 'card_returned'],
    ['no card at all', NO_CARD, 'no_card'],
    ['only an invalidated card', { cards: [invalidated] }, 'no_card'],
    ['cancelled registration (解除)', { registration: 'cancelled' }, 'registration_cancelled'],
    ['lapsed registration with a valid certificate', { registration: 'lapsed' }, 'registration_cancelled'],
    ['never registered', { registration: 'never' }, 'not_registered'],
    ['registered but no certificate on record', { certificates: [] }, 'cert_expired'],
    ['never registered and no certificate', { certificates: [], registration: 'never' }, 'not_registered'],
  ] as const)('%s → %s', (_label, overrides, reason) => {
    expect(decideExOfficio(member(overrides as Partial<MemberIssuanceFacts>), '2025-12-02')).toEqual({
      issue: true,
      reason,
    });
  });

  it('a returned card does not matter when another card is in hand and usable', () => {
    const m = member({ cards: [returned, { status: 'active', endedOn: null, expiresOn: '2035-01-01' }] });
    expect(decideExOfficio(m, '2025-12-02')).toEqual({ issue: false, reason: 'usable_myna_card' });
  });

  it('a card returned after asOf was still in hand on asOf', () => {
    const later = member({ cards: [{ ...returned, endedOn: '2025-12-03' }] });
    expect(decideExOfficio(later, '2025-12-02')).toEqual({ issue: false, reason: 'usable_myna_card' });
    expect(decideExOfficio(later, '2025-12-03')).toEqual({ issue: true, reason: 'card_returned' });
  });

  it('an expired certificate comes before the registration it lapsed', () => {
    expect(decideExOfficio(member({ registration: 'lapsed' }), '2026-06-01')).toEqual({
      issue: true,
      reason: 'cert_expired',
    });
  });
});

describe('legacy card transition (seeds 000, 002 Q7)', () => {
  const legacy = { ...NO_CARD, acquiredOn: '2010-04-01', legacyCards: [{ issuedOn: '2010-04-05' }] };

  it('skips a valid legacy card before the transition window', () => {
    expect(decideExOfficio(member(legacy), '2024-12-02')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decideExOfficio(member(legacy), '2025-06-30')).toEqual({ issue: false, reason: 'valid_legacy_card' });
  });

  it('issues in the window through 2025-12-01, and after it the legacy card no longer matters', () => {
    expect(decideExOfficio(member(legacy), '2025-07-01')).toEqual({ issue: true, reason: 'no_card' });
    expect(decideExOfficio(member(legacy), '2025-12-01')).toEqual({ issue: true, reason: 'no_card' });
    expect(decideExOfficio(member(legacy), '2025-12-02')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('keeps the マイナ reason for a legacy holder', () => {
    const m = member({ ...legacy, cards: member().cards, certificates: member().certificates, registration: 'never' });
    expect(decideExOfficio(m, '2025-11-01')).toEqual({ issue: true, reason: 'not_registered' });
  });

  it('takes the association own window start', () => {
    const options = { legacyTransitionFrom: '2025-10-10' };
    expect(decideExOfficio(member(legacy), '2025-10-09', options)).toEqual({
      issue: false,
      reason: 'valid_legacy_card',
    });
    expect(decideExOfficio(member(legacy), '2025-10-10', options)).toEqual({ issue: true, reason: 'no_card' });
  });

  it('a legacy holder with a usable マイナ保険証 gets nothing', () => {
    const m = member({ legacyCards: [{ issuedOn: '2010-04-05' }] });
    expect(decideExOfficio(m, '2025-11-01')).toEqual({ issue: false, reason: 'usable_myna_card' });
  });
});

describe('new-member policy (RULES §2)', () => {
  it('on_application: from 2024-12-02 a new member without a card waits for the request flag', () => {
    const before = member({ ...NO_CARD, acquiredOn: '2024-12-01', newMemberPolicy: 'on_application' });
    const from = member({ ...NO_CARD, acquiredOn: '2024-12-02', newMemberPolicy: 'on_application' });
    expect(decideExOfficio(before, '2024-12-02')).toEqual({ issue: true, reason: 'no_card' });
    expect(decideExOfficio(from, '2024-12-02')).toEqual({ issue: false, reason: 'on_application_policy' });
    expect(decideExOfficio(from, '2025-12-02')).toEqual({ issue: false, reason: 'on_application_policy' });
  });

  it('on_application: also not_registered waits', () => {
    const m = member({ acquiredOn: '2025-04-01', registration: 'never', newMemberPolicy: 'on_application' });
    expect(decideExOfficio(m, '2025-04-01')).toEqual({ issue: false, reason: 'on_application_policy' });
  });

  it('on_application: later changes of state are ex officio for every member', () => {
    const base = { acquiredOn: '2025-04-01', newMemberPolicy: 'on_application' as const };
    expect(decideExOfficio(member({ ...base, registration: 'cancelled' }), '2025-12-02')).toEqual({
      issue: true,
      reason: 'registration_cancelled',
    });
    expect(decideExOfficio(member(base), '2026-06-01')).toEqual({ issue: true, reason: 'cert_expired' });
    const returned = { status: 'returned' as const, endedOn: '2025-10-01', expiresOn: '2031-02-10' };
    expect(decideExOfficio(member({ ...base, cards: [returned] }), '2025-12-02')).toEqual({
      issue: true,
      reason: 'card_returned',
    });
  });

  it('ex_officio: a new member without a usable マイナ保険証 is issued one from acquisition', () => {
    const m = member({ ...NO_CARD, acquiredOn: '2024-12-02' });
    expect(decideExOfficio(m, '2024-12-02')).toEqual({ issue: true, reason: 'no_card' });
  });
});
