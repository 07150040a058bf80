import { describe, expect, it } from 'vitest';
import {
  applicationTransition,
  approvalFollowUp,
  CERTIFICATE_APPLICATION_REASONS,
  type CertificateApplicationFacts,
  decideCertificateApplication,
  limitCertificationKind,
  limitCertificationNeeded,
  receiveApplication,
  specificDiseaseCertification,
} from './applications.js';
import { ERRORS, ShikakuError } from './codes.js';

/** A member who can use a マイナ保険証: certificate expires 2026-02-10 (grace to 2026-05-31). */
function facts(overrides: Partial<CertificateApplicationFacts> = {}): CertificateApplicationFacts {
  return {
    acquiredOn: '2015-04-01',
    lostOn: null,
    birthDate: '1990-02-10',
    cards: [{ status: 'active', endedOn: null, expiresOn: '2031-02-10' }],
    certificates: [{ issuedOn: '2021-03-01', expiresOn: '2026-02-10', revokedOn: null }],
    registration: 'active',
    legacyCards: [],
    eligibilityCertificates: [],
    reissueFeeYen: 500,
    ...overrides,
  };
}

const ACCEPTED = { accepted: true, fee: 0, supersedes: 'none' } as const;
const NOT_NEEDED = { accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'usable_myna_card' } as const;
const returned = { status: 'returned' as const, endedOn: '2025-10-01', expiresOn: '2031-02-10' };
const held = { issuedOn: '2025-12-02', validUntil: '2027-12-01', collectedOn: null, reportedLostOn: null };

function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShikakuError) return e.code;
    throw e;
  }
  return undefined;
}

