/**
 * The ex-officio (職権交付) decision for a 資格確認書: one member, one date. Pure: the service gathers
 * the facts as known on `asOf` and issues (or not) from the answer. RULES.md §1, §2; CODES.md.
 *
 * Order of the decision (the first that applies wins):
 * 1. not covered on `asOf` (not yet acquired, lost, or 75 and gone to 後期高齢者医療) → skip `not_eligible`;
 * 2. a usable 資格確認書 already held → skip `already_has_certificate` (so a second run issues nothing);
 * 3. a usable マイナ保険証 → skip `usable_myna_card` (no certificate "just in case", RULES §1);
 * 4. a valid legacy 健康保険証 through 2025-12-01 → skip `valid_legacy_card`, except in the transition
 *    window (from `LEGACY_TRANSITION_ISSUE_FROM`) where the member is issued one before the card ends;
 * 5. a new member (acquired from 2024-12-02) under the `on_application` policy whose only problem is
 *    `no_card` / `not_registered` → skip `on_application_policy`, unless the 資格取得届 / 被扶養者異動届
 *    carried the "資格確認書の交付希望" box (`certificateRequested`, seed 002): then it issues;
 * 6. otherwise issue, with the reason from `mynaCardProblem`.
 */
import { expiryState } from './card-life.js';
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { addDays } from './dates.js';
import { type CoverFacts, coveredWithInsuredOn } from './dependents.js';
import { type LegacyCardFacts, legacyCardState } from './legacy-card.js';
import { eligibilityCertificateProof, LEGACY_CARD_LAST_ISSUE_DATE } from './proofs.js';

/** First day a 資格確認書 can be issued (the day after the last legacy-card issue). RULES.md §1. */
export const CERTIFICATE_FIRST_ISSUE_DATE: IsoDate = addDays(LEGACY_CARD_LAST_ISSUE_DATE, 1);

/**
 * Members acquired on or after this day are "new members" for the `newMemberCertificate` policy
 * (RULES.md §2: new members from 2024-12-02 got no legacy card).
 */
export const NEW_MEMBER_POLICY_FROM: IsoDate = CERTIFICATE_FIRST_ISSUE_DATE;

/**
 * First day of the legacy-card transition run (RULES.md §2, seed 002 Q7): from this day through
 * 2025-12-01, a holder of a valid legacy card with no usable マイナ保険証 is issued a 資格確認書 so that
 * it arrives before the card ends; before it, the legacy card is the proof and nothing is issued
 * (seed 000). The seeds only say "by 2025-12-01": 2025-07-01 is the month the earliest documented run
 * started (協会けんぽ mailed them from late July 2025; 健康保険組合 mostly in Oct–Nov 2025, e.g. status
 * on 2025-10-10, mailed 2025-11-14). An association that ran later passes its own date
 * (`options.legacyTransitionFrom`): the window is association policy, this is only the default.
 */
export const LEGACY_TRANSITION_ISSUE_FROM: IsoDate = '2025-07-01';

export type ExOfficioReason =
  | 'no_card'
  | 'not_registered'
  | 'registration_cancelled'
  | 'cert_expired'
  | 'card_returned';

export type SkipReason =
  | 'usable_myna_card'
  | 'valid_legacy_card'
  | 'already_has_certificate'
  | 'not_eligible'
  | 'on_application_policy';

export interface IssuanceCard {
  status: 'active' | 'returned' | 'invalidated';
  /** Day the card was returned or invalidated (null with a non-active status: treated as already ended). */
  endedOn: IsoDate | null;
  expiresOn: IsoDate;
}

export interface IssuanceUserCertificate {
  issuedOn: IsoDate;
  expiresOn: IsoDate;
  revokedOn: IsoDate | null;
}

export interface IssuanceEligibilityCertificate {
  issuedOn: IsoDate;
  validUntil: IsoDate;
  collectedOn: IsoDate | null;
  reportedLostOn: IsoDate | null;
}

