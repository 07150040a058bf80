import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoDate, isoDateNear } from './arbitraries.test-helper.js';
import type { ReasonCode } from './codes.js';
import {
  type CardEvidence,
  type Decision,
  type DocumentEvidence,
  decideByCard,
  decideByNumber,
  decideFromHub,
  fallbacksFor,
  type HubRecord,
  type QualificationFacts,
  qualificationProblemOn,
} from './verification.js';

const RUNS = { numRuns: 500 };

/** Reasons that may go with an eligible answer (warnings); any other outcome carries blocking ones. */
const WARNINGS = new Set<string>([
  'CARD_EXPIRED_GRACE',
  'CERT_EXPIRED_GRACE',
  'CERT_EXPIRING_SOON',
  'LEGACY_CARD_TEMPORARY_MEASURE',
  'SEPARATE_CERTIFICATES_REQUIRED',
]);

const date = isoDateNear('1930-01-01', '2040-12-31');
const recent = isoDateNear('2015-01-01', '2035-12-31');
const birthDates = fc.constantFrom('1950-03-15', '1989-10-01', '2020-04-01', '1956-02-29');

const qualification: fc.Arbitrary<QualificationFacts> = fc.record({
  memberId: fc.uuid(),
  insurerNumber: fc.constantFrom('06139992', '06131239'),
  symbol: fc.constantFrom('1234', '5678'),
  number: fc.constantFrom('1', '567'),
  branch: fc.constantFrom('00', '01'),
  relationship: fc.constantFrom('insured' as const, 'dependent' as const),
  birthDate: birthDates,
  acquiredOn: recent,
  lostOn: fc.option(recent, { nil: null }),
});

const hubRecord: fc.Arbitrary<HubRecord> = fc.oneof(
  { weight: 4, arbitrary: qualification.map((q) => ({ state: 'registered' as const, qualification: q })) },
  { weight: 1, arbitrary: recent.map((d) => ({ state: 'pending' as const, hubAvailableOn: d })) },
  {
    weight: 1,
    arbitrary: fc
      .subarray(['name', 'nameKana', 'birthDate', 'sex', 'address'])
      .map((fields) => ({ state: 'mismatch' as const, fields })),
  },
  { weight: 1, arbitrary: fc.constant({ state: 'no_my_number' as const }) },
);
const hubRecords = fc.array(hubRecord, { maxLength: 4 });

const cardEvidence: fc.Arbitrary<CardEvidence> = fc.record({
  challenge: fc.constantFrom('valid' as const, 'valid' as const, 'invalid' as const),
  signature: fc.constantFrom('valid' as const, 'valid' as const, 'invalid' as const),
  chain: fc.constantFrom('trusted' as const, 'trusted' as const, 'untrusted' as const),
  certificate: fc.record({ issuedOn: recent, expiresOn: recent, revokedOn: fc.option(recent, { nil: null }) }),
  card: fc.record({
    kind: fc.constantFrom('card' as const, 'smartphone' as const),
    expiresOn: recent,
    status: fc.constantFrom('active' as const, 'active' as const, 'returned' as const, 'invalidated' as const),
    endedOn: fc.option(recent, { nil: null }),
    pinLocked: fc.boolean(),
  }),
  registration: fc.constantFrom(
    'active' as const,
    'active' as const,
    'never' as const,
    'cancelled' as const,
    'lapsed' as const,
  ),
  identityCheck: fc.constantFrom('face' as const, 'pin' as const, 'visual' as const),
});

const documentEvidence: fc.Arbitrary<DocumentEvidence> = fc.record({
  document: fc.constantFrom('legacy_card' as const, 'certificate' as const, 'notice' as const),
  birthDateGiven: fc.oneof(birthDates, date),
  legacyCards: fc.array(fc.record({ issuedOn: recent }), { maxLength: 2 }),
  certificates: fc.array(
    fc.record({
      issuedOn: recent,
      validUntil: recent,
      collectedOn: fc.option(recent, { nil: null }),
      reportedLostOn: fc.option(recent, { nil: null }),
    }),
    { maxLength: 2 },
  ),
  holdsSeparateCertificates: fc.boolean(),
  newerQualificationExists: fc.boolean(),
});

