import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { decideExOfficio, type MemberIssuanceFacts } from './issuance.js';
import {
  DEFAULT_TRANSITION_POLICY,
  exOfficioOptionsOn,
  NO_EARLY_ISSUE_POLICY,
  parseTransitionPolicy,
  type TransitionPolicyPeriod,
} from './transition-policy.js';

/** A legacy-card holder with no My Number card. */
const holder: MemberIssuanceFacts = {
  acquiredOn: '2015-04-01',
  lostOn: null,
  birthDate: '1980-05-01',
  cards: [],
  certificates: [],
  registration: 'never',
  legacyCards: [{ issuedOn: '2015-04-01' }],
  eligibilityCertificates: [],
  newMemberPolicy: 'ex_officio',
};

const decide = (policy: readonly TransitionPolicyPeriod[] | null, asOf: string) =>
  decideExOfficio(holder, asOf, exOfficioOptionsOn(policy, asOf));

describe('per-association transition policy (seed 000 vs seed 002)', () => {
  it('defaults to today’s behaviour: legacy-card holders are issued one from 2025-07-01', () => {
    expect(DEFAULT_TRANSITION_POLICY[0]?.legacyHolderCertificateFrom).toBe('2025-07-01');
    expect(decide(null, '2025-06-30')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decide(null, '2025-07-01')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('seed 000: nothing while the legacy card is valid (2025-12-01), issued from 2025-12-02', () => {
    expect(decide(NO_EARLY_ISSUE_POLICY, '2025-12-01')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decide(NO_EARLY_ISSUE_POLICY, '2025-12-02')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('an association that changed its mind: the period in force on the day decides', () => {
    const policy = parseTransitionPolicy([
      { validFrom: '2024-12-02', legacyHolderCertificateFrom: null },
      { validFrom: '2025-09-01', legacyHolderCertificateFrom: '2025-10-01' },
    ]);
    expect(decide(policy, '2025-08-31')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decide(policy, '2025-09-30')).toEqual({ issue: false, reason: 'valid_legacy_card' });
    expect(decide(policy, '2025-10-01')).toEqual({ issue: true, reason: 'no_card' });
  });

  it('refuses a malformed policy', () => {
    expect(() => parseTransitionPolicy([])).toThrow(ShikakuError);
    expect(() => parseTransitionPolicy([{ validFrom: '2025-02-30', legacyHolderCertificateFrom: null }])).toThrow(
      ShikakuError,
    );
    expect(() =>
      parseTransitionPolicy([
        { validFrom: '2025-01-01', legacyHolderCertificateFrom: null },
        { validFrom: '2025-01-01', legacyHolderCertificateFrom: null },
      ]),
    ).toThrow(ShikakuError);
  });
});

describe('the "資格確認書の交付希望" box on the notification (seed 002)', () => {
  const newcomer: MemberIssuanceFacts = {
    ...holder,
    acquiredOn: '2024-12-02',
    legacyCards: [],
    newMemberPolicy: 'on_application',
  };

  it('issues to a new member under on_application when the box is ticked, from 2024-12-02', () => {
    expect(decideExOfficio(newcomer, '2024-12-02')).toEqual({ issue: false, reason: 'on_application_policy' });
    expect(decideExOfficio({ ...newcomer, certificateRequested: true }, '2024-12-02')).toEqual({
      issue: true,
      reason: 'no_card',
      onRequest: true,
    });
  });

  it('gives nothing "just in case" to a member with a usable マイナ保険証, box or not', () => {
    const withCard: MemberIssuanceFacts = {
      ...newcomer,
      certificateRequested: true,
      cards: [{ status: 'active', endedOn: null, expiresOn: '2031-01-01' }],
      certificates: [{ issuedOn: '2021-01-01', expiresOn: '2026-05-01', revokedOn: null }],
      registration: 'active',
    };
    expect(decideExOfficio(withCard, '2025-01-06')).toEqual({ issue: false, reason: 'usable_myna_card' });
  });
});
