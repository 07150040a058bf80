/**
 * The CapabilityStatement served at /fhir/R4/metadata: what this server does, in FHIR's own terms
 * (JP Core profiles, search parameters, $submit). Kept beside the routes' behaviour by listing the
 * same search parameters the routes accept (SEARCH_PARAMS).
 */
import type { CapabilityStatement, CapabilityStatementRestResource, OperationDefinition } from '@medplum/fhirtypes';
import { FHIR_VERSION, HL7, JP, SHIKAKU_BASE } from './systems.js';

type SearchParamType = 'token' | 'reference' | 'date' | 'string' | 'uri' | 'number';

/**
 * Search parameters each resource type accepts (besides the result parameters): every one filters,
 * which test/fhir-search-params.test.ts checks one by one.
 */
export const SEARCH_PARAMS = {
  Patient: { _id: 'token', identifier: 'token', birthdate: 'date' },
  Coverage: {
    _id: 'token',
    identifier: 'token',
    beneficiary: 'reference',
    patient: 'reference',
    payor: 'reference',
    status: 'token',
    subscriber: 'reference',
    dependent: 'string',
    type: 'token',
  },
  Organization: { _id: 'token', identifier: 'token' },
  CodeSystem: { _id: 'token', url: 'uri' },
  AuditEvent: { _id: 'token', patient: 'reference', date: 'date', action: 'token', type: 'token' },
} as const satisfies Record<string, Record<string, SearchParamType>>;

/** The HL7 SearchParameter each of ours is (R4 core), for clients that look them up. */
const CORE_DEFINITION: Record<string, string> = {
  _id: 'http://hl7.org/fhir/SearchParameter/Resource-id',
  identifier: 'http://hl7.org/fhir/SearchParameter/clinical-identifier',
  birthdate: 'http://hl7.org/fhir/SearchParameter/individual-birthdate',
  url: 'http://hl7.org/fhir/SearchParameter/CodeSystem-url',
};

/** Result parameters every search accepts: they shape the answer, never widen it (docs/FHIR.md). */
const RESULT_PARAMS: Array<{ name: string; type: SearchParamType; documentation: string }> = [
  { name: '_count', type: 'number', documentation: 'Page size, default 50, at most 100; 0 = the total only' },
  { name: '_summary', type: 'token', documentation: 'count (the total only), data or false' },
  { name: '_total', type: 'token', documentation: 'none, estimate or accurate (always exact)' },
  { name: '_elements', type: 'string', documentation: 'Top-level elements to keep (marked SUBSETTED)' },
  { name: '_sort', type: 'string', documentation: '_id (all types), date (AuditEvent); - for descending' },
];

export const CHALLENGE_OPERATION = `${SHIKAKU_BASE}/OperationDefinition/CoverageEligibilityRequest-challenge`;

function searchable(
  type: keyof typeof SEARCH_PARAMS,
  documentation: string,
  profile?: string,
  versioned = false,
): CapabilityStatementRestResource {
  return {
    type,
    ...(profile ? { supportedProfile: [profile] } : {}),
    documentation,
    interaction: versioned
      ? [{ code: 'read' }, { code: 'vread' }, { code: 'history-instance' }, { code: 'search-type' }]
      : [{ code: 'read' }, { code: 'search-type' }],
    versioning: versioned ? 'versioned' : 'no-version',
    readHistory: versioned,
    updateCreate: false,
    conditionalCreate: false,
    conditionalRead: 'not-supported',
    conditionalUpdate: false,
    conditionalDelete: 'not-supported',
    searchParam: Object.entries(SEARCH_PARAMS[type]).map(([name, t]) => ({
      name,
      type: t,
      ...(CORE_DEFINITION[name] ? { definition: CORE_DEFINITION[name] } : {}),
    })),
  };
}

export interface CapabilityOptions {
  /** The software's version (package.json). */
  version: string;
  /** When this statement was produced (ISO instant). */
  date: string;
  /** The base URL clients reached, when known. */
  url?: string | undefined;
}

