import { describe, expect, it } from 'vitest';
import { fallback, reason, ShikakuError } from '../domain/codes.js';
import type { VerificationAnswer, VerifiedQualification } from '../services/verification.js';
import {
  type EligibilityAnswerContext,
  fhirPathOf,
  parseEligibilityRequest,
  toEligibilityResponse,
} from './eligibility.js';
import { outcomeFromError } from './operation-outcome.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { CS, EXT, HL7, JP, SID } from './systems.js';

const MEMBER_ID = '06139992:1234:567:00';

function numberRequest(overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'CoverageEligibilityRequest',
    contained: [
      { resourceType: 'Patient', id: 'pat', birthDate: '1989-10-01' },
      {
        resourceType: 'Coverage',
        id: 'cov',
        status: 'active',
        identifier: [{ system: JP.insuranceMemberIdSystem, value: MEMBER_ID }],
        beneficiary: { reference: '#pat' },
        payor: [{ identifier: { system: JP.insurerNumberSystem, value: '06139992' } }],
      },
    ],
    extension: [{ url: EXT.presentedDocument, valueCode: 'legacy_card' }],
    status: 'active',
    purpose: ['validation'],
    patient: { reference: '#pat' },
    servicedDate: '2025-12-02',
    created: '2025-12-02T09:00:00+09:00',
    insurer: { identifier: { system: JP.insurerNumberSystem, value: '06139992' } },
    insurance: [{ coverage: { reference: '#cov' } }],
    ...overrides,
  };
}

function cardRequest(parts: Array<Record<string, unknown>>, overrides: Record<string, unknown> = {}) {
  return {
    resourceType: 'CoverageEligibilityRequest',
    extension: [
      { url: EXT.cardVerification, extension: parts },
      {
        url: EXT.disclosureConsent,
        extension: [
          { url: 'medication', valueBoolean: true },
          { url: 'limitInfo', valueBoolean: true },
        ],
      },
    ],
    status: 'active',
    purpose: ['validation'],
    patient: { display: 'unknown until the card answers' },
    created: '2025-12-02T09:00:00+09:00',
    insurer: { display: 'Shikaku' },
    ...overrides,
  };
}

const CARD_PARTS = [
  { url: 'certificate', valueString: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
  { url: 'challenge', valueBase64Binary: 'AAAA' },
  { url: 'signature', valueBase64Binary: 'BBBB' },
  { url: 'identityCheck', valueCode: 'face' },
];

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShikakuError) return { code: error.code, outcome: outcomeFromError(error) };
    throw error;
  }
  throw new Error('expected a ShikakuError');
}

