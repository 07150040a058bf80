/**
 * A qualification as a JP_Coverage (domain-research.md §6.1; JP_Coverage.fsh in jp-core-v1x):
 * - identifier[insuranceIdentifier]: system JP_Insurance_memberID, value `保険者番号:記号:番号:枝番`
 *   (half-width, as the registry holds them: JP Core allows all half-width or all full-width);
 * - extensions JP_Coverage_InsuredPersonSymbol / …Number in full-width and …SubNumber as 2 half-width
 *   digits, as the extension definitions ask; subscriberId `記号:番号` (full-width), dependent = 枝番;
 * - relationship from MHLW InsuredPersonCategory (1 被保険者, 2 被扶養者), plus HL7 `self` for the insured;
 * - period = acquiredOn … the day before lostOn; payor = the insurer Organization;
 * - costToBeneficiary `copaypct` = the burden ratio in percent (anchors-and-style.md A.3).
 */
import type { Coverage, Identifier, Organization, Patient, Reference } from '@medplum/fhirtypes';
import type { BurdenRatio } from '../domain/burden.js';
import { addDays } from '../domain/dates.js';
import type { Relationship } from '../domain/member.js';
import type { TokenParam } from './search.js';
import { HL7, JP, JP_OID } from './systems.js';

/** 保険者番号・記号・番号・枝番: what a card prints and the hub is searched by. */
export interface MemberKey {
  insurerNumber: string;
  symbol: string;
  number: string;
  /** Undefined when not given (the birth date then picks the household member). */
  branch?: string | undefined;
}

export interface CoverageFacts extends Required<MemberKey> {
  relationship: Relationship;
  acquiredOn: string;
  lostOn: string | null;
  burdenRatio: BurdenRatio | null;
}

/** Half-width ASCII to full-width (JP Core asks full-width 記号 and 番号 in the extensions). */
export function toFullWidth(s: string): string {
  return s.replace(/[!-~]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /gu, '\u3000');
}

/** Full-width digits, letters and signs to half-width (NFKC), trimmed: how a presented key is read. */
export function toHalfWidth(s: string): string {
  return s.normalize('NFKC').trim();
}

/** `保険者番号:記号:番号:枝番`; an unknown 枝番 stays empty, as JP Core says. */
export function memberIdentifierValue(key: MemberKey): string {
  return [key.insurerNumber, key.symbol, key.number, key.branch ?? ''].join(':');
}

export function memberIdentifier(key: MemberKey): Identifier {
  return { system: JP.insuranceMemberIdSystem, value: memberIdentifierValue(key) };
}

/**
 * Reads `保険者番号:記号:番号:枝番` (full- or half-width; ':' may be full-width too). Null unless it has
 * exactly four parts; an empty 枝番 is left undefined. Shapes are checked later, by the same schema
 * as the JSON API.
 */
export function parseMemberIdentifier(value: string): MemberKey | null {
  const parts = toHalfWidth(value).split(':');
  if (parts.length !== 4) return null;
  const [insurerNumber, symbol, number, branch] = parts.map((p) => p.trim()) as [string, string, string, string];
  return { insurerNumber, symbol, number, branch: branch === '' ? undefined : branch };
}

const RELATIONSHIP = {
  insured: { code: '1', display: '被保険者' },
  dependent: { code: '2', display: '被扶養者' },
} as const;

export interface CoverageRefs {
  /** 'coverage' when contained, else the member id. */
  id: string;
  beneficiary: Reference<Patient>;
  payor: Reference<Organization>;
}

export function toCoverage(facts: CoverageFacts, refs: CoverageRefs): Coverage {
  const rel = RELATIONSHIP[facts.relationship];
  return {
    resourceType: 'Coverage',
    id: refs.id,
    meta: { profile: [JP.coverageProfile] },
    extension: [
      { url: JP.insuredPersonSymbol, valueString: toFullWidth(facts.symbol) },
      { url: JP.insuredPersonNumber, valueString: toFullWidth(facts.number) },
      { url: JP.insuredPersonSubNumber, valueString: facts.branch },
    ],
    identifier: [{ ...memberIdentifier(facts), assigner: refs.payor }],
    status: 'active',
    type: { coding: [{ system: HL7.actCode, code: 'PUBLICPOL', display: 'public healthcare' }] },
    // The insured is their own subscriber; a dependent's insured was not disclosed, so is not named.
    ...(facts.relationship === 'insured' ? { subscriber: refs.beneficiary } : {}),
    subscriberId: `${toFullWidth(facts.symbol)}:${toFullWidth(facts.number)}`,
    beneficiary: refs.beneficiary,
    dependent: facts.branch,
    relationship: {
      coding: [
        { system: JP.insuredPersonCategory, ...rel },
        ...(facts.relationship === 'insured'
          ? [{ system: HL7.subscriberRelationship, code: 'self', display: 'Self' }]
          : []),
      ],
      text: rel.display,
    },
    period: { start: facts.acquiredOn, ...(facts.lostOn ? { end: addDays(facts.lostOn, -1) } : {}) },
    payor: [refs.payor],
    ...(facts.burdenRatio !== null
      ? {
          costToBeneficiary: [
            {
              type: { coding: [{ system: HL7.copayType, code: 'copaypct', display: 'Copay Percentage' }] },
              valueQuantity: { value: facts.burdenRatio, unit: '%', system: HL7.ucum, code: '%' },
            },
          ],
        }
      : {}),
  };
}

/**
 * Whether a Coverage's identifiers match a token: JP_Insurance_memberID (an empty 枝番 in the token
 * matches any), or JP Core's OID-style 記号 / 番号 identifiers. Full-width input reads as half-width.
 */
export function coverageIdentifierMatches(token: TokenParam, facts: MemberKey): boolean {
  if (token.value === undefined) return true;
  if (token.system === JP_OID.insuredPersonSymbol) return toHalfWidth(token.value) === facts.symbol;
  if (token.system === JP_OID.insuredPersonNumber) return toHalfWidth(token.value) === facts.number;
  if (token.system !== undefined && token.system !== JP.insuranceMemberIdSystem) return false;
  const k = parseMemberIdentifier(token.value);
  return (
    k !== null &&
    k.insurerNumber === facts.insurerNumber &&
    k.symbol === facts.symbol &&
    k.number === facts.number &&
    (k.branch === undefined || k.branch === facts.branch)
  );
}
