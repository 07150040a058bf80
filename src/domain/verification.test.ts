import { describe, expect, it } from 'vitest';
import { registrationState } from './card-life.js';
import { FALLBACKS, REASONS } from './codes.js';
import type { CardEvidence, Decision, DocumentEvidence, HubRecord } from './verification.js';
import {
  decideByCard,
  decideByNumber,
  decideFromHub,
  FALLBACK_RANK,
  FALLBACKS_BY_REASON,
  fallbacksFor,
  qualificationProblemOn,
} from './verification.js';
import { cardEvidence, qual, registered } from './verification.test-helper.js';

function docEvidence(over: Partial<DocumentEvidence> = {}): DocumentEvidence {
  return {
    document: 'certificate',
    birthDateGiven: '1989-10-01',
    legacyCards: [],
    certificates: [],
    holdsSeparateCertificates: false,
    newerQualificationExists: false,
    ...over,
  };
}

const reasons = (d: Decision) => d.reasons.map((r) => r.code);
const fallbacks = (d: Decision) => d.fallbacks.map((f) => f.code);

describe('the fallback table', () => {
  it('covers every reason and every fallback with catalogued codes', () => {
    expect(Object.keys(FALLBACKS_BY_REASON).sort()).toEqual(Object.keys(REASONS).sort());
    expect(Object.keys(FALLBACK_RANK).sort()).toEqual(Object.keys(FALLBACKS).sort());
    expect(new Set(Object.values(FALLBACK_RANK)).size).toBe(Object.keys(FALLBACKS).length);
  });

  it('merges fallbacks without duplicates, in rank order whatever the reason order', () => {
    const a = fallbacksFor(['CERT_EXPIRED', 'CARD_REGISTRATION_CANCELLED']).map((f) => f.code);
    const b = fallbacksFor(['CARD_REGISTRATION_CANCELLED', 'CERT_EXPIRED']).map((f) => f.code);
    expect(a).toEqual(['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE', 'RENEW_AT_MUNICIPALITY']);
    expect(b).toEqual(a);
  });

  it('carries the catalogue messages', () => {
    expect(fallbacksFor(['CERT_EXPIRING_SOON'])).toEqual([
      { code: 'RENEW_AT_MUNICIPALITY', ...FALLBACKS.RENEW_AT_MUNICIPALITY },
    ]);
  });
});

describe('qualificationProblemOn', () => {
  it('covers acquiredOn ≤ asOf < lostOn', () => {
    const q = qual({ acquiredOn: '2024-04-01', lostOn: '2026-04-01' });
    expect(qualificationProblemOn(q, '2024-03-31')).toBe('QUALIFICATION_NOT_STARTED');
    expect(qualificationProblemOn(q, '2024-04-01')).toBeNull();
    expect(qualificationProblemOn(q, '2026-03-31')).toBeNull();
    expect(qualificationProblemOn(q, '2026-04-01')).toBe('QUALIFICATION_LOST');
  });

  it('reads a loss recorded on the 75th birthday as the transfer, an earlier loss as a loss', () => {
    expect(qualificationProblemOn(qual({ birthDate: '1951-06-15', lostOn: '2026-06-15' }), '2026-06-15')).toBe(
      'AGE_75_TRANSFERRED',
    );
    expect(qualificationProblemOn(qual({ birthDate: '1951-06-15', lostOn: '2024-04-01' }), '2026-07-01')).toBe(
      'QUALIFICATION_LOST',
    );
  });
});

describe('by card: the plain case', () => {
  it('is eligible, shares medical information, needs no fallback', () => {
    const d = decideByCard('2025-12-02', cardEvidence(), [registered()]);
    expect(d).toEqual({
      outcome: 'eligible',
      reasons: [],
      fallbacks: [],
      qualification: qual(),
      medicalInfoShared: true,
    });
  });
});

