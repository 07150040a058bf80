/**
 * Applications to the association (DESIGN.md §5.2): the 資格確認書 on application with its 8 reasons
 * (CODES.md, seed 002 Q6), 限度額適用認定, 限度額適用・標準負担額減額認定, 特定疾病, 利用登録解除 and the
 * reissue of the 資格情報のお知らせ. Pure rules: the service records the application and acts on them.
 */

import { elderlyFrom } from './burden.js';
import { ShikakuError } from './codes.js';
import { addDays, type IsoDate } from './dates.js';
import { type StandardIncomeDeclaration, standardIncomeQualifies } from './elderly-income.js';
import type { ExOfficioOptions, MemberIssuanceFacts } from './issuance.js';
import {
  assertCertificateDate,
  cardInHand,
  coveredOn,
  holdsUsableCertificate,
  holdsValidLegacyCard,
  LEGACY_TRANSITION_ISSUE_FROM,
  mynaCardProblem,
} from './issuance.js';
import { legacyCardState } from './legacy-card.js';
import type { LimitCategory, SpecificDisease } from './limits.js';
import { SPECIFIC_DISEASE_OQS_CODES, specificDiseaseMonthlyLimit } from './limits.js';
import { LEGACY_CARD_LAST_USE_DATE } from './proofs.js';

// ─── 資格確認書 on application ──────────────────────────────────────────────────────────────────────

/**
 * The application reasons (申請理由): the 8 of CODES.md, and `legacy_card_lost` (健康保険証の滅失・き損,
 * seed 002 Q7: after 2024-12-02 a lost legacy card is not reissued; its 滅失・き損届 goes with an
 * application for a 資格確認書).
 */
export const CERTIFICATE_APPLICATION_REASONS = [
  'card_lost',
  'card_renewing',
  'cert_expired',
  'not_registered',
  'no_card',
  'card_returned',
  'needs_assistance',
  'certificate_lost',
  'legacy_card_lost',
] as const;
export type CertificateApplicationReason = (typeof CERTIFICATE_APPLICATION_REASONS)[number];

export function isCertificateApplicationReason(s: string): s is CertificateApplicationReason {
  return (CERTIFICATE_APPLICATION_REASONS as readonly string[]).includes(s);
}

/** The member facts of the ex-officio decision, plus the association's reissue fee. */
export interface CertificateApplicationFacts extends Omit<MemberIssuanceFacts, 'newMemberPolicy'> {
  /** 再交付手数料 in yen (association setting, e.g. 500; never refunded). */
  reissueFeeYen: number;
}

/** Why an application was refused, for the message shown with the code. */
export type CertificateRefusalWhy =
  /** Not one of the 8 reasons → CERTIFICATE_REASON_INVALID. */
  | 'unknown_reason'
  /** Lost on or before `recordedOn` (or 75) → CONFLICT_MEMBER_STATE. */
  | 'not_eligible'
  /** A usable 資格確認書 is already held → CERTIFICATE_NOT_NEEDED. */
  | 'certificate_held'
  /** A valid legacy card before the transition window → CERTIFICATE_NOT_NEEDED. */
  | 'valid_legacy_card'
  /** A usable マイナ保険証 and the reason does not hold → CERTIFICATE_NOT_NEEDED. */
  | 'usable_myna_card'
  /** The held 資格確認書 was reported lost: only a reissue (`certificate_lost`, fee) replaces it. */
  | 'reissue_required'
  /** No usable マイナ保険証 but the reason given is not the member's → CERTIFICATE_REASON_INVALID. */
  | 'reason_not_applicable';

export type CertificateApplicationDecision =
  | {
      accepted: true;
      /** Yen to pay (bank transfer, receipt attached): the reissue fee for `certificate_lost`, else 0. */
      fee: number;
      /** `previous_certificate`: the one held (lost or damaged) is superseded by the new one. */
      supersedes: 'none' | 'previous_certificate';
    }
  | {
      accepted: false;
      code: 'CERTIFICATE_NOT_NEEDED' | 'CERTIFICATE_REASON_INVALID' | 'CONFLICT_MEMBER_STATE';
      why: CertificateRefusalWhy;
      /** The reason that does apply, when one can be told from the data. */
      suggestedReason?: CertificateApplicationReason;
    };