describe('parseEligibilityRequest: by number', () => {
  it('reads the contained JP_Coverage identifier, the patient birth date, the document and servicedDate', () => {
    const parsed = parseEligibilityRequest(numberRequest());
    expect(parsed.request).toEqual({
      method: 'number',
      asOf: '2025-12-02',
      document: 'legacy_card',
      insurerNumber: '06139992',
      symbol: '1234',
      number: '567',
      branch: '00',
      birthDate: '1989-10-01',
    });
    expect(parsed.echo.key).toEqual({ insurerNumber: '06139992', symbol: '1234', number: '567', branch: '00' });
    expect(parsed.echo.patient).toBeUndefined(); // #pat lives only in the request
  });

  it('reads the JP Core 記号・番号・枝番 extensions (full-width) with the payor Organization', () => {
    const body = numberRequest({
      contained: [
        { resourceType: 'Patient', id: 'pat', birthDate: '1989-10-01' },
        {
          resourceType: 'Organization',
          id: 'ins',
          identifier: [{ system: JP.insurerNumberSystem, value: '06139992' }],
        },
        {
          resourceType: 'Coverage',
          id: 'cov',
          status: 'active',
          extension: [
            { url: JP.insuredPersonSymbol, valueString: '１２３４' },
            { url: JP.insuredPersonNumber, valueString: '５６７' },
          ],
          beneficiary: { reference: '#pat' },
          payor: [{ reference: '#ins' }],
        },
      ],
    });
    const { request } = parseEligibilityRequest(body);
    expect(request).toMatchObject({
      insurerNumber: '06139992',
      symbol: '1234',
      number: '567',
      birthDate: '1989-10-01',
    });
    expect('branch' in request).toBe(false);
  });

  it('reads a logical coverage reference, a Parameters wrapper and a Bundle with fullUrls', () => {
    const logical = numberRequest({
      insurance: [{ coverage: { identifier: { system: JP.insuranceMemberIdSystem, value: MEMBER_ID } } }],
    });
    expect(parseEligibilityRequest(logical).request).toMatchObject({ symbol: '1234', branch: '00' });
    expect(
      parseEligibilityRequest({
        resourceType: 'Parameters',
        parameter: [{ name: 'resource', resource: numberRequest() }],
      }).request,
    ).toMatchObject({ method: 'number', number: '567' });
    const { contained: _c, ...bare } = numberRequest({
      patient: { reference: 'urn:uuid:p' },
      insurance: [{ coverage: { reference: 'Coverage/c1' } }],
    });
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:r', resource: bare },
        { fullUrl: 'urn:uuid:p', resource: { resourceType: 'Patient', birthDate: '1989-10-01' } },
        {
          resource: {
            resourceType: 'Coverage',
            id: 'c1',
            identifier: [{ system: JP.insuranceMemberIdSystem, value: MEMBER_ID }],
          },
        },
      ],
    };
    expect(parseEligibilityRequest(bundle).request).toMatchObject({
      birthDate: '1989-10-01',
      insurerNumber: '06139992',
    });
  });

  it('lists every missing piece with a FHIRPath, coded VALIDATION_FAILED', () => {
    const { code, outcome } = issuesOf(() =>
      parseEligibilityRequest(
        numberRequest({ extension: [], patient: { display: 'x' }, contained: [], insurance: [] }),
      ),
    );
    expect(code).toBe('VALIDATION_FAILED');
    expect(outcome.issue.map((i) => i.expression?.[0])).toEqual([
      'CoverageEligibilityRequest.insurance',
      `CoverageEligibilityRequest.extension('${EXT.presentedDocument}')`,
      'CoverageEligibilityRequest.patient',
    ]);
    expect(outcome.issue.every((i) => i.details?.coding?.[0]?.code === 'VALIDATION_FAILED')).toBe(true);
  });

  it('refuses a bad status, purpose, servicedPeriod, a modifier extension and an unknown extension of ours', () => {
    const { code, outcome } = issuesOf(() =>
      parseEligibilityRequest(
        numberRequest({
          status: 'draft',
          purpose: ['auth-requirements', 'guess'],
          servicedPeriod: { start: '2025-12-01' },
          modifierExtension: [{ url: 'http://example.org/x', valueBoolean: true }],
          extension: [
            { url: EXT.presentedDocument, valueCode: 'legacy_card' },
            { url: 'https://shikaku.dev/fhir/StructureDefinition/typo', valueString: 'x' },
            { url: 'http://example.org/ignored', valueString: 'foreign extensions are ignored' },
          ],
        }),
      ),
    );
    expect(code).toBe('VALIDATION_UNKNOWN_FIELD');
    expect(outcome.issue.map((i) => i.expression?.[0])).toEqual([
      'CoverageEligibilityRequest.status',
      'CoverageEligibilityRequest.purpose',
      'CoverageEligibilityRequest.purpose',
      'CoverageEligibilityRequest.servicedPeriod',
      'CoverageEligibilityRequest.modifierExtension',
      "CoverageEligibilityRequest.extension('https://shikaku.dev/fhir/StructureDefinition/typo')",
    ]);
  });

  it('refuses a wrong resource type and a malformed member identifier', () => {
    expect(issuesOf(() => parseEligibilityRequest({ resourceType: 'Claim' })).code).toBe('VALIDATION_FAILED');
    expect(issuesOf(() => parseEligibilityRequest('nope')).code).toBe('VALIDATION_FAILED');
    const bad = numberRequest({
      insurance: [{ coverage: { identifier: { system: JP.insuranceMemberIdSystem, value: '06139992-1234' } } }],
    });
    expect(issuesOf(() => parseEligibilityRequest(bad)).outcome.issue[0]?.expression).toEqual([
      'CoverageEligibilityRequest.insurance[0].coverage.identifier',
    ]);
  });
});

