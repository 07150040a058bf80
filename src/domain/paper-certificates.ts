/**
 * The paper a 資格確認書 holder still needs (RULES.md §1; seeds 000, 002, 004; domain-research.md
 * §5.2): with a マイナ保険証 the hub gives the reception the 高齢受給者, 限度額 and 特定疾病 data, with a
 * 資格確認書 it does not, so the association prints them. Each association chooses (seed 000/002/004
 * describe both):
 * - `separate_documents`: 高齢受給者証, 限度額適用認定証 (限度額適用・標準負担額減額認定証 for the
 *   low-income categories) and 特定疾病療養受療証 as their own card-size documents;
 * - `printed_on_certificate`: the same items printed on the 資格確認書 itself (任意記載事項: 一部負担金の
 *   割合, 適用区分 with its 発効期日, 特定疾病区分), and no separate paper.
 * Pure: what to issue and what it says; the documents renderer draws it.
 */
import { limitCertificationKind } from './applications.js';
import { type BurdenRatio, burdenRatio, elderlyFrom } from './burden.js';
import { addDays, addMonths, addYears, type IsoDate, maxDate, minDate, startOfMonth } from './dates.js';
import { type CoverFacts, coverEndsOn } from './dependents.js';
import type { ElderlyIncomeFacts } from './elderly-income.js';
import { holdsUsableCertificate, type MemberIssuanceFacts, mynaCardProblem } from './issuance.js';
import {
  LIMIT_CATEGORY_OQS_CODES,
  type LimitCategory,
  SPECIFIC_DISEASE_OQS_CODES,
  type SpecificDisease,
  specificDiseaseMonthlyLimit,
} from './limits.js';

export type PaperCertificateKind =
  | 'elderly_recipient'
  | 'limit_certification'
  | 'reduced_limit_certification'
  | 'specific_disease';

/** Titles as printed (健康保険法施行規則 names). */
export const PAPER_CERTIFICATE_TITLES: Readonly<Record<PaperCertificateKind, string>> = {
  elderly_recipient: '健康保険高齢受給者証',
  limit_certification: '健康保険限度額適用認定証',
  reduced_limit_certification: '健康保険限度額適用・標準負担額減額認定証',
  specific_disease: '健康保険特定疾病療養受療証',
};

/** 認定疾病名 as printed (OQSCD013). */
export const SPECIFIC_DISEASE_LABELS: Readonly<Record<SpecificDisease, string>> = {
  dialysis: '人工腎臓を実施している慢性腎不全',
  hemophilia: '血漿分画製剤を投与している先天性血液凝固第Ⅷ因子障害又は第Ⅸ因子障害',
  hiv: '抗ウイルス剤を投与している後天性免疫不全症候群（HIV感染を含み、血液凝固因子製剤の投与に起因するもの）',
};

/** 特定疾病区分 as the OQS names it (OQSCD013): short enough for the back of a 資格確認書. */
export const SPECIFIC_DISEASE_CATEGORY_LABELS: Readonly<Record<SpecificDisease, string>> = {
  dialysis: '人工透析を必要とする慢性腎不全',
  hemophilia: '先天性血液凝固因子障害（第Ⅷ・Ⅸ因子）',
  hiv: '血液凝固因子製剤の投与に起因するHIV感染症',
};

/** The association's choice (see the module note). */
export type CategoryPrintPolicy = 'separate_documents' | 'printed_on_certificate';

/** Longest validity of a 限度額適用認定証, in years from its 発効期日 (association practice: 1 year). */
export const LIMIT_CERTIFICATE_MAX_YEARS = 1;

export type PaperCertificateContents =
  | { kind: 'elderly_recipient'; burdenRatio: Exclude<BurdenRatio, 10> }
  | { kind: 'limit_certification' | 'reduced_limit_certification'; category: LimitCategory; oqsCode: string }
  | { kind: 'specific_disease'; disease: SpecificDisease; oqsCode: string; diseaseLabel: string; monthlyLimit: number };

/** One paper document: what it says and its validity (発効期日 … 有効期限, inclusive). */
export type PaperCertificate = PaperCertificateContents & { title: string; validFrom: IsoDate; validUntil: IsoDate };

/** The approvals on record (applications.ts): the day applied for and what was approved. */
export interface PaperApprovals {
  /** An approved 限度額適用認定 or 限度額適用・標準負担額減額認定. */
  limit?: { appliedOn: IsoDate; category: LimitCategory } | null;
  /** Approved 特定疾病 certifications. */
  specificDiseases?: ReadonlyArray<{ appliedOn: IsoDate; disease: SpecificDisease }>;
}

