/**
 * An association (健康保険組合, the insurer) as a JP_Organization: id and identifier are its 8-digit
 * 保険者番号 (domain-research.md §6.2). Insurers are public bodies: nothing here is personal data.
 */
import type { Identifier, Organization, Reference } from '@medplum/fhirtypes';
import { HL7, JP } from './systems.js';

export interface InsurerFacts {
  insurerNumber: string;
  name: string;
}

export function insurerIdentifier(insurerNumber: string): Identifier {
  return { system: JP.insurerNumberSystem, value: insurerNumber };
}

/** `Organization/{保険者番号}`: a literal reference to a resource this server serves. */
export function insurerReference(insurer: InsurerFacts): Reference<Organization> {
  return { reference: `Organization/${insurer.insurerNumber}`, display: insurer.name || undefined };
}

export function toOrganization(insurer: InsurerFacts): Organization {
  return {
    resourceType: 'Organization',
    id: insurer.insurerNumber,
    meta: { profile: [JP.organizationProfile] },
    identifier: [insurerIdentifier(insurer.insurerNumber)],
    active: true,
    type: [{ coding: [{ system: HL7.organizationType, code: 'pay', display: 'Payer' }] }],
    name: insurer.name,
  };
}

/** The reception (保険医療機関・薬局) as a logical reference by its 10-digit 医療機関コード. */
export function providerReference(providerCode: string): Reference<Organization> {
  return { type: 'Organization', identifier: { system: JP.medicalInstitutionCodeSystem, value: providerCode } };
}