describe('the application reasons (CODES.md, and legacy_card_lost of issue #16)', () => {
  it('lists exactly the 8 codes and legacy_card_lost', () => {
    expect([...CERTIFICATE_APPLICATION_REASONS].sort()).toEqual(
      [
        'card_lost',
        'card_renewing',
        'cert_expired',
        'not_registered',
        'no_card',
        'card_returned',
        'needs_assistance',
        'certificate_lost',
        'legacy_card_lost',
      ].sort(),
    );
  });

  it('refuses any other reason', () => {
    expect(decideCertificateApplication('just_in_case', facts(), '2025-12-02')).toEqual({
      accepted: false,
      code: 'CERTIFICATE_REASON_INVALID',
      why: 'unknown_reason',
    });
  });

  it.each(['card_lost', 'card_renewing', 'needs_assistance'])(
    '%s is accepted even when the data shows a usable card',
    (r) => {
      expect(decideCertificateApplication(r, facts(), '2025-12-02')).toEqual(ACCEPTED);
    },
  );

  it.each(['not_registered', 'no_card', 'card_returned', 'cert_expired'])(
    '%s with a usable マイナ保険証 is refused: no certificate just in case',
    (r) => {
      expect(decideCertificateApplication(r, facts(), '2025-12-02')).toEqual(NOT_NEEDED);
    },
  );

  describe('cert_expired: past expiry on recordedOn, grace included', () => {
    it('refused on the expiry day, accepted from the next day', () => {
      expect(decideCertificateApplication('cert_expired', facts(), '2026-02-10')).toEqual(NOT_NEEDED);
      expect(decideCertificateApplication('cert_expired', facts(), '2026-02-11')).toEqual(ACCEPTED);
      expect(decideCertificateApplication('cert_expired', facts(), '2026-06-01')).toEqual(ACCEPTED);
    });

    it('refused once a renewed certificate is on record', () => {
      const renewed = facts({
        certificates: [
          { issuedOn: '2021-03-01', expiresOn: '2026-02-10', revokedOn: null },
          { issuedOn: '2026-03-01', expiresOn: '2031-02-10', revokedOn: null },
        ],
      });
      expect(decideCertificateApplication('cert_expired', renewed, '2026-03-01')).toEqual(NOT_NEEDED);
      expect(decideCertificateApplication('cert_expired', renewed, '2026-02-28')).toEqual(ACCEPTED);
    });

    it('accepted when the card itself is past expiry', () => {
      const m = facts({ cards: [{ status: 'active', endedOn: null, expiresOn: '2025-11-30' }] });
      expect(decideCertificateApplication('cert_expired', m, '2025-12-02')).toEqual(ACCEPTED);
    });

    it('without a card it is the wrong reason: no_card is suggested', () => {
      expect(decideCertificateApplication('cert_expired', facts({ cards: [] }), '2025-12-02')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_REASON_INVALID',
        why: 'reason_not_applicable',
        suggestedReason: 'no_card',
      });
    });
  });

  describe('not_registered: a card, registration not active', () => {
    it.each(['never', 'cancelled', 'lapsed'] as const)('accepted when %s', (registration) => {
      expect(decideCertificateApplication('not_registered', facts({ registration }), '2025-12-02')).toEqual(ACCEPTED);
    });

    it('refused without a card in hand (suggests card_returned)', () => {
      const m = facts({ cards: [returned], registration: 'never' });
      expect(decideCertificateApplication('not_registered', m, '2025-12-02')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_REASON_INVALID',
        why: 'reason_not_applicable',
        suggestedReason: 'card_returned',
      });
    });
  });

  describe('no_card: no valid card', () => {
    it('accepted with no card, an invalidated one, or one past its expiry', () => {
      expect(decideCertificateApplication('no_card', facts({ cards: [] }), '2025-12-02')).toEqual(ACCEPTED);
      const invalidated = { status: 'invalidated' as const, endedOn: '2025-12-01', expiresOn: '2031-02-10' };
      expect(decideCertificateApplication('no_card', facts({ cards: [invalidated] }), '2025-12-02')).toEqual(ACCEPTED);
      const expired = { status: 'active' as const, endedOn: null, expiresOn: '2025-12-01' };
      expect(decideCertificateApplication('no_card', facts({ cards: [expired] }), '2025-12-02')).toEqual(ACCEPTED);
    });

    it('a card with registration never is not no_card (suggests not_registered)', () => {
      expect(decideCertificateApplication('no_card', facts({ registration: 'never' }), '2025-12-02')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_REASON_INVALID',
        why: 'reason_not_applicable',
        suggestedReason: 'not_registered',
      });
    });

    it('a cancelled registration suggests not_registered too (its 申請理由 covers 解除)', () => {
      const r = decideCertificateApplication('card_returned', facts({ registration: 'cancelled' }), '2025-12-02');
      expect(r).toMatchObject({ accepted: false, suggestedReason: 'not_registered' });
    });
  });

  describe('card_returned', () => {
    it('accepted from the day the card was returned', () => {
      expect(decideCertificateApplication('card_returned', facts({ cards: [returned] }), '2025-09-30')).toEqual(
        NOT_NEEDED,
      );
      expect(decideCertificateApplication('card_returned', facts({ cards: [returned] }), '2025-10-01')).toEqual(
        ACCEPTED,
      );
    });

    it('refused once a new card is in hand', () => {
      const m = facts({ cards: [returned, { status: 'active', endedOn: null, expiresOn: '2035-10-01' }] });
      expect(decideCertificateApplication('card_returned', m, '2025-12-02')).toEqual(NOT_NEEDED);
    });
  });

  describe('certificate_lost: reissue with the fee', () => {
    it('accepted when a certificate is held, fee from the association, the old one superseded', () => {
      const m = facts({ ...{ cards: [] }, eligibilityCertificates: [held] });
      expect(decideCertificateApplication('certificate_lost', m, '2026-01-10')).toEqual({
        accepted: true,
        fee: 500,
        supersedes: 'previous_certificate',
      });
      const reported = facts({ cards: [], eligibilityCertificates: [{ ...held, reportedLostOn: '2026-01-09' }] });
      expect(decideCertificateApplication('certificate_lost', reported, '2026-01-10')).toMatchObject({
        accepted: true,
        fee: 500,
      });
      const free = facts({ cards: [], eligibilityCertificates: [held], reissueFeeYen: 0 });
      expect(decideCertificateApplication('certificate_lost', free, '2026-01-10')).toMatchObject({ fee: 0 });
    });

    it('through the last day of validity, not after', () => {
      const m = facts({ cards: [], eligibilityCertificates: [held] });
      expect(decideCertificateApplication('certificate_lost', m, '2027-12-01')).toMatchObject({ accepted: true });
      expect(decideCertificateApplication('certificate_lost', m, '2027-12-02')).toMatchObject({
        accepted: false,
        code: 'CERTIFICATE_REASON_INVALID',
      });
    });

    it('refused with no certificate, a collected one or one not yet issued', () => {
      for (const certs of [[], [{ ...held, collectedOn: '2026-01-05' }], [{ ...held, issuedOn: '2026-02-01' }]]) {
        expect(
          decideCertificateApplication('certificate_lost', facts({ eligibilityCertificates: certs }), '2026-01-10'),
        ).toEqual({ accepted: false, code: 'CERTIFICATE_REASON_INVALID', why: 'reason_not_applicable' });
      }
    });

    it('refuses a fee that is not a whole number of yen', () => {
      for (const fee of [-1, 1.5, Number.NaN]) {
        expect(
          thrownCode(() =>
            decideCertificateApplication('certificate_lost', facts({ reissueFeeYen: fee }), '2026-01-10'),
          ),
        ).toBe('VALIDATION_FAILED');
      }
    });
  });

  describe('the member state', () => {
    it('a usable 資格確認書 already held: one at a time', () => {
      const m = facts({ cards: [], eligibilityCertificates: [held] });
      expect(decideCertificateApplication('no_card', m, '2026-01-10')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_NOT_NEEDED',
        why: 'certificate_held',
      });
    });

    it('a held one reported lost is replaced only by a reissue (the fee is not dodged)', () => {
      const m = facts({ cards: [], eligibilityCertificates: [{ ...held, reportedLostOn: '2026-01-09' }] });
      expect(decideCertificateApplication('no_card', m, '2026-01-10')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_REASON_INVALID',
        why: 'reissue_required',
        suggestedReason: 'certificate_lost',
      });
      // Once it would have expired anyway, a new application is an ordinary one.
      expect(decideCertificateApplication('no_card', m, '2027-12-02')).toEqual(ACCEPTED);
    });

    it('refuses a member who lost eligibility on or before recordedOn', () => {
      const m = facts({ cards: [], lostOn: '2026-01-10' });
      expect(decideCertificateApplication('no_card', m, '2026-01-09')).toEqual(ACCEPTED);
      expect(decideCertificateApplication('no_card', m, '2026-01-10')).toEqual({
        accepted: false,
        code: 'CONFLICT_MEMBER_STATE',
        why: 'not_eligible',
      });
    });

    it('accepts an application recorded with the acquisition notification, before the acquisition date', () => {
      expect(
        decideCertificateApplication('no_card', facts({ cards: [], acquiredOn: '2026-04-01' }), '2026-03-25'),
      ).toEqual(ACCEPTED);
    });

    it('refuses a date before 資格確認書 existed', () => {
      expect(thrownCode(() => decideCertificateApplication('no_card', facts({ cards: [] }), '2024-12-01'))).toBe(
        'VALIDATION_FAILED',
      );
      expect(decideCertificateApplication('no_card', facts({ cards: [] }), '2024-12-02')).toEqual(ACCEPTED);
    });
  });

  describe('legacy card holders (seed 000)', () => {
    const legacy = facts({ cards: [], legacyCards: [{ issuedOn: '2010-04-05' }] });

    it('refused before the transition window, accepted in it and after 2025-12-01', () => {
      expect(decideCertificateApplication('no_card', legacy, '2025-06-30')).toEqual({
        accepted: false,
        code: 'CERTIFICATE_NOT_NEEDED',
        why: 'valid_legacy_card',
      });
      expect(decideCertificateApplication('no_card', legacy, '2025-07-01')).toEqual(ACCEPTED);
      expect(decideCertificateApplication('no_card', legacy, '2025-12-02')).toEqual(ACCEPTED);
    });

    it('follows the association window', () => {
      const options = { legacyTransitionFrom: '2025-12-02' };
      expect(decideCertificateApplication('no_card', legacy, '2025-12-01', options)).toMatchObject({
        why: 'valid_legacy_card',
      });
      expect(decideCertificateApplication('no_card', legacy, '2025-12-02', options)).toEqual(ACCEPTED);
    });
  });
});

