/**
 * The verification decision (オンライン資格確認): the service gathers the facts as the hub knew them on
 * `asOf`, this module decides. Pure. RULES.md §1, §4, §5; CODES.md; DESIGN.md §5.1.
 *
 * Outcomes map one to one to the national OQS validity codes (anchors-and-style.md A.3):
 * eligible = 1 有効, ineligible = 2 無効 (3 無効・新しい資格あり adds NEWER_QUALIFICATION_EXISTS),
 * not_found = 4 該当資格なし, ambiguous = 5 複数該当.
 *
 * Contract of a Decision:
 * - `reasons` of an `eligible` answer are warnings only; those of any other outcome are the blocking
 *   reasons only (a grace or expiring-soon warning is not repeated on a refusal).
 * - `qualification` is disclosed when the hub answered for a verified person: the valid one when
 *   eligible, the most recent one when ineligible because of the qualification itself. It is null when
 *   the card or the document shown fails, on a wrong birth date, when ambiguous and when not found.
 * - `medicalInfoShared` is true only for an eligible card answer outside the grace period (RULES.md §4);
 *   never by number. Consent is applied by the service on top of it.
 * - `fallbacks` come from FALLBACKS_BY_REASON, deduplicated, in FALLBACK_RANK order.
 */

import { expiryState } from './card-life.js';
import type { CodedMessage, FallbackCode, ReasonCode } from './codes.js';
import { fallback, reason } from './codes.js';
import type { IsoDate } from './dates.js';
import { minDate } from './dates.js';
import { type CoverFacts, coverEndsOn } from './dependents.js';
import { currentLegacyCard, type LegacyCardFacts, legacyCardProofFor } from './legacy-card.js';
import { eligibilityCertificateProof } from './proofs.js';
import { type CardReader, identityCheckAllowed } from './readers.js';

export type Outcome = 'eligible' | 'ineligible' | 'not_found' | 'ambiguous';

export interface QualificationFacts {
  memberId: string;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  birthDate: IsoDate;
  acquiredOn: IsoDate;
  /** First day not covered (null: not lost). */
  lostOn: IsoDate | null;
  /**
   * For a dependent, their insured's cover facts: the dependent's cover ends with the insured's
   * (dependents.ts). Omitted or null: only the member's own loss and 75th birthday count.
   */
  insured?: CoverFacts | null;
}

/** What the hub holds for one registration (one member at one association), as the hub knew it on asOf. */
export type HubRecord =
  | { state: 'registered'; qualification: QualificationFacts }
  /** Recorded, not yet answerable. */
  | { state: 'pending'; hubAvailableOn: IsoDate }
  /** Resident-record check failed; `fields` are field names (e.g. 'name', 'address'), never values. */
  | { state: 'mismatch'; fields: string[] }
  /** Cannot be registered at the hub yet. */
  | { state: 'no_my_number' };

export interface CardFacts {
  kind: 'card' | 'smartphone';
  expiresOn: IsoDate;
  status: 'active' | 'returned' | 'invalidated';
  /** Day the card was returned or invalidated (null with a non-active status: treated as already ended). */
  endedOn: IsoDate | null;
  pinLocked: boolean;
}

export interface CardEvidence {
  challenge: 'valid' | 'invalid';
  signature: 'valid' | 'invalid';
  chain: 'trusted' | 'untrusted';
  certificate: { issuedOn: IsoDate; expiresOn: IsoDate; revokedOn: IsoDate | null };
  card: CardFacts;
  /** From registrationState(). */
  registration: 'active' | 'never' | 'cancelled' | 'lapsed';
  identityCheck: 'face' | 'pin' | 'visual';
  /** The reader used (readers.ts); omitted: a face-recognition reader, the behaviour before issue #16. */
  reader?: CardReader;
}

/**
 * Evidence for a verification by number (資格確認書, legacy 健康保険証, or 資格情報のお知らせ shown with
 * the マイナ保険証 when the card cannot be read online: DESIGN.md §5.1).
 */
