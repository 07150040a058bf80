/**
 * Every URL the FHIR interface names: JP Core profiles, extensions and identifier systems (looked up
 * in jami-fhir-jp-wg/jp-core-v1x, domain-research.md §6), HL7 terminology, and our own definitions
 * under https://shikaku.dev/fhir (docs/FHIR.md describes each one).
 */

/** FHIR version served under /fhir/R4. */
export const FHIR_VERSION = '4.0.1';

/** JP Core (v1.x) canonical URLs. */
export const JP = {
  patientProfile: 'http://jpfhir.jp/fhir/core/StructureDefinition/JP_Patient',
  coverageProfile: 'http://jpfhir.jp/fhir/core/StructureDefinition/JP_Coverage',
  organizationProfile: 'http://jpfhir.jp/fhir/core/StructureDefinition/JP_Organization',
  /** 記号 (JP_Coverage.extension[insuredPersonSymbol], valueString, full-width). */
  insuredPersonSymbol: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Coverage_InsuredPersonSymbol',
  /** 番号 (JP_Coverage.extension[insuredPersonNumber], valueString, full-width). */
  insuredPersonNumber: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Coverage_InsuredPersonNumber',
  /** 枝番 (JP_Coverage.extension[insuredPersonSubNumber], valueString, 2 half-width digits). */
  insuredPersonSubNumber: 'http://jpfhir.jp/fhir/core/Extension/StructureDefinition/JP_Coverage_InsuredPersonSubNumber',
  /** JP_Coverage.identifier[insuranceIdentifier]: `保険者番号:記号:番号:枝番`. */
  insuranceMemberIdSystem: 'http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID',
  /** JP_Organization.identifier[insurerNumber]: 保険者番号. */
  insurerNumberSystem: 'http://jpfhir.jp/fhir/core/mhlw/IdSystem/InsurerNumber',
  /** JP_Organization.identifier[medicalInstitutionCode]: 医療機関コード (10 digits). */
  medicalInstitutionCodeSystem: 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no',
  /** 被保険者区分 (MHLW 別表12): 1 被保険者, 2 被扶養者. */
  insuredPersonCategory: 'http://jpfhir.jp/fhir/core/mhlw/CodeSystem/InsuredPersonCategory',
} as const;

/**
 * JP Core's tolerated OID forms of identifier systems (MHLW OIDs under 1.2.392.100495.20.3): read on
 * input and in searches as the URL forms above; we always emit the URLs.
 */
export const JP_OID = {
  /** 保険者番号 = JP.insurerNumberSystem. */
  insurerNumber: 'urn:oid:1.2.392.100495.20.3.61',
  /** 保険者番号:記号:番号:枝番 = JP.insuranceMemberIdSystem. */
  insuranceMemberId: 'urn:oid:1.2.392.100495.20.3.61.1',
  /** 記号 alone (a Coverage identifier in the OID style). */
  insuredPersonSymbol: 'urn:oid:1.2.392.100495.20.3.62',
  /** 番号 alone. */
  insuredPersonNumber: 'urn:oid:1.2.392.100495.20.3.63',
} as const;

/** A system as we compare it: the URL form of a tolerated OID, any other system unchanged. */
export function canonicalSystem(system: string): string;
export function canonicalSystem(system: string | undefined): string | undefined;
export function canonicalSystem(system: string | undefined): string | undefined {
  if (system === JP_OID.insurerNumber) return JP.insurerNumberSystem;
  if (system === JP_OID.insuranceMemberId) return JP.insuranceMemberIdSystem;
  return system;
}

/** HL7 terminology and core extensions. */
export const HL7 = {
  /** Marks a HumanName as kanji (IDE) or kana (SYL), as JP_Patient asks. */
  nameRepresentation: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation',
  copayType: 'http://terminology.hl7.org/CodeSystem/coverage-copay-type',
  benefitType: 'http://terminology.hl7.org/CodeSystem/benefit-type',
  benefitCategory: 'http://terminology.hl7.org/CodeSystem/ex-benefitcategory',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  organizationType: 'http://terminology.hl7.org/CodeSystem/organization-type',
  subscriberRelationship: 'http://terminology.hl7.org/CodeSystem/subscriber-relationship',
  restfulSecurityService: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
  ucum: 'http://unitsofmeasure.org',
  submitOperation: 'http://hl7.org/fhir/OperationDefinition/CoverageEligibilityRequest-submit',
  fmStatus: 'http://hl7.org/fhir/fm-status',
  auditEventAction: 'http://hl7.org/fhir/audit-event-action',
} as const;

/** Our own canonical base (docs/FHIR.md). */
export const SHIKAKU_BASE = 'https://shikaku.dev/fhir';

/** Our extensions (docs/FHIR.md §Extensions). */
export const EXT = {
  /** On a CoverageEligibilityRequest: the card's answer to a challenge (complex). */
  cardVerification: `${SHIKAKU_BASE}/StructureDefinition/card-verification`,
  /** On a CoverageEligibilityRequest by number: the document shown (valueCode certificate | legacy_card). */
  presentedDocument: `${SHIKAKU_BASE}/StructureDefinition/presented-document`,
  /** On a CoverageEligibilityRequest: what the patient agreed to share (complex, valueBoolean each). */
  disclosureConsent: `${SHIKAKU_BASE}/StructureDefinition/disclosure-consent`,
  /** On a CoverageEligibilityResponse: our outcome (valueCode eligible | ineligible | not_found | ambiguous). */
  verificationOutcome: `${SHIKAKU_BASE}/StructureDefinition/verification-outcome`,
  /** On a CoverageEligibilityResponse, repeated: one reason (valueCodeableConcept). */
  verificationReason: `${SHIKAKU_BASE}/StructureDefinition/verification-reason`,
  /** On a CoverageEligibilityResponse, repeated: one fallback for the clerk (valueCodeableConcept). */
  verificationFallback: `${SHIKAKU_BASE}/StructureDefinition/verification-fallback`,
} as const;

/** Our code systems, served at /fhir/R4/CodeSystem/{id} (codesystems.ts). */
export const CS = {
  reason: `${SHIKAKU_BASE}/CodeSystem/verification-reason`,
  fallback: `${SHIKAKU_BASE}/CodeSystem/verification-fallback`,
  outcome: `${SHIKAKU_BASE}/CodeSystem/verification-outcome`,
  error: `${SHIKAKU_BASE}/CodeSystem/error`,
  /** 適用区分, coded by the OQS code (OQSCD012: A01 … B06). */
  limitCategory: `${SHIKAKU_BASE}/CodeSystem/limit-category`,
  /** 特定疾病 (OQSCD013: 1 dialysis, 2 hemophilia, 3 HIV). */
  specificDisease: `${SHIKAKU_BASE}/CodeSystem/specific-disease`,
} as const;

/** Our identifier systems. */
export const SID = {
  /** A member (one person's qualification at one association): the id of Patient and Coverage. */
  member: `${SHIKAKU_BASE}/sid/member`,
  /** One answered verification (the JSON API's verificationId). */
  verification: `${SHIKAKU_BASE}/sid/verification`,
} as const;

/** The media type of every answer. */
export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