describe('by card: cryptographic evidence comes first', () => {
  it.each([
    [{ challenge: 'invalid' }, 'CHALLENGE_INVALID'],
    [{ signature: 'invalid' }, 'SIGNATURE_INVALID'],
    [{ chain: 'untrusted' }, 'CERT_UNTRUSTED'],
  ] as const)('%o → %s, nothing disclosed', (over, code) => {
    const d = decideByCard('2025-12-02', cardEvidence(over), [registered()]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual([code]);
    expect(d.qualification).toBeNull();
    expect(d.medicalInfoShared).toBe(false);
  });

  it('reports only the first failure', () => {
    const d = decideByCard('2025-12-02', cardEvidence({ challenge: 'invalid', signature: 'invalid' }), [registered()]);
    expect(reasons(d)).toEqual(['CHALLENGE_INVALID']);
    expect(fallbacks(d)).toEqual(['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN']);
  });

  it('refuses a certificate from the day it was revoked', () => {
    const e = cardEvidence({
      certificate: { issuedOn: '2023-10-02', expiresOn: '2028-10-01', revokedOn: '2026-01-10' },
    });
    expect(decideByCard('2026-01-09', e, [registered()]).outcome).toBe('eligible');
    expect(reasons(decideByCard('2026-01-10', e, [registered()]))).toEqual(['CERT_REVOKED']);
  });

  it('refuses, on a back-dated query, a certificate issued after that day', () => {
    const d = decideByCard('2023-10-01', cardEvidence(), [registered()]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['CERT_NOT_YET_VALID']);
  });
});

describe('by card: the card itself', () => {
  it('works until the day the card is returned, then never again', () => {
    const e = cardEvidence({}, { status: 'returned', endedOn: '2026-01-10' });
    expect(decideByCard('2026-01-09', e, [registered()]).outcome).toBe('eligible');
    const d = decideByCard('2026-01-10', e, [registered()]);
    expect(reasons(d)).toEqual(['CARD_RETURNED']);
    expect(fallbacks(d)).toEqual(['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE']);
  });

  it('refuses an invalidated card (an unknown end date counts as ended)', () => {
    const d = decideByCard('2026-01-10', cardEvidence({}, { status: 'invalidated', endedOn: null }), [registered()]);
    expect(reasons(d)).toEqual(['CARD_INVALIDATED']);
  });

  it('refuses a locked PIN only when the PIN is the identity check', () => {
    const locked = (identityCheck: CardEvidence['identityCheck']) =>
      decideByCard('2026-01-10', cardEvidence({ identityCheck }, { pinLocked: true }), [registered()]);
    const byPin = locked('pin');
    expect(byPin.outcome).toBe('ineligible');
    expect(reasons(byPin)).toEqual(['CARD_PIN_LOCKED']);
    expect(fallbacks(byPin)).toEqual(['IDENTIFY_BY_FACE_OR_VISUAL', 'RENEW_AT_MUNICIPALITY']);
    expect(locked('face').outcome).toBe('eligible');
    expect(locked('visual').outcome).toBe('eligible');
  });

  it('is never registered: CARD_NOT_REGISTERED, ask for a 資格確認書', () => {
    const d = decideByCard('2026-01-10', cardEvidence({ registration: 'never' }), [registered()]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['CARD_NOT_REGISTERED']);
    expect(fallbacks(d)).toEqual(['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE']);
    expect(d.qualification).toBeNull();
  });
});

describe('story: a user certificate expiring 2026-02-10, never renewed', () => {
  const certificate = { issuedOn: '2021-02-01', expiresOn: '2026-02-10', revokedOn: null };
  const on = (asOf: string) =>
    decideByCard(
      asOf,
      cardEvidence({
        certificate,
        registration: registrationState({
          events: [{ kind: 'registered', recordedOn: '2022-01-01' }],
          certificates: [certificate],
          asOf,
        }),
      }),
      [registered()],
    );

  it('2025-11-09: plainly eligible', () => {
    expect(reasons(on('2025-11-09'))).toEqual([]);
  });

  it('2025-11-10 … 2026-02-10: eligible, advised to renew', () => {
    for (const asOf of ['2025-11-10', '2026-02-10']) {
      const d = on(asOf);
      expect(d.outcome).toBe('eligible');
      expect(reasons(d)).toEqual(['CERT_EXPIRING_SOON']);
      expect(fallbacks(d)).toEqual(['RENEW_AT_MUNICIPALITY']);
      expect(d.medicalInfoShared).toBe(true);
    }
  });

  it('2026-02-11 … 2026-05-31: grace, eligible without medical information', () => {
    for (const asOf of ['2026-02-11', '2026-05-31']) {
      const d = on(asOf);
      expect(d.outcome).toBe('eligible');
      expect(reasons(d)).toEqual(['CERT_EXPIRED_GRACE']);
      expect(fallbacks(d)).toEqual(['RENEW_AT_MUNICIPALITY']);
      expect(d.medicalInfoShared).toBe(false);
      expect(d.qualification).toEqual(qual());
    }
  });

  it('2026-06-01: expired and the registration lapsed', () => {
    const d = on('2026-06-01');
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['CERT_EXPIRED', 'CARD_REGISTRATION_CANCELLED']);
    expect(fallbacks(d)).toEqual(['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE', 'RENEW_AT_MUNICIPALITY']);
    expect(d.qualification).toBeNull();
  });
});