export function capabilityStatement(options: CapabilityOptions): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'Shikaku',
    kind: 'instance',
    software: { name: 'Shikaku', version: options.version },
    implementation: {
      description: 'Shikaku — 資格確認 (health-insurance eligibility), FHIR R4 with JP Core',
      ...(options.url ? { url: options.url } : {}),
    },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    implementationGuide: ['http://jpfhir.jp/fhir/core/ImplementationGuide/jpfhir.jp.core'],
    rest: [
      {
        mode: 'server',
        searchParam: RESULT_PARAMS,
        documentation:
          'Eligibility (オンライン資格確認) with the same decision as POST /api/v1/verifications. ' +
          'A provider sees a Patient or Coverage only after a verification disclosed it to that provider. ' +
          'JSON only; every error is an OperationOutcome with a stable code (docs/FHIR.md).',
        security: {
          cors: false,
          service: [
            {
              coding: [{ system: HL7.restfulSecurityService, code: 'OAuth', display: 'OAuth' }],
              text: 'Bearer tokens (RFC 6750), issued by `shikaku token create`',
            },
          ],
          description:
            'Authorization: Bearer <token> (shikaku token create). Roles: provider for Patient, Coverage and ' +
            'eligibility; admin and operator for AuditEvent; any role for Organization; metadata and CodeSystem are public.',
        },
        resource: [
          searchable(
            'Patient',
            'Members disclosed to this provider by a verification (JP_Patient); one version per change the association recorded, up to what was disclosed.',
            JP.patientProfile,
            true,
          ),
          searchable(
            'Coverage',
            'Qualifications disclosed to this provider by a verification (JP_Coverage); identifier = JP_Insurance_memberID 保険者番号:記号:番号:枝番; one version per change the association recorded, up to what was disclosed.',
            JP.coverageProfile,
            true,
          ),
          searchable('Organization', 'Hosted associations (保険者), id = 保険者番号.', JP.organizationProfile),
          {
            type: 'CoverageEligibilityRequest',
            documentation:
              'POST the request to $submit: answered at once with a CoverageEligibilityResponse (requests are not stored: no create). ' +
              'By number: insurance[0].coverage (JP_Insurance_memberID) + patient birthDate + presented-document extension. ' +
              'By card: the card-verification extension, with a challenge from $challenge.',
            operation: [
              { name: 'submit', definition: HL7.submitOperation },
              { name: 'challenge', definition: CHALLENGE_OPERATION },
            ],
          },
          searchable(
            'CodeSystem',
            'Our code systems: reasons, fallbacks, outcomes, errors, limit categories, specific diseases, audit actions.',
          ),
          {
            type: 'OperationDefinition',
            documentation: 'Our operations ($challenge); $submit is HL7’s own.',
            interaction: [{ code: 'read' }],
          },
          searchable('AuditEvent', 'The audit trail (disclosures), for admins of an association and operators.'),
        ],
      },
    ],
  };
}

/**
 * $challenge: a fresh, single-use challenge (5 minutes) for the card to sign, the FHIR twin of
 * GET /api/v1/verifications/challenge (same service, same table).
 */
export function challengeOperationDefinition(): OperationDefinition {
  return {
    resourceType: 'OperationDefinition',
    id: 'CoverageEligibilityRequest-challenge',
    url: CHALLENGE_OPERATION,
    name: 'Challenge',
    title: '照会用チャレンジ / Challenge for a card check',
    status: 'active',
    kind: 'operation',
    code: 'challenge',
    description:
      'A fresh challenge (base64 of 32 random bytes), single use and valid 5 minutes, bound to the calling ' +
      'provider. The card signs it; the request carries certificate, challenge and signature in the ' +
      'card-verification extension.',
    resource: ['CoverageEligibilityRequest'],
    system: false,
    type: true,
    instance: false,
    affectsState: true,
    parameter: [
      { name: 'challenge', use: 'out', min: 1, max: '1', type: 'base64Binary', documentation: 'What the card signs' },
      { name: 'expiresAt', use: 'out', min: 1, max: '1', type: 'instant', documentation: 'After this it is stale' },
    ],
  };
}