export interface PaperCertificateFacts extends ElderlyIncomeFacts, CoverFacts {
  /** The member's proof: paper only for a 資格確認書 holder (a マイナ保険証 carries it all). */
  proof: 'myna_card' | 'eligibility_certificate';
  /** For a dependent, the insured's cover facts (the paper ends with the dependent's cover). */
  insured?: CoverFacts | null;
  approvals: PaperApprovals;
}

/** What the 資格確認書 prints instead, under `printed_on_certificate`. */
export interface PrintedOnCertificate {
  burdenRatio: 20 | 30 | null;
  limitCategory: { category: LimitCategory; validFrom: IsoDate } | null;
  specificDiseases: ReadonlyArray<{ disease: SpecificDisease; validFrom: IsoDate }>;
}

export interface PaperDecision {
  documents: PaperCertificate[];
  printedOnCertificate: PrintedOnCertificate;
}

const NOTHING: PrintedOnCertificate = { burdenRatio: null, limitCategory: null, specificDiseases: [] };

/** The 発効期日 of a certification applied for on `appliedOn`: the 1st of that month, not before joining. */
function effectiveFrom(appliedOn: IsoDate, acquiredOn: IsoDate): IsoDate {
  return maxDate(startOfMonth(appliedOn), acquiredOn);
}

/**
 * The paper a member needs on `asOf`, or what their 資格確認書 prints instead (see the module note).
 * Validity, always ending the day before the member's cover ends (`coverEndsOn`: loss, 75th birthday,
 * the insured's end):
 * - 高齢受給者証: from the 70–74 band (`elderlyFrom`, or joining), ratio as of that day or `asOf`;
 *   issued from a month before it starts;
 * - 限度額適用(・標準負担額減額)認定証: from the 1st of the month applied for, at most 1 year, and not past
 *   the day before the 70–74 band starts (the category changes then);
 * - 特定疾病療養受療証: from the 1st of the month applied for; a dialysis patient under 70 with the 20,000
 *   limit until the day before the 70–74 band (the limit becomes 10,000).
 * Nothing for a マイナ保険証 user, and nothing whose validity has already ended on `asOf`.
 */
export function paperCertificatesFor(
  facts: PaperCertificateFacts,
  policy: CategoryPrintPolicy,
  asOf: IsoDate,
): PaperDecision {
  if (facts.proof !== 'eligibility_certificate') return { documents: [], printedOnCertificate: NOTHING };
  const lastCovered = addDays(coverEndsOn(facts, facts.insured ?? null).on, -1);
  const elderlyStart = elderlyFrom(facts.birthDate);
  const beforeElderly = (from: IsoDate) => (from < elderlyStart ? addDays(elderlyStart, -1) : lastCovered);
  const documents: PaperCertificate[] = [];
  const printed: PrintedOnCertificate = { burdenRatio: null, limitCategory: null, specificDiseases: [] };

  const elderlyValidFrom = maxDate(elderlyStart, facts.acquiredOn);
  // Sent ahead in the month before it starts (the birthday month; [kyoukai-kourei]), not earlier.
  if (elderlyValidFrom <= lastCovered && asOf >= addMonths(elderlyValidFrom, -1) && asOf <= lastCovered) {
    const ratio = burdenRatio({ ...facts, asOf: maxDate(asOf, elderlyValidFrom) }).ratio;
    if (ratio === 20 || ratio === 30) {
      printed.burdenRatio = ratio;
      documents.push({
        kind: 'elderly_recipient',
        title: PAPER_CERTIFICATE_TITLES.elderly_recipient,
        burdenRatio: ratio,
        validFrom: elderlyValidFrom,
        validUntil: lastCovered,
      });
    }
  }

  const limit = facts.approvals.limit ?? null;
  const limitKind = limit === null ? null : limitCertificationKind(limit.category);
  if (limit !== null && limitKind !== null) {
    const validFrom = effectiveFrom(limit.appliedOn, facts.acquiredOn);
    const validUntil = minDate(
      minDate(addDays(addYears(validFrom, LIMIT_CERTIFICATE_MAX_YEARS), -1), lastCovered),
      beforeElderly(validFrom),
    );
    if (validFrom <= validUntil && asOf <= validUntil) {
      printed.limitCategory = { category: limit.category, validFrom };
      documents.push({
        kind: limitKind,
        title: PAPER_CERTIFICATE_TITLES[limitKind],
        category: limit.category,
        oqsCode: LIMIT_CATEGORY_OQS_CODES[limit.category],
        validFrom,
        validUntil,
      });
    }
  }

  const diseases: Array<{ disease: SpecificDisease; validFrom: IsoDate }> = [];
  for (const approval of facts.approvals.specificDiseases ?? []) {
    const validFrom = effectiveFrom(approval.appliedOn, facts.acquiredOn);
    const under70 = validFrom < elderlyStart;
    const monthlyLimit = specificDiseaseMonthlyLimit({
      disease: approval.disease,
      under70,
      standardMonthlyRemuneration: facts.insuredRemuneration,
    });
    const validUntil = monthlyLimit === 20_000 ? beforeElderly(validFrom) : lastCovered;
    if (validFrom > validUntil || asOf > validUntil) continue;
    diseases.push({ disease: approval.disease, validFrom });
    documents.push({
      kind: 'specific_disease',
      title: PAPER_CERTIFICATE_TITLES.specific_disease,
      disease: approval.disease,
      oqsCode: SPECIFIC_DISEASE_OQS_CODES[approval.disease],
      diseaseLabel: SPECIFIC_DISEASE_LABELS[approval.disease],
      monthlyLimit,
      validFrom,
      validUntil,
    });
  }
  printed.specificDiseases = diseases;

  return policy === 'separate_documents'
    ? { documents, printedOnCertificate: NOTHING }
    : { documents: [], printedOnCertificate: printed };
}