describe('application states', () => {
  it('moves a received application to approved or refused', () => {
    expect(applicationTransition('received', 'approve')).toBe('approved');
    expect(applicationTransition('received', 'refuse')).toBe('refused');
  });

  it.each([
    ['approved', 'approve'],
    ['approved', 'refuse'],
    ['refused', 'approve'],
    ['refused', 'refuse'],
  ] as const)('refuses %s → %s with CONFLICT_APPLICATION_STATE (409)', (state, action) => {
    expect(thrownCode(() => applicationTransition(state, action))).toBe('CONFLICT_APPLICATION_STATE');
    expect(ERRORS.CONFLICT_APPLICATION_STATE.status).toBe(409);
  });
});

describe('limit certifications (RULES §7)', () => {
  it.each([
    ['ア', 'limit_certification', false, true],
    ['エ', 'limit_certification', false, true],
    ['オ', 'reduced_limit_certification', true, true],
    ['現役並みⅠ', 'limit_certification', false, true],
    ['現役並みⅡ', 'limit_certification', false, true],
    ['現役並みⅢ', null, false, false],
    ['一般', null, false, false],
    ['低所得Ⅱ', 'reduced_limit_certification', true, true],
    ['低所得Ⅰ', 'reduced_limit_certification', true, true],
  ] as const)('%s → %s; needed with マイナ保険証 %s, with 資格確認書 %s', (category, kind, withCard, withCert) => {
    expect(limitCertificationKind(category)).toBe(kind);
    expect(limitCertificationNeeded(category)).toBe(withCard);
    expect(limitCertificationNeeded(category, 'myna_card')).toBe(withCard);
    expect(limitCertificationNeeded(category, 'eligibility_certificate')).toBe(withCert);
  });
});