describe('story: the card itself expires 2026-02-10', () => {
  it('is in grace through 2026-05-31, then refused', () => {
    const e = cardEvidence({}, { expiresOn: '2026-02-10' });
    const grace = decideByCard('2026-05-31', e, [registered()]);
    expect(grace.outcome).toBe('eligible');
    expect(reasons(grace)).toContain('CARD_EXPIRED_GRACE');
    expect(grace.medicalInfoShared).toBe(false);
    const after = decideByCard('2026-06-01', e, [registered()]);
    expect(after.outcome).toBe('ineligible');
    expect(reasons(after)).toContain('CARD_EXPIRED');
  });
});

describe('story: registration cancelled, then made again', () => {
  const certificate = { issuedOn: '2023-10-02', expiresOn: '2028-10-01', revokedOn: null };
  const events = [
    { kind: 'registered', recordedOn: '2023-11-01' },
    { kind: 'cancelled', recordedOn: '2025-03-01' },
    { kind: 'registered', recordedOn: '2025-09-01' },
  ] as const;
  const on = (asOf: string) =>
    decideByCard(
      asOf,
      cardEvidence({ registration: registrationState({ events, certificates: [certificate], asOf }) }),
      [registered()],
    );

  it('works before the cancellation, not from it, and again from the new registration', () => {
    expect(on('2025-02-28').outcome).toBe('eligible');
    expect(reasons(on('2025-03-01'))).toEqual(['CARD_REGISTRATION_CANCELLED']);
    expect(reasons(on('2025-08-31'))).toEqual(['CARD_REGISTRATION_CANCELLED']);
    expect(on('2025-09-01').outcome).toBe('eligible');
  });
});

describe('story: a job change on 2026-04-01 (A lost, B acquired)', () => {
  const atA = qual({ memberId: 'm-a', insurerNumber: '06139992', lostOn: '2026-04-01' });
  const atB = qual({ memberId: 'm-b', insurerNumber: '06131234', symbol: '88', number: '1', acquiredOn: '2026-04-01' });

  it('answers with A until 2026-03-31 and with B from 2026-04-01', () => {
    const records: HubRecord[] = [
      { state: 'registered', qualification: atA },
      { state: 'registered', qualification: atB },
    ];
    expect(decideByCard('2026-03-31', cardEvidence(), records).qualification).toEqual(atA);
    const d = decideByCard('2026-04-01', cardEvidence(), records);
    expect(d.outcome).toBe('eligible');
    expect(d.reasons).toEqual([]);
    expect(d.qualification).toEqual(atB);
  });

  it('is pending while B is not yet answerable (B registered on 2026-04-01, hub from 2026-04-03)', () => {
    const pending: HubRecord[] = [
      { state: 'registered', qualification: atA },
      { state: 'pending', hubAvailableOn: '2026-04-03' },
    ];
    const d = decideByCard('2026-04-02', cardEvidence(), pending);
    expect(d.outcome).toBe('not_found');
    expect(reasons(d)).toEqual(['HUB_REGISTRATION_PENDING']);
    expect(d.reasons[0]?.en).toContain('2026-04-03');
    expect(fallbacks(d)).toEqual(['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN', 'FULL_PAYMENT_AND_CLAIM']);
    // From hubAvailableOn the service hands B over as registered.
    const later = decideByCard('2026-04-03', cardEvidence(), [
      { state: 'registered', qualification: atA },
      { state: 'registered', qualification: atB },
    ]);
    expect(later.qualification).toEqual(atB);
  });

  it('is lost when only A is known', () => {
    const d = decideByCard('2026-04-01', cardEvidence(), [{ state: 'registered', qualification: atA }]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['QUALIFICATION_LOST']);
    expect(d.qualification).toEqual(atA);
    expect(fallbacks(d)).toEqual(['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER']);
  });
});