describe('parseEligibilityRequest: by card', () => {
  it('reads the card-verification and disclosure-consent extensions', () => {
    const parsed = parseEligibilityRequest(cardRequest(CARD_PARTS, { servicedDate: '2025-12-02' }));
    expect(parsed.request).toEqual({
      method: 'card',
      asOf: '2025-12-02',
      card: {
        certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
        challenge: 'AAAA',
        signature: 'BBBB',
      },
      identityCheck: 'face',
      consent: { medication: true, limitInfo: true },
    });
    expect(parsed.echo.key).toBeUndefined();
  });

  it('turns a DER certificate (valueBase64Binary) into PEM', () => {
    const der = 'A'.repeat(100);
    const parts = [{ url: 'certificate', valueBase64Binary: der }, ...CARD_PARTS.slice(1)];
    const { request } = parseEligibilityRequest(cardRequest(parts));
    expect(request.method === 'card' && request.card.certificate).toBe(
      `-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n${'A'.repeat(36)}\n-----END CERTIFICATE-----\n`,
    );
  });

  it('names each missing or unknown part of the card extension', () => {
    const { outcome } = issuesOf(() =>
      parseEligibilityRequest(
        cardRequest([
          { url: 'challenge', valueBase64Binary: 'AAAA' },
          { url: 'pin', valueString: '1234' },
        ]),
      ),
    );
    expect(outcome.issue.map((i) => [i.details?.coding?.[0]?.code, i.expression?.[0]])).toEqual([
      ['VALIDATION_UNKNOWN_FIELD', `CoverageEligibilityRequest.extension('${EXT.cardVerification}').extension('pin')`],
      ['VALIDATION_FAILED', `CoverageEligibilityRequest.extension('${EXT.cardVerification}').extension('certificate')`],
      ['VALIDATION_FAILED', `CoverageEligibilityRequest.extension('${EXT.cardVerification}').extension('signature')`],
      [
        'VALIDATION_FAILED',
        `CoverageEligibilityRequest.extension('${EXT.cardVerification}').extension('identityCheck')`,
      ],
    ]);
  });

  it('maps the JSON schema’s paths back to FHIR', () => {
    expect(fhirPathOf(['insurerNumber'])).toBe('CoverageEligibilityRequest.insurance[0].coverage');
    expect(fhirPathOf(['asOf'])).toBe('CoverageEligibilityRequest.servicedDate');
    expect(fhirPathOf(['card', 'signature'])).toBe(
      `CoverageEligibilityRequest.extension('${EXT.cardVerification}').extension('signature')`,
    );
    expect(fhirPathOf(['consent', 'limitInfo'])).toBe(
      `CoverageEligibilityRequest.extension('${EXT.disclosureConsent}').extension('limitInfo')`,
    );
    expect(fhirPathOf(['birthDate'])).toBe('CoverageEligibilityRequest.patient');
  });
});

// ---------------------------------------------------------------------------------------------------

const QUALIFICATION: VerifiedQualification = {
  insurerNumber: '06139992',
  insurerName: 'シカク健康保険組合',
  symbol: '1234',
  number: '567',
  branch: '00',
  relationship: 'insured',
  name: '協会 太郎',
  nameKana: 'キョウカイ タロウ',
  birthDate: '1989-10-01',
  sex: 'male',
  acquiredOn: '2012-04-01',
  lostOn: null,
  burdenRatio: 30,
  limitCategory: null,
  specificDisease: [],
};