export interface DocumentEvidence {
  document: 'legacy_card' | 'certificate' | 'notice';
  birthDateGiven: IsoDate;
  /** Legacy cards issued to the matched member, with what happened to them (legacy-card.ts). */
  legacyCards: LegacyCardFacts[];
  certificates: Array<{
    issuedOn: IsoDate;
    validUntil: IsoDate;
    collectedOn: IsoDate | null;
    reportedLostOn: IsoDate | null;
  }>;
  /** 70–74 or an approved limit / 特定疾病 certification: must still be shown with a 資格確認書. */
  holdsSeparateCertificates: boolean;
  /** The person is registered at another association from a later date. */
  newerQualificationExists: boolean;
}

export interface Decision {
  outcome: Outcome;
  reasons: CodedMessage[];
  fallbacks: CodedMessage[];
  qualification: QualificationFacts | null;
  medicalInfoShared: boolean;
  /** Card answers: the reader the verification was made with, when the request named it (readers.ts). */
  reader?: CardReader;
}

/**
 * What the reception clerk can do for each reason (CODES.md "Fallbacks"). Sets: the order of the
 * answer comes from FALLBACK_RANK. Warnings that need no action map to nothing.
 *
 * | reason | fallbacks | why |
 * |---|---|---|
 * | CHALLENGE_INVALID, SIGNATURE_INVALID | notice + card, portal screen | the card could not be read properly: the fallbacks for an unreadable card (RULES §1); the client retries with a new challenge first |
 * | CERT_UNTRUSTED | certificate, full payment | the chip is not from the trusted CA: the card itself cannot serve |
 * | CERT_NOT_YET_VALID | — | only for back-dated queries: the certificate did not exist that day |
 * | CERT_REVOKED, CARD_INVALIDATED | certificate, apply, renew | a new card/certificate is needed; meanwhile a 資格確認書 |
 * | CARD_RETURNED | certificate, apply | a returned card gets a 資格確認書 ex officio (RULES §2) |
 * | CARD_PIN_LOCKED | face or visual, renew | identity by face or a staff check works now; the PIN is reset at the municipal office; on a generic reader visual only (`fallbacksFor`'s reader) |
 * | IDENTITY_CHECK_NOT_ALLOWED | PIN or visual | a face check on a generic reader: the reader cannot do it (seed 001 Q5) |
 * | CARD_EXPIRED, CERT_EXPIRED | certificate, renew | past grace a 資格確認書 is issued ex officio (RULES §2) |
 * | CARD_EXPIRED_GRACE, CERT_EXPIRED_GRACE, CERT_EXPIRING_SOON | renew | eligible; renewal is the action |
 * | CARD_NOT_REGISTERED, CARD_REGISTRATION_CANCELLED | certificate, apply | |
 * | HUB_REGISTRATION_PENDING | notice + card, portal screen, full payment | new members: the hub answers from hubAvailableOn |
 * | HUB_NOT_REGISTERED, RESIDENT_RECORD_MISMATCH | notice + card, full payment, contact insurer | the association must register or correct the data |
 * | QUALIFICATION_LOST, QUALIFICATION_NOT_STARTED | full payment, contact insurer | not covered that day by this association |
 * | INSURED_COVER_ENDED | full payment, contact insurer | the dependent must join 国保 or another insurer |
 * | AGE_75_TRANSFERRED | certificate, full payment | the 後期高齢者医療 資格確認書 (sent to all of them until 2026-07-31) |
 * | BIRTH_DATE_MISMATCH | full payment, contact insurer | check the input first; a wrong registry birth date needs the association |
 * | MULTIPLE_QUALIFICATIONS | notice + card, contact insurer | the お知らせ shows which association is current |
 * | LEGACY_CARD_EXPIRED | certificate, portal screen, apply | |
 * | LEGACY_CARD_NOT_ISSUED | certificate, portal screen | the card shown is not one the association issued |
 * | LEGACY_CARD_REPORTED_LOST, LEGACY_CARD_RETURNED | certificate, portal screen | the card is no longer the member's proof |
 * | LEGACY_CARD_TEMPORARY_MEASURE | — | eligible; the message says why |
 * | CERTIFICATE_EXPIRED, CERTIFICATE_REPORTED_LOST | full payment, apply | a new 資格確認書 (renewal or reissue) |
 * | CERTIFICATE_COLLECTED, CERTIFICATE_NOT_ISSUED | full payment, contact insurer | |
 * | NEWER_QUALIFICATION_EXISTS | certificate, notice + card | the proof of the newer association (or the マイナ保険証) |
 * | SEPARATE_CERTIFICATES_REQUIRED, CONSENT_NOT_GIVEN | — | informational |
 * | NO_MATCHING_QUALIFICATION | notice + card, full payment, contact insurer | a provider's answer for an unknown 記号・番号 or a wrong birth date alike (src/services/verification/probing.ts) |
 */
