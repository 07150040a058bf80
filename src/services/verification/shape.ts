/**
 * The answer's qualification (DESIGN.md §5.1): which one is disclosed, the day its burden ratio is
 * shown for, and what consent lets through (limit category, 特定疾病). Built from an allow-list, so
 * nothing else about the member (a My Number above all) can reach a provider.
 */
import type { Kysely } from 'kysely';
import type { SpecificDiseaseInfo, VerifiedQualification } from '../../contract/verification.js';
import { specificDiseaseCertification } from '../../domain/applications.js';
import { burdenRatio, lateElderlyFrom } from '../../domain/burden.js';
import { addDays, type IsoDate, maxDate, minDate } from '../../domain/dates.js';
import { elderlyIncomeFactsOf } from '../../domain/elderly-income.js';
import { type LimitCategory, limitCategoryFor } from '../../domain/limits.js';
import type { MemberFacts } from '../../domain/member.js';
import type { Decision, QualificationFacts } from '../../domain/verification.js';
import type { Database } from '../../store/schema.js';
import { type Certification, certificationInForce, certificationsOf } from '../applications.js';
import { type HubEntry, hubEntriesByNumber } from '../hub.js';
import { factsOfRow } from '../member-facts.js';
import { insurerNameOf } from './insurer-name.js';

/**
 * The qualification to disclose: only the one the decision chose, and only for an eligible or
 * ineligible answer (never for not_found, ambiguous or a wrong birth date, which disclose nothing).
 */
export function disclosable(decision: Decision): QualificationFacts | null {
  if (decision.qualification === null) return null;
  if (decision.outcome !== 'eligible' && decision.outcome !== 'ineligible') return null;
  if (decision.reasons.some((r) => r.code === 'BIRTH_DATE_MISMATCH')) return null;
  return decision.qualification;
}

/**
 * The day whose burden ratio a disclosed qualification shows: `asOf` while covered,
 * else the nearest covered day (its first day when not yet started, its last day when lost or on the
 * move to 後期高齢者医療), so an ineligible answer still shows what the qualification carried.
 */
export function ratioDateFor(q: QualificationFacts, asOf: IsoDate): IsoDate {
  let last = addDays(lateElderlyFrom(q.birthDate), -1);
  if (q.lostOn !== null) last = minDate(last, addDays(q.lostOn, -1));
  const first = maxDate(q.acquiredOn, q.birthDate);
  return maxDate(first, minDate(asOf, maxDate(first, last)));
}

/** limitCategoryFor, or null where no limit table is in force (before 2018-08). */
function limitCategoryOrNull(input: Parameters<typeof limitCategoryFor>[0]): LimitCategory | null {
  try {
    return limitCategoryFor(input);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/**
 * The insured's facts for a dependent, as the hub knew them on `asOf` (null when not known), from the
 * household already read when there is one.
 */
async function insuredFactsOf(
  db: Kysely<Database>,
  facts: MemberFacts,
  asOf: IsoDate,
  known: readonly HubEntry[] | undefined,
): Promise<MemberFacts | null> {
  if (facts.relationship === 'insured') return facts;
  if (facts.insuredMemberId === null) return null;
  const insured = known?.find((e) => e.memberId === facts.insuredMemberId);
  if (insured) return insured.facts;
  const household = await hubEntriesByNumber(
    db,
    { insurerNumber: facts.insurerNumber, symbol: facts.symbol, number: facts.number },
    asOf,
  );
  return household.find((e) => e.memberId === facts.insuredMemberId)?.facts ?? null;
}

/** The member's facts as the hub knew them; the registry's current row only if the hub gave none. */
async function factsOf(db: Kysely<Database>, q: QualificationFacts, entries: HubEntry[]): Promise<MemberFacts> {
  const fromHub = entries.find((e) => e.memberId === q.memberId)?.facts;
  if (fromHub) return fromHub;
  const row = await db.selectFrom('members').selectAll().where('id', '=', q.memberId).executeTakeFirstOrThrow();
  // A provider is never told anything of the My Number, not even its last digits.
  return { ...factsOfRow(row), myNumberLast4: null };
}

export async function shapeQualification(
  db: Kysely<Database>,
  q: QualificationFacts,
  entries: HubEntry[],
  asOf: IsoDate,
  options: {
    limitCategory: boolean;
    limitConsent: boolean;
    certifications?: Certification[] | undefined;
    /** Everyone under the member's 記号・番号, when already read. */
    household?: HubEntry[] | undefined;
  },
): Promise<{ qualification: VerifiedQualification; limitWithheld: boolean }> {
  const facts = await factsOf(db, q, entries);
  const insured = await insuredFactsOf(db, facts, asOf, options.household);
  const remuneration = insured?.standardMonthlyRemuneration ?? null;
  // A 70–74 dependent is 現役並み only while the insured is 70–74 too; a 基準収入額適用 undoes it.
  const household = elderlyIncomeFactsOf(insured);
  const insurerName = await insurerNameOf(db, q.insurerNumber);

  const on = ratioDateFor(q, asOf);
  const burden = burdenRatio({ birthDate: q.birthDate, asOf: on, ...household });
  // The certifications matter only for what is disclosed with consent: no query otherwise.
  const disclose = options.limitCategory && options.limitConsent;
  const certified = disclose
    ? (options.certifications ?? (await certificationsOf(db, [q.memberId], asOf))).filter(
        (c) => c.memberId === q.memberId && certificationInForce(c, asOf),
      )
    : [];
  const lowIncome = certified.find((c) => c.kind === 'reduced_limit_certification')?.category ?? null;
  const category = options.limitCategory
    ? limitCategoryOrNull({
        birthDate: q.birthDate,
        asOf: on,
        standardMonthlyRemuneration: remuneration,
        lowIncome,
        insuredBirthDate: household.insuredBirthDate,
        standardIncomeApprovedOn: household.standardIncomeApprovedOn,
      })
    : null;
  const specificDisease: SpecificDiseaseInfo[] = [];
  for (const c of certified) {
    if (c.kind !== 'specific_disease' || c.disease === null) continue;
    specificDisease.push({
      category: c.disease,
      monthlyLimitYen: specificDiseaseCertification({
        disease: c.disease,
        birthDate: q.birthDate,
        asOf: on,
        standardMonthlyRemuneration: remuneration,
      }).monthlyLimit,
      validFrom: c.validFrom,
      validUntil: c.validUntil,
    });
  }

  // Built field by field from an allow-list: nothing else about the member can leak into the answer.
  const qualification: VerifiedQualification = {
    insurerNumber: q.insurerNumber,
    insurerName,
    symbol: q.symbol,
    number: q.number,
    branch: q.branch,
    relationship: q.relationship,
    name: facts.name,
    nameKana: facts.nameKana,
    birthDate: q.birthDate,
    sex: facts.sex,
    acquiredOn: q.acquiredOn,
    lostOn: q.lostOn,
    burdenRatio: burden.ratio,
    limitCategory: options.limitConsent ? category : null,
    specificDisease,
  };
  return { qualification, limitWithheld: !options.limitConsent && category !== null };
}