/**
 * A 資格確認書 issued on or before `on`, not collected and still within its validity: the one a
 * reissue replaces, whether reported lost or not (damage, き損, is not reported).
 */
function reissuableCertificate(facts: CertificateApplicationFacts, on: IsoDate): boolean {
  return facts.eligibilityCertificates.some(
    (c) => c.issuedOn <= on && (c.collectedOn === null || c.collectedOn > on) && c.validUntil >= on,
  );
}

/** A held 資格確認書, still within its validity and not collected, that was reported lost by `on`. */
function reportedLostCertificate(facts: CertificateApplicationFacts, on: IsoDate): boolean {
  return facts.eligibilityCertificates.some(
    (c) =>
      c.issuedOn <= on &&
      c.reportedLostOn !== null &&
      c.reportedLostOn <= on &&
      (c.collectedOn === null || c.collectedOn > on) &&
      c.validUntil >= on,
  );
}

/**
 * The "accepted when" column of CODES.md for the reasons that depend on the data:
 * - `cert_expired`: a card in hand whose certificate is past expiry on `on` (not merely past grace:
 *   a member in the grace period may apply) — every non-revoked certificate issued by `on` expired
 *   before `on`, or every card in hand is itself past expiry (the certificate never outlives it);
 * - `not_registered`: a card in hand and the registration not active (never, cancelled (解除) or lapsed);
 * - `no_card`: no card in hand that is within its expiry;
 * - `card_returned`: a card returned on or before `on` and no card in hand.
 * `card_lost`, `card_renewing` and `needs_assistance` are declared by the member: always accepted.
 */
function reasonHolds(
  reason: Exclude<CertificateApplicationReason, 'certificate_lost' | 'legacy_card_lost'>,
  f: CertificateApplicationFacts,
  on: IsoDate,
) {
  const inHand = f.cards.filter((c) => cardInHand(c, on));
  switch (reason) {
    case 'card_lost':
    case 'card_renewing':
    case 'needs_assistance':
      return true;
    case 'cert_expired': {
      if (inHand.length === 0) return false;
      if (inHand.every((c) => c.expiresOn < on)) return true;
      const issued = f.certificates.filter((c) => c.issuedOn <= on && (c.revokedOn === null || c.revokedOn > on));
      return issued.length > 0 && issued.every((c) => c.expiresOn < on);
    }
    case 'not_registered':
      return inHand.length > 0 && f.registration !== 'active';
    case 'no_card':
      return !inHand.some((c) => c.expiresOn >= on);
    case 'card_returned':
      return inHand.length === 0 && f.cards.some((c) => c.status === 'returned');
  }
}

/** The application reason matching the data, when the member cannot use a マイナ保険証. */
function suggestedReasonFor(f: CertificateApplicationFacts, on: IsoDate): CertificateApplicationReason | undefined {
  const problem = mynaCardProblem(f, on);
  if (problem === null) return undefined;
  return problem === 'registration_cancelled' ? 'not_registered' : problem;
}

function assertFee(fee: number): void {
  if (!Number.isInteger(fee) || fee < 0) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { reissueFeeYen: fee },
      { ja: '再交付手数料は0以上の整数（円）で指定してください', en: 'reissueFeeYen must be a whole number ≥ 0' },
    );
  }
}