/** The contract every Decision keeps (src/domain/verification.ts module note). */
function expectConsistent(d: Decision, asOf: string): void {
  const codes = d.reasons.map((r) => r.code);
  for (const r of [...d.reasons, ...d.fallbacks]) {
    expect(r.ja.length).toBeGreaterThan(0);
    expect(r.en.length).toBeGreaterThan(0);
  }
  expect(d.fallbacks.map((f) => f.code)).toEqual(fallbacksFor(codes as ReasonCode[]).map((f) => f.code));
  switch (d.outcome) {
    case 'eligible':
      expect(d.qualification).not.toBeNull();
      if (d.qualification) expect(qualificationProblemOn(d.qualification, asOf)).toBeNull();
      for (const c of codes) expect(WARNINGS, c).toContain(c);
      break;
    case 'ineligible':
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(WARNINGS, c).not.toContain(c);
      // Disclosed only when the qualification itself is why (lost, not started, moved at 75).
      if (d.qualification) expect(qualificationProblemOn(d.qualification, asOf)).not.toBeNull();
      expect(d.medicalInfoShared).toBe(false);
      break;
    case 'not_found':
    case 'ambiguous':
      expect(codes.length).toBeGreaterThan(0);
      for (const c of codes) expect(WARNINGS, c).not.toContain(c);
      expect(d.qualification).toBeNull();
      expect(d.medicalInfoShared).toBe(false);
      break;
  }
  if (d.outcome === 'ambiguous') expect(codes).toEqual(['MULTIPLE_QUALIFICATIONS']);
}

describe('the verification decision (properties, RULES.md §1, §4, §5)', () => {
  it('decideFromHub is total and consistent', () => {
    fc.assert(
      fc.property(date, hubRecords, (asOf, records) => {
        expectConsistent(decideFromHub(asOf, records), asOf);
      }),
      RUNS,
    );
  });

  it('decideByCard is total and consistent; an unproven card discloses nothing and shares nothing', () => {
    fc.assert(
      fc.property(date, cardEvidence, hubRecords, (asOf, evidence, records) => {
        const d = decideByCard(asOf, evidence, records);
        expectConsistent(d, asOf);
        const proven = evidence.challenge === 'valid' && evidence.signature === 'valid' && evidence.chain === 'trusted';
        if (!proven) {
          expect(d.outcome).toBe('ineligible');
          expect(d.qualification).toBeNull();
          expect(d.reasons).toHaveLength(1);
        }
        if (d.medicalInfoShared) {
          expect(d.outcome).toBe('eligible');
          expect(d.reasons.map((r) => r.code)).not.toContain('CERT_EXPIRED_GRACE');
          expect(d.reasons.map((r) => r.code)).not.toContain('CARD_EXPIRED_GRACE');
        }
      }),
      RUNS,
    );
  });

  it('decideByNumber is total and consistent; it never discloses someone of another birth date', () => {
    fc.assert(
      fc.property(date, documentEvidence, hubRecords, (asOf, evidence, records) => {
        const d = decideByNumber(asOf, evidence, records);
        expectConsistent(d, asOf);
        if (d.qualification) expect(d.qualification.birthDate).toBe(evidence.birthDateGiven);
        expect(d.medicalInfoShared).toBe(false);
      }),
      RUNS,
    );
  });

  it('a lone registered qualification is eligible exactly on the days it covers', () => {
    fc.assert(
      fc.property(qualification, isoDate('2015-01-01', '2035-12-31'), (q, asOf) => {
        const d = decideFromHub(asOf, [{ state: 'registered', qualification: q }]);
        expect(d.outcome === 'eligible').toBe(qualificationProblemOn(q, asOf) === null);
      }),
      RUNS,
    );
  });
});
