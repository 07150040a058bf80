/**
 * The CapabilityStatement served at /fhir/R4/metadata: what this server does, in FHIR's own terms
 * (JP Core profiles, search parameters, $submit). Kept beside the routes' behaviour by listing the
 * same search parameters the routes accept (SEARCH_PARAMS).
 */
import type { CapabilityStatement, CapabilityStatementRestResource, OperationDefinition } from '@medplum/fhirtypes';
import { FHIR_VERSION, HL7, JP, SHIKAKU_BASE } from './systems.js';

type SearchParamType = 'token' | 'reference' | 'date' | 'string' | 'uri' | 'number';

/** Search parameters each resource type accepts (besides _count, _format and _pretty). */
export const SEARCH_PARAMS = {
  Patient: { _id: 'token', identifier: 'token', birthdate: 'date' },
  Coverage: { _id: 'token', identifier: 'token', beneficiary: 'reference', patient: 'reference' },
  Organization: { _id: 'token', identifier: 'token' },
  CodeSystem: { _id: 'token', url: 'uri' },
  AuditEvent: { _id: 'token', patient: 'reference', date: 'date', action: 'token' },
} as const satisfies Record<string, Record<string, SearchParamType>>;

export const CHALLENGE_OPERATION = `${SHIKAKU_BASE}/OperationDefinition/CoverageEligibilityRequest-challenge`;

function searchable(
  type: keyof typeof SEARCH_PARAMS,
  documentation: string,
  profile?: string,
): CapabilityStatementRestResource {
  return {
    type,
    ...(profile ? { supportedProfile: [profile] } : {}),
    documentation,
    interaction: [{ code: 'read' }, { code: 'search-type' }],
    searchParam: Object.entries(SEARCH_PARAMS[type]).map(([name, t]) => ({ name, type: t })),
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
        documentation:
          'Eligibility (オンライン資格確認) with the same decision as POST /api/v1/verifications. ' +
          'A provider sees a Patient or Coverage only after a verification disclosed it to that provider. ' +
          'JSON only; every error is an OperationOutcome with a stable code (docs/FHIR.md).',
        security: {
          cors: false,
          description:
            'Authorization: Bearer <token> (shikaku token create). Roles: provider for Patient, Coverage and ' +
            'eligibility; admin and operator for AuditEvent; any role for Organization; metadata and CodeSystem are public.',
        },
        resource: [
          searchable(
            'Patient',
            'Members disclosed to this provider by a verification (JP_Patient).',
            JP.patientProfile,
          ),
          searchable(
            'Coverage',
            'Qualifications disclosed to this provider by a verification (JP_Coverage); identifier = JP_Insurance_memberID 保険者番号:記号:番号:枝番.',
            JP.coverageProfile,
          ),
          searchable('Organization', 'Hosted associations (保険者), id = 保険者番号.', JP.organizationProfile),
          {
            type: 'CoverageEligibilityRequest',
            documentation:
              'POST a request (or use $submit): answered at once with a CoverageEligibilityResponse. ' +
              'By number: insurance[0].coverage (JP_Insurance_memberID) + patient birthDate + presented-document extension. ' +
              'By card: the card-verification extension, with a challenge from $challenge.',
            interaction: [{ code: 'create' }],
            operation: [
              { name: 'submit', definition: HL7.submitOperation },
              { name: 'challenge', definition: CHALLENGE_OPERATION },
            ],
          },
          searchable('CodeSystem', 'Our code systems: reasons, fallbacks, outcomes, errors, limit categories.'),
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