describe('story: the 75th birthday', () => {
  it('covers the day before, transfers on the birthday', () => {
    const records = [registered({ birthDate: '1951-06-15' })];
    expect(decideByCard('2026-06-14', cardEvidence(), records).outcome).toBe('eligible');
    const d = decideByCard('2026-06-15', cardEvidence(), records);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['AGE_75_TRANSFERRED']);
    expect(d.qualification?.birthDate).toBe('1951-06-15');
    expect(fallbacks(d)).toEqual(['SHOW_CERTIFICATE', 'FULL_PAYMENT_AND_CLAIM']);
  });

  it('puts the 75th birthday of a 02-29 birth on 03-01 in a common year, as the burden ratio does', () => {
    const records = [registered({ birthDate: '1952-02-29' })];
    expect(decideByCard('2027-02-28', cardEvidence(), records).outcome).toBe('eligible');
    expect(reasons(decideByCard('2027-03-01', cardEvidence(), records))).toEqual(['AGE_75_TRANSFERRED']);
  });
});

describe('the hub', () => {
  it('is ambiguous with two valid qualifications and discloses neither', () => {
    const d = decideFromHub('2026-01-10', [registered({ memberId: 'x' }), registered({ memberId: 'y' })]);
    expect(d.outcome).toBe('ambiguous');
    expect(reasons(d)).toEqual(['MULTIPLE_QUALIFICATIONS']);
    expect(d.qualification).toBeNull();
  });

  it('names the mismatched fields, never their values', () => {
    const d = decideFromHub('2026-01-10', [{ state: 'mismatch', fields: ['name', 'address'] }]);
    expect(d.outcome).toBe('not_found');
    expect(reasons(d)).toEqual(['RESIDENT_RECORD_MISMATCH']);
    expect(d.reasons[0]?.ja).toContain('氏名・住所');
    expect(d.reasons[0]?.en).toContain('name, address');
    expect(fallbacks(d)).toEqual(['SHOW_NOTICE_WITH_CARD', 'FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER']);
  });

  it('is not registered with no record or only a missing My Number', () => {
    for (const records of [[], [{ state: 'no_my_number' }]] as HubRecord[][]) {
      const d = decideFromHub('2026-01-10', records);
      expect(d.outcome).toBe('not_found');
      expect(reasons(d)).toEqual(['HUB_NOT_REGISTERED']);
    }
  });

  it('prefers pending over a mismatch over a lost qualification', () => {
    const lost = registered({ lostOn: '2025-01-01' });
    const mismatch: HubRecord = { state: 'mismatch', fields: ['sex'] };
    const pending: HubRecord = { state: 'pending', hubAvailableOn: '2026-01-14' };
    expect(reasons(decideFromHub('2026-01-10', [lost, mismatch, pending]))).toEqual(['HUB_REGISTRATION_PENDING']);
    expect(reasons(decideFromHub('2026-01-10', [lost, mismatch]))).toEqual(['RESIDENT_RECORD_MISMATCH']);
    expect(reasons(decideFromHub('2026-01-10', [lost]))).toEqual(['QUALIFICATION_LOST']);
  });

  it('answers not started before the acquisition, with the most recent qualification', () => {
    const old = qual({ memberId: 'old', acquiredOn: '2015-01-01', lostOn: '2020-01-01' });
    const next = qual({ memberId: 'next', acquiredOn: '2026-02-01' });
    const d = decideFromHub('2026-01-10', [
      { state: 'registered', qualification: next },
      { state: 'registered', qualification: old },
    ]);
    expect(reasons(d)).toEqual(['QUALIFICATION_NOT_STARTED']);
    expect(d.qualification).toEqual(next);
  });

  it('drops the card warnings when the hub refuses', () => {
    const e = cardEvidence({ certificate: { issuedOn: '2021-02-01', expiresOn: '2026-02-10', revokedOn: null } });
    const d = decideByCard('2026-03-01', e, [registered({ lostOn: '2026-01-01' })]);
    expect(reasons(d)).toEqual(['QUALIFICATION_LOST']);
    expect(d.medicalInfoShared).toBe(false);
  });
});