/** What the association knows about one member on `asOf`. */
export interface MemberIssuanceFacts {
  acquiredOn: IsoDate;
  /** 資格喪失年月日: first day not covered. */
  lostOn: IsoDate | null;
  birthDate: IsoDate;
  /** The person's physical My Number cards known on `asOf` (none when the association holds no My Number). */
  cards: readonly IssuanceCard[];
  /** User certificates (利用者証明用電子証明書) of those cards. */
  certificates: readonly IssuanceUserCertificate[];
  /** From `registrationState()` on `asOf`. */
  registration: 'active' | 'never' | 'cancelled' | 'lapsed';
  /** Legacy 健康保険証 issued to the member (issued on or before 2024-12-01), with their life (legacy-card.ts). */
  legacyCards: readonly LegacyCardFacts[];
  /** 資格確認書 issued to this member. */
  eligibilityCertificates: readonly IssuanceEligibilityCertificate[];
  /** The association's `newMemberCertificate` policy. */
  newMemberPolicy: 'on_application' | 'ex_officio';
  /** For a dependent, the insured's cover facts: a dependent is not covered once the insured leaves. */
  insured?: CoverFacts | null;
  /**
   * The employer's notification (資格取得届 / 被扶養者異動届) carried the "資格確認書の交付希望" box for
   * this person (seed 002). Omitted: false.
   */
  certificateRequested?: boolean;
}

/** `onRequest`: issued because the notification asked for it under the `on_application` policy. */
export type ExOfficioDecision =
  | { issue: true; reason: ExOfficioReason; onRequest?: true }
  | { issue: false; reason: SkipReason };

export interface ExOfficioOptions {
  /** First day of the legacy-card transition run (default `LEGACY_TRANSITION_ISSUE_FROM`). */
  legacyTransitionFrom?: IsoDate;
}

/**
 * Whether the member is covered on `asOf`: acquired on or before it, not lost on or before it, and
 * before the 75th birthday (the move to 後期高齢者医療, RULES.md §6), whether or not the loss was
 * recorded yet — and, for a dependent whose insured is given, while the insured is covered
 * (dependents.ts: the insured's 75th birthday, death or loss ends the dependent's cover too).
 */
export function coveredOn(
  facts: Pick<MemberIssuanceFacts, 'acquiredOn' | 'lostOn' | 'birthDate' | 'insured'>,
  asOf: IsoDate,
): boolean {
  return coveredWithInsuredOn(facts, facts.insured ?? null, asOf);
}

/** A card not returned or invalidated on or before `asOf` (its expiry is not looked at). */
export function cardInHand(card: IssuanceCard, asOf: IsoDate): boolean {
  return card.status === 'active' || (card.endedOn !== null && card.endedOn > asOf);
}

/** A user certificate issued by `asOf`, not revoked by then, and not past its grace period. */
function certificateAlive(cert: IssuanceUserCertificate, asOf: IsoDate): boolean {
  return (
    cert.issuedOn <= asOf &&
    (cert.revokedOn === null || cert.revokedOn > asOf) &&
    expiryState(cert.expiresOn, asOf) !== 'expired'
  );
}

/**
 * Why the member cannot use a マイナ保険証 on `asOf`, or null when they can (RULES.md §1, §2, §4).
 * Usable: a card not returned or invalidated and not past its grace period, a user certificate issued,
 * not revoked and not past its grace period, and the registration active. The facts do not tie a
 * certificate to its card: any live card with any live certificate counts (a returned card's
 * certificate is revoked with it). The hub's own answer is not part of this decision.
 *
 * The first that applies, in this order (RULES.md §2):
 * - `card_returned`: no card alive and one was returned;
 * - `no_card`: no card alive (none known, or only invalidated ones);
 * - `cert_expired`: every live card past its grace period, or certificates on record but none alive
 *   (past grace, or revoked); a lapsed registration with its certificate past grace reads this way;
 * - `registration_cancelled`: registration cancelled (解除) or lapsed;
 * - `not_registered`: never registered;
 * - `cert_expired` again for an active registration with no certificate at all on record (no valid
 *   certificate, whatever the data gap).
 */