/**
 * Decides an application for a 資格確認書 recorded on `recordedOn` (RULES.md §1, §2; CODES.md;
 * DESIGN.md §5.2). In order:
 * 1. a reason outside the 8 → CERTIFICATE_REASON_INVALID (`unknown_reason`);
 * 2. the member not covered on `recordedOn` → CONFLICT_MEMBER_STATE (`not_eligible`). An application
 *    recorded before the acquisition date (with the acquisition notification) is accepted;
 * 3. `certificate_lost` (滅失・き損, 再交付): accepted when a certificate is held within its validity and
 *    not collected, reported lost or not; fee = `reissueFeeYen` (never refunded), supersedes the previous
 *    one. Otherwise CERTIFICATE_REASON_INVALID;
 * 4. a usable 資格確認書 held → CERTIFICATE_NOT_NEEDED (`certificate_held`): one at a time;
 * 5. a held one reported lost and still valid → CERTIFICATE_REASON_INVALID (`reissue_required`, suggests
 *    `certificate_lost`): another reason must not dodge the reissue fee;
 * 6. a valid legacy 健康保険証 before the transition window → CERTIFICATE_NOT_NEEDED (`valid_legacy_card`):
 *    holders could not get one before 2025-12-01 (seed 000) — same window as `decideExOfficio`;
 * 7. the reason holds (see `reasonHolds`) → accepted, fee 0;
 * 8. a usable マイナ保険証 → CERTIFICATE_NOT_NEEDED (`usable_myna_card`): no certificate "just in case"
 *    (seed 002 Q5, 003);
 * 9. otherwise CERTIFICATE_REASON_INVALID (`reason_not_applicable`) with the reason that applies.
 * `legacy_card_lost` is decided after step 4 by `decideLegacyCardLost` (the valid legacy card of step 6
 * is the one being lost).
 * Throws `VALIDATION_FAILED` for `recordedOn` before 2024-12-02 or a fee that is not a whole number ≥ 0.
 */
export function decideCertificateApplication(
  reason: string,
  facts: CertificateApplicationFacts,
  recordedOn: IsoDate,
  options: ExOfficioOptions = {},
): CertificateApplicationDecision {
  assertCertificateDate(recordedOn);
  assertFee(facts.reissueFeeYen);
  if (!isCertificateApplicationReason(reason)) {
    return { accepted: false, code: 'CERTIFICATE_REASON_INVALID', why: 'unknown_reason' };
  }
  const acquiredLater = recordedOn < facts.acquiredOn;
  if (!acquiredLater && !coveredOn(facts, recordedOn)) {
    return { accepted: false, code: 'CONFLICT_MEMBER_STATE', why: 'not_eligible' };
  }

  if (reason === 'certificate_lost') {
    return reissuableCertificate(facts, recordedOn)
      ? { accepted: true, fee: facts.reissueFeeYen, supersedes: 'previous_certificate' }
      : { accepted: false, code: 'CERTIFICATE_REASON_INVALID', why: 'reason_not_applicable' };
  }
  if (holdsUsableCertificate(facts.eligibilityCertificates, recordedOn)) {
    return { accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'certificate_held' };
  }
  if (reason === 'legacy_card_lost') return decideLegacyCardLost(facts, recordedOn);
  if (reportedLostCertificate(facts, recordedOn)) {
    return {
      accepted: false,
      code: 'CERTIFICATE_REASON_INVALID',
      why: 'reissue_required',
      suggestedReason: 'certificate_lost',
    };
  }
  const transitionFrom = options.legacyTransitionFrom ?? LEGACY_TRANSITION_ISSUE_FROM;
  if (holdsValidLegacyCard(facts.legacyCards, recordedOn) && recordedOn < transitionFrom) {
    return { accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'valid_legacy_card' };
  }

  if (reasonHolds(reason, facts, recordedOn)) return { accepted: true, fee: 0, supersedes: 'none' };
  const suggested = suggestedReasonFor(facts, recordedOn);
  if (suggested === undefined) return { accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'usable_myna_card' };
  return {
    accepted: false,
    code: 'CERTIFICATE_REASON_INVALID',
    why: 'reason_not_applicable',
    suggestedReason: suggested,
  };
}