describe('specific disease (特定疾病)', () => {
  // Born 1956-05-02: reaches 70 on 2026-05-01, 70–74 band from 2026-06-01.
  const base = { birthDate: '1956-05-02', standardMonthlyRemuneration: 530_000 };

  it('dialysis under 70 with ≥ 530,000: 20,000 until the 70–74 band starts, then 10,000', () => {
    expect(specificDiseaseCertification({ ...base, disease: 'dialysis', asOf: '2026-05-31' })).toEqual({
      disease: 'dialysis',
      oqsCode: '1',
      monthlyLimit: 20_000,
    });
    expect(specificDiseaseCertification({ ...base, disease: 'dialysis', asOf: '2026-06-01' }).monthlyLimit).toBe(
      10_000,
    );
  });

  it('dialysis below 530,000, hemophilia and HIV: 10,000', () => {
    expect(
      specificDiseaseCertification({
        ...base,
        disease: 'dialysis',
        asOf: '2026-01-01',
        standardMonthlyRemuneration: 500_000,
      }).monthlyLimit,
    ).toBe(10_000);
    expect(specificDiseaseCertification({ ...base, disease: 'hemophilia', asOf: '2026-01-01' })).toEqual({
      disease: 'hemophilia',
      oqsCode: '2',
      monthlyLimit: 10_000,
    });
    expect(specificDiseaseCertification({ ...base, disease: 'hiv', asOf: '2026-01-01' }).oqsCode).toBe('3');
  });
});

describe('receiving and approving the other applications', () => {
  it('利用登録解除 needs an active registration', () => {
    expect(receiveApplication({ kind: 'registration_cancellation', registration: 'active' })).toEqual({
      received: true,
    });
    for (const registration of ['never', 'cancelled', 'lapsed'] as const) {
      expect(receiveApplication({ kind: 'registration_cancellation', registration })).toEqual({
        received: false,
        code: 'CONFLICT_CARD_STATE',
      });
    }
  });

  it('the お知らせ is reissued only when the portal cannot be used', () => {
    expect(receiveApplication({ kind: 'notice_reissue', portalUsable: false })).toEqual({ received: true });
    expect(receiveApplication({ kind: 'notice_reissue', portalUsable: true })).toEqual({
      received: false,
      code: 'NOTICE_REISSUE_NOT_NEEDED',
    });
  });

  it('certifications are always received', () => {
    expect(receiveApplication({ kind: 'limit_certification' })).toEqual({ received: true });
    expect(receiveApplication({ kind: 'reduced_limit_certification' })).toEqual({ received: true });
    expect(receiveApplication({ kind: 'specific_disease', disease: 'hiv' })).toEqual({ received: true });
  });

  it('a 基準収入額適用申請 is received only under the 基準収入額, and its approval is recorded', () => {
    expect(receiveApplication({ kind: 'standard_income', declaration: { annualIncome: 3_000_000 } })).toEqual({
      received: true,
    });
    expect(receiveApplication({ kind: 'standard_income', declaration: { annualIncome: 5_000_000 } })).toEqual({
      received: false,
      code: 'INCOME_ABOVE_STANDARD',
    });
    expect(approvalFollowUp('standard_income')).toBe('record_standard_income');
  });

  it('an approved 利用登録解除 leads to a 資格確認書 (seed 000)', () => {
    expect(approvalFollowUp('registration_cancellation')).toBe('issue_certificate');
    expect(approvalFollowUp('certificate')).toBe('issue_certificate');
    expect(approvalFollowUp('notice_reissue')).toBe('issue_notice');
    expect(approvalFollowUp('limit_certification')).toBe('register_at_hub');
    expect(approvalFollowUp('reduced_limit_certification')).toBe('register_at_hub');
    expect(approvalFollowUp('specific_disease')).toBe('register_at_hub');
  });
});