/**
 * The proof `paperCertificatesFor` reads: `eligibility_certificate` when the member holds a usable
 * 資格確認書 and has no usable マイナ保険証 on `asOf` (`mynaCardProblem`), else `myna_card` (the hub
 * carries the 区分; a member with neither gets a 資格確認書 first, and the paper with it later).
 */
export function paperProofOf(
  facts: Pick<MemberIssuanceFacts, 'cards' | 'certificates' | 'registration' | 'eligibilityCertificates'>,
  asOf: IsoDate,
): PaperCertificateFacts['proof'] {
  const noCard = mynaCardProblem(facts, asOf) !== null;
  return noCard && holdsUsableCertificate(facts.eligibilityCertificates, asOf)
    ? 'eligibility_certificate'
    : 'myna_card';
}

/** Why a 高齢受給者証の交付申請 gets no paper (see `elderlyRecipientCertificateFor`). */
export type ElderlyRecipientRefusal =
  | { code: 'NOT_ELDERLY_RECIPIENT' }
  | { code: 'PAPER_CERTIFICATE_NOT_NEEDED'; why: 'not_certificate_holder' | 'printed_on_certificate' };

/**
 * The 高齢受給者証 a member who applies (application kind `elderly_recipient_certificate`) is given on
 * `on`, or why not, in this order:
 * 1. NOT_ELDERLY_RECIPIENT: `paperCertificatesFor` gives none on `on` — the member is not 70–74 on its
 *    validity start (75 or lost first), or `on` is more than a month before the band starts;
 * 2. PAPER_CERTIFICATE_NOT_NEEDED `not_certificate_holder`: a usable マイナ保険証 (the hub gives the
 *    reception the 高齢受給者 data) or no 資格確認書 held;
 * 3. PAPER_CERTIFICATE_NOT_NEEDED `printed_on_certificate`: the 負担割合 is on the 資格確認書 already.
 */
export function elderlyRecipientCertificateFor(
  facts: PaperCertificateFacts,
  policy: CategoryPrintPolicy,
  on: IsoDate,
): { issue: PaperCertificate } | { refused: ElderlyRecipientRefusal } {
  const asHolder = paperCertificatesFor(
    { ...facts, proof: 'eligibility_certificate', approvals: {} },
    'separate_documents',
    on,
  );
  const paper = asHolder.documents.find((d) => d.kind === 'elderly_recipient');
  if (paper === undefined) return { refused: { code: 'NOT_ELDERLY_RECIPIENT' } };
  if (facts.proof !== 'eligibility_certificate') {
    return { refused: { code: 'PAPER_CERTIFICATE_NOT_NEEDED', why: 'not_certificate_holder' } };
  }
  if (policy !== 'separate_documents') {
    return { refused: { code: 'PAPER_CERTIFICATE_NOT_NEEDED', why: 'printed_on_certificate' } };
  }
  return { issue: paper };
}
