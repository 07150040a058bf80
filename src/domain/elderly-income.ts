/**
 * 現役並み所得 for a 70–74 member (高齢受給者), RULES.md §6: whose income decides, and the
 * 基準収入額適用 that undoes it. One judgement shared by the burden ratio (burden.ts) and the high-cost
 * limit category (limits.ts), so the two never disagree.
 *
 * - The insured's 標準報酬月額 decides for the whole family: ≥ 280,000 is 現役並み.
 * - A 70–74 dependent is 現役並み only while the insured is also 70–74 (健保法 §110②一ハ・ニ, §74①三;
 *   協会けんぽ 高齢受給者 page [kyoukai-kourei] in domain-research.md §2): a dependent of an insured under
 *   70 pays 2割 and is 一般, whatever the insured earns.
 * - 基準収入額適用 (年収 under 383万円, or 520万円 with another 70–74 household member [panasonic]): once
 *   approved, 現役並み becomes 一般 from the 1st of the month after the approval (issue #16; the
 *   association decides the application, so only its approval date is a fact here).
 */
import { addMonths, type IsoDate, startOfMonth } from './dates.js';
import type { MemberFacts } from './member.js';

/** 現役並み所得: the insured's 標準報酬月額 at or above this (RULES.md §6). */
export const ELDERLY_HIGH_INCOME_REMUNERATION = 280_000;

/** The facts about the insured a 70–74 member's band depends on. */
export interface ElderlyIncomeFacts {
  /** 標準報酬月額 of the insured (a dependent passes their insured's); null: unknown, counts as below. */
  insuredRemuneration: number | null;
  /**
   * Birth date of the insured. Omitted: the member is the insured (or the caller does not know), and the
   * insured's age plays no part — the behaviour before issue #16.
   */
  insuredBirthDate?: IsoDate;
  /** Day the association approved a 基準収入額適用申請 for this household; null/omitted: none. */
  standardIncomeApprovedOn?: IsoDate | null;
}

/** First day a 基準収入額適用 approved on `approvedOn` takes effect: the 1st of the next month. */
export function standardIncomeEffectiveFrom(approvedOn: IsoDate): IsoDate {
  return addMonths(startOfMonth(approvedOn), 1);
}

/**
 * Whether a member already in the 70–74 band on `asOf` counts as 現役並み (see the module note).
 * `insuredIsElderly` tells whether the insured is in the 70–74 band on `asOf` (the caller computes it
 * with `elderlyFrom` to avoid a cycle with burden.ts).
 */
export function isElderlyHighIncome(facts: ElderlyIncomeFacts, insuredIsElderly: boolean, asOf: IsoDate): boolean {
  const { insuredRemuneration, standardIncomeApprovedOn = null } = facts;
  if (insuredRemuneration === null || insuredRemuneration < ELDERLY_HIGH_INCOME_REMUNERATION) return false;
  if (!insuredIsElderly) return false;
  return standardIncomeApprovedOn === null || asOf < standardIncomeEffectiveFrom(standardIncomeApprovedOn);
}

/**
 * The household facts for `burdenRatio` / `limitCategoryFor` from the insured's record (a dependent
 * passes their insured's; an insured passes their own). Null: the insured is unknown — remuneration
 * unknown counts as below 280,000, so the member is never 現役並み on a guess.
 */
export function elderlyIncomeFactsOf(
  insured: Pick<MemberFacts, 'birthDate' | 'standardMonthlyRemuneration' | 'standardIncomeApprovedOn'> | null,
): ElderlyIncomeFacts {
  if (insured === null) return { insuredRemuneration: null };
  return {
    insuredRemuneration: insured.standardMonthlyRemuneration,
    insuredBirthDate: insured.birthDate,
    standardIncomeApprovedOn: insured.standardIncomeApprovedOn ?? null,
  };
}

/** 基準収入額: 年収 under this, alone (RULES.md §6; [panasonic]). */
export const STANDARD_INCOME_LIMIT_SINGLE = 3_830_000;
/** 基準収入額: the household's 年収 under this when another 70–74 member is in it. */
export const STANDARD_INCOME_LIMIT_HOUSEHOLD = 5_200_000;

/** What a 基準収入額適用申請 declares (年収, yen, of the year before). */
export interface StandardIncomeDeclaration {
  /** The insured's own 年収. */
  annualIncome: number;
  /** The 年収 of the other 70–74 household members; omitted or empty: none. */
  otherElderlyIncomes?: readonly number[];
}

/**
 * Whether the declared income qualifies for 基準収入額適用: 年収 under 383万円 alone, or, with another
 * 70–74 member in the household, the sum under 520万円 (either test passing is enough).
 */
export function standardIncomeQualifies(d: StandardIncomeDeclaration): boolean {
  if (d.annualIncome < STANDARD_INCOME_LIMIT_SINGLE) return true;
  const others = d.otherElderlyIncomes ?? [];
  if (others.length === 0) return false;
  return others.reduce((sum, x) => sum + x, d.annualIncome) < STANDARD_INCOME_LIMIT_HOUSEHOLD;
}