describe('story: a legacy 健康保険証 issued 2023-04-01, shown by number', () => {
  const evidence = docEvidence({ document: 'legacy_card', legacyCards: [{ issuedOn: '2023-04-01' }] });
  const on = (asOf: string, records: HubRecord[] = [registered()]) => decideByNumber(asOf, evidence, records);

  it('2025-12-01: eligible, no warning, no medical information by number', () => {
    const d = on('2025-12-01');
    expect(d).toEqual({
      outcome: 'eligible',
      reasons: [],
      fallbacks: [],
      qualification: qual(),
      medicalInfoShared: false,
    });
  });

  it('2025-12-02 and 2026-03-31: eligible under the temporary measure', () => {
    for (const asOf of ['2025-12-02', '2026-03-31']) {
      const d = on(asOf);
      expect(d.outcome).toBe('eligible');
      expect(reasons(d)).toEqual(['LEGACY_CARD_TEMPORARY_MEASURE']);
      expect(d.fallbacks).toEqual([]);
    }
  });

  it('2026-04-01: refused, nothing disclosed', () => {
    const d = on('2026-04-01');
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['LEGACY_CARD_EXPIRED']);
    expect(fallbacks(d)).toEqual(['SHOW_CERTIFICATE', 'SHOW_PORTAL_SCREEN', 'APPLY_CERTIFICATE']);
    expect(d.qualification).toBeNull();
  });

  it('under the temporary measure still needs the hub to confirm the qualification', () => {
    const d = on('2025-12-15', [registered({ lostOn: '2025-11-01' })]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['QUALIFICATION_LOST']);
  });

  it('is not found for a member who was never issued one', () => {
    const none = docEvidence({ document: 'legacy_card', legacyCards: [] });
    const d = decideByNumber('2025-06-01', none, [registered({ acquiredOn: '2025-01-06' })]);
    expect(d.outcome).toBe('not_found');
    expect(reasons(d)).toEqual(['LEGACY_CARD_NOT_ISSUED']);
  });
});

describe('by number: the birth date', () => {
  it('never discloses anything to a wrong birth date', () => {
    const e = docEvidence({
      birthDateGiven: '1989-10-02',
      certificates: [
        { issuedOn: '2024-12-02', validUntil: '2026-12-01', collectedOn: null, reportedLostOn: '2025-01-10' },
      ],
      newerQualificationExists: true,
    });
    const d = decideByNumber('2025-06-01', e, [registered()]);
    expect(d.outcome).toBe('not_found');
    expect(reasons(d)).toEqual(['BIRTH_DATE_MISMATCH']);
    expect(d.qualification).toBeNull();
  });

  it('sets aside family members with another birth date (query without 枝番)', () => {
    const child = registered({ memberId: 'm-hana', branch: '01', relationship: 'dependent', birthDate: '2015-05-05' });
    const e = docEvidence({
      birthDateGiven: '2015-05-05',
      certificates: [{ issuedOn: '2024-12-02', validUntil: '2026-12-01', collectedOn: null, reportedLostOn: null }],
    });
    const d = decideByNumber('2025-06-01', e, [registered(), child]);
    expect(d.outcome).toBe('eligible');
    expect(d.qualification?.memberId).toBe('m-hana');
  });
});

