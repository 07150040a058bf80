/**
 * A member as disclosed to a provider, as a JP_Patient (domain-research.md §6.2): kanji and kana
 * names as two HumanNames marked IDE / SYL, sex, birth date. The id is the member id (one person's
 * qualification at one association); the person's My Number, address and anything else the
 * registry holds are never part of it.
 */
import type { HumanName, Patient } from '@medplum/fhirtypes';
import type { Sex } from '../domain/member.js';
import { HL7, JP, SID } from './systems.js';

export interface PatientFacts {
  memberId: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: Sex;
}

/**
 * One name. Stored names have one ASCII space between family and given name (RULES.md §8), so a
 * name of exactly two parts is split; anything else is kept as text only.
 */
export function humanName(text: string, representation: 'IDE' | 'SYL'): HumanName {
  const parts = text.split(' ').filter((p) => p.length > 0);
  return {
    extension: [{ url: HL7.nameRepresentation, valueCode: representation }],
    use: 'official',
    text,
    ...(parts.length === 2 ? { family: parts[0], given: [parts[1] as string] } : {}),
  };
}

/** The JP_Patient of a member; `id` is the member id, or a local id when contained. */
export function toPatient(facts: PatientFacts, id: string = facts.memberId): Patient {
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [JP.patientProfile] },
    identifier: [{ system: SID.member, value: facts.memberId }],
    name: [humanName(facts.name, 'IDE'), humanName(facts.nameKana, 'SYL')],
    gender: facts.sex,
    birthDate: facts.birthDate,
  };
}