/** A legacy card that was a proof the day before `recordedOn`, on or before 2025-12-01: one that can be lost. */
function legacyCardToLose(facts: CertificateApplicationFacts, recordedOn: IsoDate): boolean {
  const before = addDays(recordedOn, -1);
  return (
    recordedOn <= LEGACY_CARD_LAST_USE_DATE &&
    facts.legacyCards.some((c) => legacyCardState(c, before).state === 'in_use')
  );
}

/**
 * 健康保険証の滅失・き損 (`legacy_card_lost`, seed 002 Q7): accepted when the member has a legacy card
 * that was a proof the day before `recordedOn` (not returned, not already reported lost, not past its
 * printed 有効期限, and `recordedOn` on or before 2025-12-01 — after that the card is no proof to
 * replace) and cannot use a マイナ保険証; fee 0 (a legacy card was never the association's 資格確認書 to
 * reissue). With a usable マイナ保険証: CERTIFICATE_NOT_NEEDED (`usable_myna_card`); without a card that
 * was in use: CERTIFICATE_REASON_INVALID with the reason that applies.
 */
function decideLegacyCardLost(facts: CertificateApplicationFacts, recordedOn: IsoDate): CertificateApplicationDecision {
  const suggested = suggestedReasonFor(facts, recordedOn);
  if (suggested === undefined) return { accepted: false, code: 'CERTIFICATE_NOT_NEEDED', why: 'usable_myna_card' };
  if (!legacyCardToLose(facts, recordedOn)) {
    return {
      accepted: false,
      code: 'CERTIFICATE_REASON_INVALID',
      why: 'reason_not_applicable',
      suggestedReason: suggested,
    };
  }
  return { accepted: true, fee: 0, supersedes: 'none' };
}

/** What the service does on a `legacy_card_lost` application, as data. */
export interface LegacyCardLossEffects {
  /**
   * Record every legacy card in use the day before as reported lost on this day (`reportedLostOn`): it
   * stops verifying that day (LEGACY_CARD_REPORTED_LOST). Null when no card was in use.
   */
  recordLegacyCardLostOn: IsoDate | null;
  /** Issue a 資格確認書 (reason `legacy_card_lost`, fee 0). */
  issueCertificate: boolean;
  /**
   * What the member is told: `certificate_issued`; `use_myna_card` only when the data shows a usable
   * マイナ保険証 (a member without a card is never told so); `certificate_held` when they already hold one;
   * `not_covered` when the member is not covered that day; otherwise `apply_other_reason` (with the
   * decision's `suggestedReason`).
   */
  advice: 'certificate_issued' | 'use_myna_card' | 'certificate_held' | 'not_covered' | 'apply_other_reason';
}

/** The advice for a refused `legacy_card_lost` application, by why it was refused. */
const LOSS_ADVICE: Partial<Record<CertificateRefusalWhy, LegacyCardLossEffects['advice']>> = {
  certificate_held: 'certificate_held',
  usable_myna_card: 'use_myna_card',
  not_eligible: 'not_covered',
};

/**
 * The effects of a `legacy_card_lost` application recorded on `recordedOn`, given its decision: the loss
 * of the card is recorded whatever the decision (the 滅失・き損届 stands on its own), the certificate is
 * issued only when accepted.
 */
export function legacyCardLossEffects(
  facts: CertificateApplicationFacts,
  decision: CertificateApplicationDecision,
  recordedOn: IsoDate,
): LegacyCardLossEffects {
  const recordLegacyCardLostOn = legacyCardToLose(facts, recordedOn) ? recordedOn : null;
  if (decision.accepted) return { recordLegacyCardLostOn, issueCertificate: true, advice: 'certificate_issued' };
  return { recordLegacyCardLostOn, issueCertificate: false, advice: LOSS_ADVICE[decision.why] ?? 'apply_other_reason' };
}

// ─── Other applications ─────────────────────────────────────────────────────────────────────────

/** The applications of DESIGN.md §5.2. */
export type ApplicationKind =
  | 'limit_certification'
  | 'reduced_limit_certification'
  | 'specific_disease'
  | 'registration_cancellation'
  | 'notice_reissue'
  | 'standard_income'
  | 'elderly_recipient_certificate'
  | 'certificate';

