import type { IsoDate } from './dates.js';

export type Relationship = 'insured' | 'dependent';
export type Sex = 'male' | 'female';

/**
 * One version of what the registry knows about a member (a 加入者 at one association). Stored as
 * JSON in member_versions.facts; the plain My Number is never part of it.
 */
export interface MemberFacts {
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: Relationship;
  /** For a dependent, the insured member it is covered through. */
  insuredMemberId: string | null;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: Sex;
  address: string | null;
  /** 資格取得年月日. */
  acquiredOn: IsoDate;
  /** 資格喪失年月日: the first day not covered. */
  lostOn: IsoDate | null;
  /** 標準報酬月額 of the insured (null for dependents: they follow their insured). */
  standardMonthlyRemuneration: number | null;
  /** Whether the association holds the My Number, and its last 4 digits (for the お知らせ). */
  myNumberLast4: string | null;
  /** Why the loss was recorded, when known (dependents.ts tells a death apart). Omitted: unknown. */
  lossReason?: 'death' | 'other' | null;
  /** Of an insured: the day a 基準収入額適用申請 was approved (elderly-income.ts). Omitted: none. */
  standardIncomeApprovedOn?: IsoDate | null;
}

/** The resident-record facts the hub matches a registration against (基本4情報). */
export interface ResidentFacts {
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: Sex;
  address: string;
}

export type ResidentField = 'name' | 'nameKana' | 'birthDate' | 'sex' | 'address';
