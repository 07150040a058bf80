import { describe, expect, it } from 'vitest';
import { insurerReference, providerReference, toOrganization } from './organization.js';
import { humanName, toPatient } from './patient.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { HL7, JP, SID } from './systems.js';

const FACTS = {
  memberId: 'm-1',
  name: '協会 太郎',
  nameKana: 'キョウカイ タロウ',
  birthDate: '1989-10-01',
  sex: 'male' as const,
};

describe('toPatient (JP_Patient)', () => {
  it('validates and carries kanji (IDE) and kana (SYL) names, sex and birth date only', () => {
    const p = toPatient(FACTS);
    expect(r4Problems(p)).toEqual([]);
    expect(p).toEqual({
      resourceType: 'Patient',
      id: 'm-1',
      meta: { profile: [JP.patientProfile] },
      identifier: [{ system: SID.member, value: 'm-1' }],
      name: [
        {
          extension: [{ url: HL7.nameRepresentation, valueCode: 'IDE' }],
          use: 'official',
          text: '協会 太郎',
          family: '協会',
          given: ['太郎'],
        },
        {
          extension: [{ url: HL7.nameRepresentation, valueCode: 'SYL' }],
          use: 'official',
          text: 'キョウカイ タロウ',
          family: 'キョウカイ',
          given: ['タロウ'],
        },
      ],
      gender: 'male',
      birthDate: '1989-10-01',
    });
  });

  it('keeps a name it cannot split as text only', () => {
    expect(humanName('ジョン スミス ジュニア', 'SYL')).toEqual({
      extension: [{ url: HL7.nameRepresentation, valueCode: 'SYL' }],
      use: 'official',
      text: 'ジョン スミス ジュニア',
    });
  });

  it('can be contained under a local id', () => {
    expect(toPatient(FACTS, 'patient').id).toBe('patient');
  });
});

describe('toOrganization (JP_Organization, insurer)', () => {
  it('validates, with the 保険者番号 as id and identifier', () => {
    const o = toOrganization({ insurerNumber: '06139992', name: 'シカク健康保険組合' });
    expect(r4Problems(o)).toEqual([]);
    expect(o.id).toBe('06139992');
    expect(o.identifier).toEqual([{ system: JP.insurerNumberSystem, value: '06139992' }]);
    expect(o.type?.[0]?.coding?.[0]?.code).toBe('pay');
  });

  it('references insurers literally and providers logically', () => {
    expect(insurerReference({ insurerNumber: '06139992', name: '' })).toEqual({ reference: 'Organization/06139992' });
    expect(providerReference('1311234566')).toEqual({
      type: 'Organization',
      identifier: { system: JP.medicalInstitutionCodeSystem, value: '1311234566' },
    });
  });
});