function context(
  answer: Omit<VerificationAnswer, 'verificationId'>,
  overrides: Partial<EligibilityAnswerContext> = {},
) {
  const byNumber = parseEligibilityRequest(numberRequest());
  return {
    answer: { ...answer, verificationId: 'v-1' },
    echo: byNumber.echo,
    memberId: answer.qualification ? 'member-1' : null,
    asOf: '2025-12-02',
    ratioDate: answer.qualification ? '2025-12-02' : null,
    created: '2025-12-02T01:00:00.000Z',
    providerCode: '1311234566',
    ...overrides,
  } satisfies EligibilityAnswerContext;
}

function extensionsOf(
  r: {
    extension?: Array<{
      url?: string;
      valueCode?: string;
      valueCodeableConcept?: { coding?: Array<{ code?: string }> };
    }>;
  },
  url: string,
) {
  return (r.extension ?? [])
    .filter((e) => e.url === url)
    .map((e) => e.valueCode ?? e.valueCodeableConcept?.coding?.[0]?.code);
}

describe('toEligibilityResponse', () => {
  it('eligible: complete, inforce, contained JP_Patient and JP_Coverage, the ratio as copay-percent', () => {
    const r = toEligibilityResponse(
      context({
        outcome: 'eligible',
        reasons: [reason('LEGACY_CARD_TEMPORARY_MEASURE')],
        fallbacks: [],
        qualification: QUALIFICATION,
      }),
    );
    expect(r4Problems(r)).toEqual([]);
    expect(r.outcome).toBe('complete');
    expect(extensionsOf(r, EXT.verificationOutcome)).toEqual(['eligible']);
    expect(extensionsOf(r, EXT.verificationReason)).toEqual(['LEGACY_CARD_TEMPORARY_MEASURE']);
    expect(r.identifier).toEqual([{ system: SID.verification, value: 'v-1' }]);
    expect(r.patient).toEqual({ reference: '#patient', display: '協会 太郎' });
    expect(r.insurer).toEqual({ reference: 'Organization/06139992', display: 'シカク健康保険組合' });
    expect(r.servicedDate).toBe('2025-12-02');
    expect(r.requestor?.identifier?.value).toBe('1311234566');
    expect(r.contained?.map((c) => `${c.resourceType}/${c.id}`)).toEqual(['Patient/patient', 'Coverage/coverage']);
    const insurance = r.insurance?.[0];
    expect(insurance?.inforce).toBe(true);
    expect(insurance?.coverage).toEqual({ reference: '#coverage', display: MEMBER_ID });
    expect(insurance?.benefitPeriod).toEqual({ start: '2012-04-01' });
    expect(insurance?.item).toEqual([
      {
        category: { coding: [{ system: HL7.benefitCategory, code: '30', display: 'Health Benefit Plan Coverage' }] },
        name: '一部負担金の割合 / Burden ratio',
        benefit: [
          {
            type: {
              coding: [{ system: HL7.benefitType, code: 'copay-percent', display: 'Copayment Percent per service' }],
            },
            allowedUnsignedInt: 30,
          },
        ],
      },
    ]);
    expect(r.error).toBeUndefined();
    expect(r.disposition).toMatch(/^資格有効：.*暫定措置.*。 \/ Eligible: .*temporary measure.*\.$/u);
    expect(JSON.stringify(r)).not.toMatch(/myNumber|\d{12}/u);
  });

  it('with consent: the limit category as OQS code, with the month’s limit (flat or formula)', () => {
    const withLimit = (category: VerifiedQualification['limitCategory'], ratioDate: string) =>
      toEligibilityResponse(
        context(
          {
            outcome: 'eligible',
            reasons: [],
            fallbacks: [],
            qualification: { ...QUALIFICATION, limitCategory: category },
          },
          { ratioDate },
        ),
      );
    const u = withLimit('ウ', '2025-12-02');
    expect(r4Problems(u)).toEqual([]);
    expect(u.insurance?.[0]?.item?.[1]?.benefit?.[0]).toEqual({
      type: { coding: [{ system: CS.limitCategory, code: 'A03', display: 'ウ' }], text: '区分ウ' },
      allowedString: '80,100円＋（総医療費−267,000円）×1％',
    });
    const e = withLimit('エ', '2025-12-02');
    expect(e.insurance?.[0]?.item?.[1]?.benefit?.[0]?.allowedMoney).toEqual({ value: 57_600, currency: 'JPY' });
    expect(r4Problems(e)).toEqual([]);
  });

  it('ineligible with the qualification: inforce=false, benefitPeriod ending the day before lostOn', () => {
    const r = toEligibilityResponse(
      context({
        outcome: 'ineligible',
        reasons: [reason('QUALIFICATION_LOST')],
        fallbacks: [fallback('FULL_PAYMENT_AND_CLAIM'), fallback('CONTACT_INSURER')],
        qualification: { ...QUALIFICATION, lostOn: '2025-12-01' },
      }),
    );
    expect(r4Problems(r)).toEqual([]);
    expect(r.insurance?.[0]).toMatchObject({
      inforce: false,
      benefitPeriod: { start: '2012-04-01', end: '2025-11-30' },
    });
    expect(extensionsOf(r, EXT.verificationFallback)).toEqual(['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER']);
    expect(r.disposition).toMatch(/対応：.*10割.*Next: Pay in full/u);
    expect(r.error).toBeUndefined();
  });

  it('ineligible with nothing disclosed: inforce=false about what was presented, nothing contained', () => {
    const byNumber = toEligibilityResponse(
      context({ outcome: 'ineligible', reasons: [reason('LEGACY_CARD_EXPIRED')], fallbacks: [], qualification: null }),
    );
    expect(r4Problems(byNumber)).toEqual([]);
    expect(byNumber.contained).toBeUndefined();
    expect(byNumber.insurance).toEqual([
      {
        coverage: {
          type: 'Coverage',
          identifier: { system: JP.insuranceMemberIdSystem, value: MEMBER_ID },
          display: MEMBER_ID,
        },
        inforce: false,
      },
    ]);
    expect(byNumber.insurer).toEqual({
      type: 'Organization',
      identifier: { system: JP.insurerNumberSystem, value: '06139992' },
    });
    const card = parseEligibilityRequest(cardRequest(CARD_PARTS));
    const byCard = toEligibilityResponse(
      context(
        { outcome: 'ineligible', reasons: [reason('CHALLENGE_INVALID')], fallbacks: [], qualification: null },
        { echo: card.echo },
      ),
    );
    expect(r4Problems(byCard)).toEqual([]);
    expect(byCard.insurance?.[0]?.inforce).toBe(false);
    expect(byCard.patient).toEqual({ display: '照会対象の患者 / the patient of the request' });
  });

  it('not_found and ambiguous: no insurance, the reasons as error[] in our code system', () => {
    for (const [outcome, code] of [
      ['not_found', 'HUB_REGISTRATION_PENDING'],
      ['ambiguous', 'MULTIPLE_QUALIFICATIONS'],
    ] as const) {
      const detailed = { ...reason(code), ja: `${reason(code).ja}（照会可能日: 2025-11-26）` };
      const r = toEligibilityResponse(
        context({ outcome, reasons: [detailed], fallbacks: [fallback('SHOW_NOTICE_WITH_CARD')], qualification: null }),
      );
      expect(r4Problems(r)).toEqual([]);
      expect(r.outcome).toBe('complete');
      expect(r.insurance).toBeUndefined();
      expect(r.error).toEqual([
        { code: { coding: [{ system: CS.reason, code, display: reason(code).en }], text: detailed.ja } },
      ]);
      expect(extensionsOf(r, EXT.verificationOutcome)).toEqual([outcome]);
    }
  });
});