describe('story: a 資格確認書 issued 2024-12-02, valid until 2026-12-01', () => {
  const cert = { issuedOn: '2024-12-02', validUntil: '2026-12-01', collectedOn: null, reportedLostOn: null };

  it('is not issued the day before, valid through its last day, expired after', () => {
    const e = docEvidence({ certificates: [cert] });
    const before = decideByNumber('2024-12-01', e, [registered()]);
    expect(before.outcome).toBe('not_found');
    expect(reasons(before)).toEqual(['CERTIFICATE_NOT_ISSUED']);
    expect(decideByNumber('2026-12-01', e, [registered()]).outcome).toBe('eligible');
    const after = decideByNumber('2026-12-02', e, [registered()]);
    expect(after.outcome).toBe('ineligible');
    expect(reasons(after)).toEqual(['CERTIFICATE_EXPIRED']);
    expect(after.qualification).toBeNull();
  });

  it('lets the newest certificate decide', () => {
    const renamed = { ...cert, collectedOn: '2025-08-01' };
    const replacement = { issuedOn: '2025-08-01', validUntil: '2027-07-31', collectedOn: null, reportedLostOn: null };
    const e = docEvidence({ certificates: [replacement, renamed] });
    expect(decideByNumber('2025-08-01', e, [registered()]).outcome).toBe('eligible');
    const lostNew = docEvidence({ certificates: [cert, { ...replacement, reportedLostOn: '2025-09-01' }] });
    expect(reasons(decideByNumber('2025-09-01', lostNew, [registered()]))).toEqual(['CERTIFICATE_REPORTED_LOST']);
  });

  it('reminds a holder aged 70–74 to show the separate certificates', () => {
    const e = docEvidence({ birthDateGiven: '1953-04-10', certificates: [cert], holdsSeparateCertificates: true });
    const d2 = decideByNumber('2025-06-01', e, [registered({ birthDate: '1953-04-10' })]);
    expect(d2.outcome).toBe('eligible');
    expect(reasons(d2)).toEqual(['SEPARATE_CERTIFICATES_REQUIRED']);
    expect(d2.fallbacks).toEqual([]);
    expect(d2.medicalInfoShared).toBe(false);
  });

  it('does not remind a legacy-card holder (RULES §1 names the 資格確認書)', () => {
    const e = docEvidence({
      document: 'legacy_card',
      legacyCards: [{ issuedOn: '2023-04-01' }],
      holdsSeparateCertificates: true,
    });
    expect(reasons(decideByNumber('2025-06-01', e, [registered()]))).toEqual([]);
  });
});

describe('story: after a job change, the old association is asked by number', () => {
  const old = registered({ lostOn: '2026-04-01' });
  const cert = { issuedOn: '2024-12-02', validUntil: '2029-12-01', collectedOn: null, reportedLostOn: null };

  it('says the qualification was lost and a newer one exists (OQS validity 3)', () => {
    const e = docEvidence({ certificates: [cert], newerQualificationExists: true });
    const d = decideByNumber('2026-04-10', e, [old]);
    expect(d.outcome).toBe('ineligible');
    expect(reasons(d)).toEqual(['QUALIFICATION_LOST', 'NEWER_QUALIFICATION_EXISTS']);
    expect(d.qualification?.lostOn).toBe('2026-04-01');
    expect(fallbacks(d)).toEqual([
      'SHOW_CERTIFICATE',
      'SHOW_NOTICE_WITH_CARD',
      'FULL_PAYMENT_AND_CLAIM',
      'CONTACT_INSURER',
    ]);
  });

  it('says so too once the certificate was collected', () => {
    const e = docEvidence({ certificates: [{ ...cert, collectedOn: '2026-04-05' }], newerQualificationExists: true });
    expect(reasons(decideByNumber('2026-04-10', e, [old]))).toEqual([
      'CERTIFICATE_COLLECTED',
      'NEWER_QUALIFICATION_EXISTS',
    ]);
  });

  it('adds nothing to an eligible or not-found answer', () => {
    const e = docEvidence({ certificates: [cert], newerQualificationExists: true });
    expect(reasons(decideByNumber('2026-03-31', e, [old]))).toEqual([]);
    const none = docEvidence({ certificates: [], newerQualificationExists: true });
    expect(reasons(decideByNumber('2026-03-31', none, [old]))).toEqual(['CERTIFICATE_NOT_ISSUED']);
  });
});

describe('by number: no registered record', () => {
  it('answers pending until hubAvailableOn without examining the document', () => {
    const e = docEvidence({ certificates: [] });
    const d = decideByNumber('2025-12-03', e, [{ state: 'pending', hubAvailableOn: '2025-12-04' }]);
    expect(d.outcome).toBe('not_found');
    expect(reasons(d)).toEqual(['HUB_REGISTRATION_PENDING']);
    expect(d.reasons[0]?.ja).toContain('2025-12-04');
  });

  it('answers not registered for an unknown number', () => {
    expect(reasons(decideByNumber('2025-12-03', docEvidence(), []))).toEqual(['HUB_NOT_REGISTERED']);
  });
});