export const FALLBACKS_BY_REASON: Readonly<Record<ReasonCode, readonly FallbackCode[]>> = {
  CHALLENGE_INVALID: ['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN'],
  SIGNATURE_INVALID: ['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN'],
  CERT_UNTRUSTED: ['SHOW_CERTIFICATE', 'FULL_PAYMENT_AND_CLAIM'],
  CERT_NOT_YET_VALID: [],
  CERT_REVOKED: ['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE', 'RENEW_AT_MUNICIPALITY'],
  CARD_INVALIDATED: ['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE', 'RENEW_AT_MUNICIPALITY'],
  CARD_RETURNED: ['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE'],
  CARD_PIN_LOCKED: ['IDENTIFY_BY_FACE_OR_VISUAL', 'RENEW_AT_MUNICIPALITY'],
  IDENTITY_CHECK_NOT_ALLOWED: ['IDENTIFY_BY_PIN_OR_VISUAL'],
  CARD_EXPIRED: ['SHOW_CERTIFICATE', 'RENEW_AT_MUNICIPALITY'],
  CERT_EXPIRED: ['SHOW_CERTIFICATE', 'RENEW_AT_MUNICIPALITY'],
  CARD_EXPIRED_GRACE: ['RENEW_AT_MUNICIPALITY'],
  CERT_EXPIRED_GRACE: ['RENEW_AT_MUNICIPALITY'],
  CERT_EXPIRING_SOON: ['RENEW_AT_MUNICIPALITY'],
  CARD_NOT_REGISTERED: ['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE'],
  CARD_REGISTRATION_CANCELLED: ['SHOW_CERTIFICATE', 'APPLY_CERTIFICATE'],
  HUB_REGISTRATION_PENDING: ['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN', 'FULL_PAYMENT_AND_CLAIM'],
  HUB_NOT_REGISTERED: ['SHOW_NOTICE_WITH_CARD', 'FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  RESIDENT_RECORD_MISMATCH: ['SHOW_NOTICE_WITH_CARD', 'FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  QUALIFICATION_LOST: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  QUALIFICATION_NOT_STARTED: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  INSURED_COVER_ENDED: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  AGE_75_TRANSFERRED: ['SHOW_CERTIFICATE', 'FULL_PAYMENT_AND_CLAIM'],
  BIRTH_DATE_MISMATCH: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  MULTIPLE_QUALIFICATIONS: ['SHOW_NOTICE_WITH_CARD', 'CONTACT_INSURER'],
  LEGACY_CARD_EXPIRED: ['SHOW_CERTIFICATE', 'SHOW_PORTAL_SCREEN', 'APPLY_CERTIFICATE'],
  LEGACY_CARD_NOT_ISSUED: ['SHOW_CERTIFICATE', 'SHOW_PORTAL_SCREEN'],
  LEGACY_CARD_REPORTED_LOST: ['SHOW_CERTIFICATE', 'SHOW_PORTAL_SCREEN'],
  LEGACY_CARD_RETURNED: ['SHOW_CERTIFICATE', 'SHOW_PORTAL_SCREEN'],
  LEGACY_CARD_TEMPORARY_MEASURE: [],
  CERTIFICATE_EXPIRED: ['FULL_PAYMENT_AND_CLAIM', 'APPLY_CERTIFICATE'],
  CERTIFICATE_REPORTED_LOST: ['FULL_PAYMENT_AND_CLAIM', 'APPLY_CERTIFICATE'],
  CERTIFICATE_COLLECTED: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  CERTIFICATE_NOT_ISSUED: ['FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
  NEWER_QUALIFICATION_EXISTS: ['SHOW_CERTIFICATE', 'SHOW_NOTICE_WITH_CARD'],
  SEPARATE_CERTIFICATES_REQUIRED: [],
  CONSENT_NOT_GIVEN: [],
  NO_MATCHING_QUALIFICATION: ['SHOW_NOTICE_WITH_CARD', 'FULL_PAYMENT_AND_CLAIM', 'CONTACT_INSURER'],
};

/**
 * Order of fallbacks in an answer, as a clerk works through them: what can be done at the counter now
 * (another identity check, another proof), then full payment as the last resort of the day, then what
 * the member must do afterwards.
 */
export const FALLBACK_RANK: Readonly<Record<FallbackCode, number>> = {
  IDENTIFY_BY_FACE_OR_VISUAL: 0,
  IDENTIFY_BY_VISUAL: 1,
  IDENTIFY_BY_PIN_OR_VISUAL: 2,
  SHOW_CERTIFICATE: 3,
  SHOW_NOTICE_WITH_CARD: 4,
  SHOW_PORTAL_SCREEN: 5,
  FULL_PAYMENT_AND_CLAIM: 6,
  CONTACT_INSURER: 7,
  APPLY_CERTIFICATE: 8,
  RENEW_AT_MUNICIPALITY: 9,
};

/**
 * The identity-check fallback a reader can offer: a generic reader has no camera, so instead of
 * "face or visual" it offers the visual check only (readers.ts; seed 001 Q5).
 */
function fallbackOnReader(code: FallbackCode, reader: CardReader): FallbackCode {
  return code === 'IDENTIFY_BY_FACE_OR_VISUAL' && !identityCheckAllowed(reader, 'face') ? 'IDENTIFY_BY_VISUAL' : code;
}

/**
 * The fallbacks for a list of reasons: deduplicated, in FALLBACK_RANK order; with a reader, only the
 * identity checks that reader can do (`fallbackOnReader`).
 */
export function fallbacksFor(reasons: readonly ReasonCode[], reader?: CardReader): CodedMessage[] {
  const codes = new Set<FallbackCode>();
  for (const r of reasons) {
    for (const f of FALLBACKS_BY_REASON[r]) codes.add(reader === undefined ? f : fallbackOnReader(f, reader));
  }
  return [...codes].sort((a, b) => FALLBACK_RANK[a] - FALLBACK_RANK[b]).map((c) => fallback(c));
}

/** A reason with an optional detail appended to its catalogue message (field names or dates, never values). */
interface Finding {
  code: ReasonCode;
  detail?: { ja: string; en: string };
}

function toMessage(f: Finding): CodedMessage {
  const base = reason(f.code);
  return f.detail ? { code: base.code, ja: `${base.ja}${f.detail.ja}`, en: `${base.en}${f.detail.en}` } : base;
}

function decision(
  outcome: Outcome,
  findings: readonly Finding[],
  qualification: QualificationFacts | null,
  medicalInfoShared = false,
  reader?: CardReader,
): Decision {
  return {
    outcome,
    reasons: findings.map(toMessage),
    fallbacks: fallbacksFor(
      findings.map((f) => f.code),
      reader,
    ),
    qualification,
    medicalInfoShared: outcome === 'eligible' && medicalInfoShared,
  };
}

/**
 * Why a qualification does not cover `asOf`, or null when it does. RULES.md §5, §6 (75).
 * Covered when acquiredOn ≤ asOf and asOf is before `coverEndsOn` (dependents.ts): the earlier of the
 * loss (lostOn = first day not covered) and the 75th birthday (`lateElderlyFrom`, shared with the
 * burden ratio so both agree on 02-29 births) — and, for a dependent whose insured is given, the
 * insured's own end. A loss on or after the 75th birthday is the transfer to 後期高齢者医療, so it reads
 * AGE_75_TRANSFERRED; a dependent's cover ended by the insured's (75, death, any loss) reads
 * INSURED_COVER_ENDED.
 */
export function qualificationProblemOn(
  q: QualificationFacts,
  asOf: IsoDate,
): 'QUALIFICATION_NOT_STARTED' | 'QUALIFICATION_LOST' | 'AGE_75_TRANSFERRED' | 'INSURED_COVER_ENDED' | null {
  if (asOf < q.acquiredOn) return 'QUALIFICATION_NOT_STARTED';
  const end = coverEndsOn(q, q.insured ?? null);
  if (asOf < end.on) return null;
  if (end.cause === 'own_75') return 'AGE_75_TRANSFERRED';
  return end.cause === 'own_loss' ? 'QUALIFICATION_LOST' : 'INSURED_COVER_ENDED';
}

/** The most recent qualification: the latest acquisition; on a tie, the later (or open) loss. */
function mostRecent(qs: readonly QualificationFacts[]): QualificationFacts | null {
  let best: QualificationFacts | null = null;
  for (const q of qs) {
    if (
      best === null ||
      q.acquiredOn > best.acquiredOn ||
      (q.acquiredOn === best.acquiredOn && (q.lostOn === null || (best.lostOn !== null && q.lostOn > best.lostOn)))
    ) {
      best = q;
    }
  }
  return best;
}

const FIELD_NAMES_JA: Readonly<Record<string, string>> = {
  name: '氏名',
  nameKana: '氏名（カナ）',
  birthDate: '生年月日',
  sex: '性別',
  address: '住所',
};

interface HubAnswer {
  outcome: Outcome;
  findings: Finding[];
  qualification: QualificationFacts | null;
}

function hubAnswer(asOf: IsoDate, hubRecords: readonly HubRecord[]): HubAnswer {
  const registered: QualificationFacts[] = [];
  const pendingFrom: IsoDate[] = [];
  const mismatched = new Set<string>();
  let anyMismatch = false;
  for (const r of hubRecords) {
    if (r.state === 'registered') registered.push(r.qualification);
    else if (r.state === 'pending') pendingFrom.push(r.hubAvailableOn);
    else if (r.state === 'mismatch') {
      anyMismatch = true;
      for (const f of r.fields) mismatched.add(f);
    }
  }

  const valid = registered.filter((q) => qualificationProblemOn(q, asOf) === null);
  if (valid.length === 1) return { outcome: 'eligible', findings: [], qualification: valid[0] ?? null };
  if (valid.length > 1)
    return { outcome: 'ambiguous', findings: [{ code: 'MULTIPLE_QUALIFICATIONS' }], qualification: null };

  if (pendingFrom.length > 0) {
    const from = pendingFrom.reduce(minDate);
    const detail = { ja: `（照会可能日: ${from}）`, en: ` (from ${from})` };
    return { outcome: 'not_found', findings: [{ code: 'HUB_REGISTRATION_PENDING', detail }], qualification: null };
  }
  if (anyMismatch) {
    const fields = [...mismatched];
    const finding: Finding =
      fields.length > 0
        ? {
            code: 'RESIDENT_RECORD_MISMATCH',
            detail: {
              ja: `（不一致: ${fields.map((f) => FIELD_NAMES_JA[f] ?? f).join('・')}）`,
              en: ` (differs: ${fields.join(', ')})`,
            },
          }
        : { code: 'RESIDENT_RECORD_MISMATCH' };
    return { outcome: 'not_found', findings: [finding], qualification: null };
  }
  const latest = mostRecent(registered);
  if (latest !== null) {
    const code = qualificationProblemOn(latest, asOf) ?? 'QUALIFICATION_LOST';
    return { outcome: 'ineligible', findings: [{ code }], qualification: latest };
  }
  return { outcome: 'not_found', findings: [{ code: 'HUB_NOT_REGISTERED' }], qualification: null };
}

/**
 * The hub's answer alone (RULES.md §5): one valid qualification → eligible (a job change, old lost and
 * new valid, is simply eligible with the new one); several → ambiguous; none valid: pending → not_found
 * (with the earliest hubAvailableOn), else a resident-record mismatch → not_found (with the field
 * names), else registered but not covering asOf → ineligible with the most recent qualification, else
 * (no records, or only no_my_number) → not_found HUB_NOT_REGISTERED.
 */
export function decideFromHub(asOf: IsoDate, hubRecords: readonly HubRecord[]): Decision {
  const hub = hubAnswer(asOf, hubRecords);
  return decision(hub.outcome, hub.findings, hub.qualification, true);
}

/** The first failure of the card's cryptographic evidence on `asOf`, if any. */
function cryptoFailure(asOf: IsoDate, e: CardEvidence): ReasonCode | null {
  if (e.challenge !== 'valid') return 'CHALLENGE_INVALID';
  if (e.signature !== 'valid') return 'SIGNATURE_INVALID';
  if (e.chain !== 'trusted') return 'CERT_UNTRUSTED';
  if (asOf < e.certificate.issuedOn) return 'CERT_NOT_YET_VALID';
  if (e.certificate.revokedOn !== null && e.certificate.revokedOn <= asOf) return 'CERT_REVOKED';
  return null;
}

/**
 * Verification by マイナ保険証 (card or smartphone) on `asOf`. RULES.md §1, §4, §5; CODES.md.
 * 0. The identity check must be one the reader allows (readers.ts): a face check on a generic reader
 *    → ineligible IDENTITY_CHECK_NOT_ALLOWED, nothing else examined. The answer names the reader when
 *    the evidence did (without one, a face-recognition reader is assumed and not named).
 * 1. Cryptographic evidence, first failure only (nothing else about an unproven card is trusted):
 *    CHALLENGE_INVALID, SIGNATURE_INVALID, CERT_UNTRUSTED, CERT_NOT_YET_VALID (certificate issued after
 *    asOf: back-dated queries), CERT_REVOKED (revokedOn ≤ asOf) → ineligible.
 * 2. A card returned or invalidated on or before asOf → ineligible (the card is gone: nothing more).
 * 3. Everything else about the card, all reported together: CARD_PIN_LOCKED when the identity check is
 *    the PIN (face and visual still work; on a generic reader the fallback is the visual check only); card and certificate expiry (grace → warning, no medical
 *    information; expired → refusal; certificate expiring soon → warning); registration never →
 *    CARD_NOT_REGISTERED, cancelled or lapsed → CARD_REGISTRATION_CANCELLED.
 * 4. The hub (decideFromHub) gives the outcome; the card's warnings go with an eligible answer.
 */
export function decideByCard(asOf: IsoDate, evidence: CardEvidence, hubRecords: HubRecord[]): Decision {
  const d = decideCardEvidence(asOf, evidence, evidence.reader ?? 'faceReader', hubRecords);
  return evidence.reader === undefined ? d : { ...d, reader: evidence.reader };
}

function decideCardEvidence(
  asOf: IsoDate,
  evidence: CardEvidence,
  reader: CardReader,
  hubRecords: HubRecord[],
): Decision {
  if (!identityCheckAllowed(reader, evidence.identityCheck)) {
    return decision('ineligible', [{ code: 'IDENTITY_CHECK_NOT_ALLOWED' }], null);
  }
  const crypto = cryptoFailure(asOf, evidence);
  if (crypto !== null) return decision('ineligible', [{ code: crypto }], null);

  const card = evidence.card;
  if (card.status !== 'active' && (card.endedOn === null || card.endedOn <= asOf)) {
    return decision('ineligible', [{ code: card.status === 'returned' ? 'CARD_RETURNED' : 'CARD_INVALIDATED' }], null);
  }

  const blocking: Finding[] = [];
  const warnings: Finding[] = [];
  let inGrace = false;
  if (card.pinLocked && evidence.identityCheck === 'pin') blocking.push({ code: 'CARD_PIN_LOCKED' });

  const cardState = expiryState(card.expiresOn, asOf);
  if (cardState === 'expired') blocking.push({ code: 'CARD_EXPIRED' });
  else if (cardState === 'grace') {
    warnings.push({ code: 'CARD_EXPIRED_GRACE' });
    inGrace = true;
  }
  // The certificate never outlives the card, so its nearing expiry is the one to warn about.
  const certState = expiryState(evidence.certificate.expiresOn, asOf);
  if (certState === 'expired') blocking.push({ code: 'CERT_EXPIRED' });
  else if (certState === 'grace') {
    warnings.push({ code: 'CERT_EXPIRED_GRACE' });
    inGrace = true;
  } else if (certState === 'expiring_soon') warnings.push({ code: 'CERT_EXPIRING_SOON' });

  if (evidence.registration === 'never') blocking.push({ code: 'CARD_NOT_REGISTERED' });
  else if (evidence.registration !== 'active') blocking.push({ code: 'CARD_REGISTRATION_CANCELLED' });

  if (blocking.length > 0) return decision('ineligible', blocking, null, false, reader);

  const hub = hubAnswer(asOf, hubRecords);
  if (hub.outcome !== 'eligible') return decision(hub.outcome, hub.findings, hub.qualification);
  return decision('eligible', warnings, hub.qualification, !inGrace);
}

/**
 * Verification by number (資格確認書, or legacy 健康保険証) on `asOf`; `hubRecords` are those matching
 * 保険者番号・記号・番号(・枝番). RULES.md §1, §5; CODES.md.
 * 1. No registered record: the hub's not_found answer (pending, mismatch, not registered); the document
 *    is not examined, since nothing confirms who is asking.
 * 2. The birth date must equal that of a registered record, else not_found BIRTH_DATE_MISMATCH with
 *    nothing disclosed; registered records with another birth date are set aside.
 * 3. The document: legacy card — the newest issued on or before asOf (else not_found
 *    LEGACY_CARD_NOT_ISSUED), then legacyCardProofFor (lost, returned, past its printed expiry, the
 *    dated end of legacy cards); 資格確認書 — the newest issued on or before asOf (else not_found
 *    CERTIFICATE_NOT_ISSUED) decides via eligibilityCertificateProof. A failing document → ineligible,
 *    qualification not disclosed.
 *    お知らせ — not a proof by itself (it goes with the card the clerk has seen): no document check.
 * 4. The hub gives the outcome. Warnings on eligible: LEGACY_CARD_TEMPORARY_MEASURE, and
 *    SEPARATE_CERTIFICATES_REQUIRED for a 資格確認書 holder who needs them (RULES.md §1).
 *    Any ineligible answer adds NEWER_QUALIFICATION_EXISTS when the person is registered elsewhere from
 *    a later date (OQS validity code 3).
 */
export function decideByNumber(asOf: IsoDate, evidence: DocumentEvidence, hubRecords: HubRecord[]): Decision {
  const anyRegistered = hubRecords.some((r) => r.state === 'registered');
  if (!anyRegistered) {
    const hub = hubAnswer(asOf, hubRecords);
    return decision(hub.outcome, hub.findings, hub.qualification);
  }

  const records = hubRecords.filter(
    (r) => r.state !== 'registered' || r.qualification.birthDate === evidence.birthDateGiven,
  );
  if (!records.some((r) => r.state === 'registered')) {
    return decision('not_found', [{ code: 'BIRTH_DATE_MISMATCH' }], null);
  }

  const refuse = (code: ReasonCode): Decision =>
    decision(
      'ineligible',
      evidence.newerQualificationExists ? [{ code }, { code: 'NEWER_QUALIFICATION_EXISTS' }] : [{ code }],
      null,
    );

  const warnings: Finding[] = [];
  if (evidence.document === 'legacy_card') {
    const card = currentLegacyCard(evidence.legacyCards, asOf);
    if (card === undefined) return decision('not_found', [{ code: 'LEGACY_CARD_NOT_ISSUED' }], null);
    const proof = legacyCardProofFor(card, asOf);
    if (!proof.usable) return refuse(proof.reason);
    if ('warning' in proof) warnings.push({ code: proof.warning });
  } else if (evidence.document === 'certificate') {
    let newest: DocumentEvidence['certificates'][number] | undefined;
    for (const c of evidence.certificates) {
      if (c.issuedOn <= asOf && (newest === undefined || c.issuedOn >= newest.issuedOn)) newest = c;
    }
    if (newest === undefined) return decision('not_found', [{ code: 'CERTIFICATE_NOT_ISSUED' }], null);
    const proof = eligibilityCertificateProof(newest, asOf);
    if (!proof.usable) return refuse(proof.reason);
    if (evidence.holdsSeparateCertificates) warnings.push({ code: 'SEPARATE_CERTIFICATES_REQUIRED' });
  }

  const hub = hubAnswer(asOf, records);
  if (hub.outcome === 'eligible') return decision('eligible', warnings, hub.qualification);
  const findings =
    hub.outcome === 'ineligible' && evidence.newerQualificationExists
      ? [...hub.findings, { code: 'NEWER_QUALIFICATION_EXISTS' } as const]
      : hub.findings;
  return decision(hub.outcome, findings, hub.qualification);
}