export function mynaCardProblem(
  facts: Pick<MemberIssuanceFacts, 'cards' | 'certificates' | 'registration'>,
  asOf: IsoDate,
): ExOfficioReason | null {
  const live = facts.cards.filter((c) => cardInHand(c, asOf));
  if (live.length === 0) {
    const returned = facts.cards.some((c) => c.status === 'returned' && !cardInHand(c, asOf));
    return returned ? 'card_returned' : 'no_card';
  }
  const cardUsable = live.some((c) => expiryState(c.expiresOn, asOf) !== 'expired');
  const issued = facts.certificates.filter((c) => c.issuedOn <= asOf);
  const certUsable = issued.some((c) => certificateAlive(c, asOf));
  if (!cardUsable || (issued.length > 0 && !certUsable)) return 'cert_expired';
  if (facts.registration === 'cancelled' || facts.registration === 'lapsed') return 'registration_cancelled';
  if (facts.registration === 'never') return 'not_registered';
  if (!certUsable) return 'cert_expired';
  return null;
}

/** True when the member holds a 資格確認書 usable on `asOf` (RULES.md §1; `eligibilityCertificateProof`). */
export function holdsUsableCertificate(
  certificates: readonly IssuanceEligibilityCertificate[],
  asOf: IsoDate,
): boolean {
  return certificates.some((c) => eligibilityCertificateProof(c, asOf).usable);
}

/**
 * True when the member holds a legacy 健康保険証 that is a proof on `asOf` without any temporary
 * measure: `in_use` (legacy-card.ts: issued on or before `asOf`, not reported lost, returned or past
 * its printed 有効期限, and `asOf` on or before 2025-12-01; RULES.md §1). The 2025-12-02 … 2026-03-31
 * acceptance of expired cards is a reception safety net, not a reason to withhold a 資格確認書.
 */
export function holdsValidLegacyCard(legacyCards: readonly LegacyCardFacts[], asOf: IsoDate): boolean {
  return legacyCards.some((c) => legacyCardState(c, asOf).state === 'in_use');
}

/** Throws `VALIDATION_FAILED` for a date before 資格確認書 existed (2024-12-02). */
export function assertCertificateDate(asOf: IsoDate): void {
  if (asOf < CERTIFICATE_FIRST_ISSUE_DATE) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { asOf },
      {
        ja: '資格確認書は2024年12月2日以降に交付されます',
        en: 'eligibility certificates exist from 2024-12-02',
      },
    );
  }
}

/**
 * The ex-officio (職権交付) decision for one member on `asOf` (RULES.md §2; seeds 000, 002). See the
 * module note for the order. Throws `VALIDATION_FAILED` when `asOf` is before 2024-12-02.
 *
 * The `on_application` policy only covers what a new member could have declared on the acquisition
 * notification (no card, card not registered); a returned card, an expired certificate or a cancelled
 * or lapsed registration later on gets a certificate ex officio whatever the policy, as for every
 * member (the hub reports these states to the association each month).
 */
export function decideExOfficio(
  facts: MemberIssuanceFacts,
  asOf: IsoDate,
  options: ExOfficioOptions = {},
): ExOfficioDecision {
  assertCertificateDate(asOf);
  if (!coveredOn(facts, asOf)) return { issue: false, reason: 'not_eligible' };
  if (holdsUsableCertificate(facts.eligibilityCertificates, asOf)) {
    return { issue: false, reason: 'already_has_certificate' };
  }
  const problem = mynaCardProblem(facts, asOf);
  if (problem === null) return { issue: false, reason: 'usable_myna_card' };

  const transitionFrom = options.legacyTransitionFrom ?? LEGACY_TRANSITION_ISSUE_FROM;
  if (holdsValidLegacyCard(facts.legacyCards, asOf) && asOf < transitionFrom) {
    return { issue: false, reason: 'valid_legacy_card' };
  }

  if (
    facts.newMemberPolicy === 'on_application' &&
    facts.acquiredOn >= NEW_MEMBER_POLICY_FROM &&
    (problem === 'no_card' || problem === 'not_registered')
  ) {
    return facts.certificateRequested === true
      ? { issue: true, reason: problem, onRequest: true }
      : { issue: false, reason: 'on_application_policy' };
  }
  return { issue: true, reason: problem };
}