export type ApplicationState = 'received' | 'approved' | 'refused';

/**
 * The only moves are received → approved and received → refused: a decided application is final
 * (a new one is filed instead). Throws `CONFLICT_APPLICATION_STATE` otherwise.
 */
export function applicationTransition(state: ApplicationState, action: 'approve' | 'refuse'): ApplicationState {
  if (state !== 'received') throw new ShikakuError('CONFLICT_APPLICATION_STATE', { state, action });
  return action === 'approve' ? 'approved' : 'refused';
}

const LOW_INCOME: ReadonlySet<LimitCategory> = new Set<LimitCategory>(['オ', '低所得Ⅱ', '低所得Ⅰ']);
/** 70–74 categories whose limit follows from the 高齢受給者 data alone: no 限度額適用認定 exists for them. */
const NO_CERTIFICATION: ReadonlySet<LimitCategory> = new Set<LimitCategory>(['現役並みⅢ', '一般']);

/**
 * Which certification gives `category` its limit at the counter (RULES.md §7): the low-income ones
 * (オ, 低所得Ⅱ, 低所得Ⅰ) need a 限度額適用・標準負担額減額認定; ア–エ and 現役並みⅠ/Ⅱ a 限度額適用認定;
 * 現役並みⅢ and 一般 none (the 70–74 ratio already gives the limit).
 */
export function limitCertificationKind(
  category: LimitCategory,
): 'limit_certification' | 'reduced_limit_certification' | null {
  if (LOW_INCOME.has(category)) return 'reduced_limit_certification';
  if (NO_CERTIFICATION.has(category)) return null;
  return 'limit_certification';
}

/**
 * Whether an approved certification is needed for `category` to apply (RULES.md §1, §7; seed 004).
 * The low-income categories always need their 減額認定, even with a マイナ保険証 (the hub cannot know
 * 住民税非課税 without it). Otherwise a マイナ保険証 needs none (the hub returns the category with the
 * member's consent); a 資格確認書 holder needs the 限度額適用認定 where one exists.
 */
export function limitCertificationNeeded(
  category: LimitCategory,
  proof: 'myna_card' | 'eligibility_certificate' = 'myna_card',
): boolean {
  const kind = limitCertificationKind(category);
  if (kind === 'reduced_limit_certification') return true;
  return proof === 'eligibility_certificate' && kind !== null;
}

/**
 * The 特定疾病 (specific disease) certification as approved on `asOf` (RULES.md §7): the disease, its
 * OQS code and its monthly limit — 10,000 yen, 20,000 for dialysis under 70 with 標準報酬月額 ≥ 530,000.
 * "Under 70" is before the 70–74 band starts (`elderlyFrom`), as for the high-cost limits.
 */
export function specificDiseaseCertification(input: {
  disease: SpecificDisease;
  birthDate: IsoDate;
  asOf: IsoDate;
  standardMonthlyRemuneration: number | null;
}): { disease: SpecificDisease; oqsCode: string; monthlyLimit: number } {
  const under70 = input.asOf < elderlyFrom(input.birthDate);
  return {
    disease: input.disease,
    oqsCode: SPECIFIC_DISEASE_OQS_CODES[input.disease],
    monthlyLimit: specificDiseaseMonthlyLimit({
      disease: input.disease,
      under70,
      standardMonthlyRemuneration: input.standardMonthlyRemuneration,
    }),
  };
}

/** An application other than the 資格確認書 (which `decideCertificateApplication` decides), as received. */
export type OtherApplicationRequest =
  | { kind: 'limit_certification' }
  | { kind: 'reduced_limit_certification' }
  | { kind: 'specific_disease'; disease: SpecificDisease }
  /** `registration`: from `registrationState()` on the day received. */
  | { kind: 'registration_cancellation'; registration: 'active' | 'never' | 'cancelled' | 'lapsed' }
  /** `portalUsable`: whether the member can see their qualification in the portal (マイナポータル). */
  | { kind: 'notice_reissue'; portalUsable: boolean }
  /** 基準収入額適用申請: the declared 年収 (elderly-income.ts). */
  | { kind: 'standard_income'; declaration: StandardIncomeDeclaration }
  /** 高齢受給者証の交付申請: the refusal `elderlyRecipientCertificateFor` gives on the day received, or null. */
  | { kind: 'elderly_recipient_certificate'; refused: 'NOT_ELDERLY_RECIPIENT' | 'PAPER_CERTIFICATE_NOT_NEEDED' | null };

