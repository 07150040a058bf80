/** FHIR request builders the tests share. */
import { EXT, JP } from '../../src/fhir/systems.js';

export interface NumberCheck {
  insurerNumber: string;
  /** 保険者番号:記号:番号:枝番 (JP_Insurance_memberID). */
  memberKey: string;
  birthDate: string;
  servicedDate: string;
  /** insurance[0].coverage instead of the JP_Insurance_memberID identifier. */
  coverage?: object;
  /** The request's insurer instead of the InsurerNumber identifier. */
  insurer?: object;
}

/** A CoverageEligibilityRequest by number on a legacy card (the patient's birth date contained). */
export function eligibilityByNumber(c: NumberCheck) {
  return {
    resourceType: 'CoverageEligibilityRequest',
    contained: [{ resourceType: 'Patient', id: 'p', birthDate: c.birthDate }],
    extension: [{ url: EXT.presentedDocument, valueCode: 'legacy_card' }],
    status: 'active',
    purpose: ['validation'],
    patient: { reference: '#p' },
    servicedDate: c.servicedDate,
    created: `${c.servicedDate}T09:00:00+09:00`,
    insurer: c.insurer ?? { identifier: { system: JP.insurerNumberSystem, value: c.insurerNumber } },
    insurance: [{ coverage: c.coverage ?? { identifier: { system: JP.insuranceMemberIdSystem, value: c.memberKey } } }],
  };
}