/**
 * Whether an application can be received (then `received`, decided later by the association):
 * - `registration_cancellation` (利用登録解除) needs an active registration → else CONFLICT_CARD_STATE;
 * - `notice_reissue` only when the member cannot use the portal (RULES.md §3: the お知らせ is not
 *   reissued otherwise, the portal shows the same data) → else NOTICE_REISSUE_NOT_NEEDED;
 * - `standard_income` only when the declared 年収 is under the 基準収入額 (`standardIncomeQualifies`)
 *   → else INCOME_ABOVE_STANDARD;
 * - `elderly_recipient_certificate` only when a 高齢受給者証 can be issued (paper-certificates.ts) → else
 *   NOT_ELDERLY_RECIPIENT or PAPER_CERTIFICATE_NOT_NEEDED;
 * - the certifications are always received: the association judges income or the doctor's opinion.
 */
export function receiveApplication(request: OtherApplicationRequest):
  | { received: true }
  | {
      received: false;
      code:
        | 'CONFLICT_CARD_STATE'
        | 'NOTICE_REISSUE_NOT_NEEDED'
        | 'INCOME_ABOVE_STANDARD'
        | 'NOT_ELDERLY_RECIPIENT'
        | 'PAPER_CERTIFICATE_NOT_NEEDED';
    } {
  switch (request.kind) {
    case 'registration_cancellation':
      return request.registration === 'active' ? { received: true } : { received: false, code: 'CONFLICT_CARD_STATE' };
    case 'notice_reissue':
      return request.portalUsable ? { received: false, code: 'NOTICE_REISSUE_NOT_NEEDED' } : { received: true };
    case 'standard_income':
      return standardIncomeQualifies(request.declaration)
        ? { received: true }
        : { received: false, code: 'INCOME_ABOVE_STANDARD' };
    case 'elderly_recipient_certificate':
      return request.refused === null ? { received: true } : { received: false, code: request.refused };
    default:
      return { received: true };
  }
}

/**
 * What the association does once an application is approved:
 * - `certificate`, and `registration_cancellation` (RULES.md §2, seed 000: after a cancelled
 *   registration is processed a 資格確認書 is issued, reason `registration_cancelled`) → `issue_certificate`
 *   (the issue itself stays idempotent: a member who already holds a usable one gets nothing new);
 * - `notice_reissue` → `issue_notice`;
 * - `standard_income` → `record_standard_income`: the approval day becomes a fact of the insured
 *   (`standardIncomeApprovedOn`), 2割 / 一般 from the 1st of the next month;
 * - the certifications → `register_at_hub`: the category or disease is sent to the hub (a マイナ保険証
 *   answers with it); a 資格確認書 holder is also given the paper 認定証;
 * - `elderly_recipient_certificate` → `issue_paper`: the 高齢受給者証 (paper-certificates.ts).
 */
export function approvalFollowUp(
  kind: ApplicationKind,
): 'issue_certificate' | 'issue_notice' | 'register_at_hub' | 'record_standard_income' | 'issue_paper' {
  switch (kind) {
    case 'certificate':
    case 'registration_cancellation':
      return 'issue_certificate';
    case 'notice_reissue':
      return 'issue_notice';
    case 'standard_income':
      return 'record_standard_income';
    case 'elderly_recipient_certificate':
      return 'issue_paper';
    case 'limit_certification':
    case 'reduced_limit_certification':
    case 'specific_disease':
      return 'register_at_hub';
  }
}
