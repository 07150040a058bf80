/**
 * The legacy 健康保険証 as a thing with a life (RULES.md §1; seed 002 Q7; domain-research.md §5.2):
 * issued (last on 2024-12-01), usable to its printed 有効期限 and at most to 2025-12-01, reported lost
 * or damaged (滅失・き損), handed back to the association (回収) while it was still a proof, or destroyed
 * by the member (自己廃棄) once the legacy cards ended. Pure: the console shows what this returns, the
 * verification refuses a card that is not `in_use`.
 */
import { addDays, type IsoDate, minDate } from './dates.js';
import { LEGACY_CARD_LAST_USE_DATE, type LegacyCardProof, legacyCardProof } from './proofs.js';

/** One legacy card and what happened to it, with dates (null/omitted: did not happen). */
export interface LegacyCardFacts {
  issuedOn: IsoDate;
  /** 有効期限 printed on the card (e.g. 任意継続, a fixed-term member); null: none printed. */
  expiresOn?: IsoDate | null;
  /** 滅失・き損届: from this day the card is no longer a proof. */
  reportedLostOn?: IsoDate | null;
  /** Handed back to the association (回収). */
  returnedOn?: IsoDate | null;
  /** The member's report that they destroyed it (自己廃棄). */
  disposedOn?: IsoDate | null;
}

/**
 * - `not_issued`: before its issue;
 * - `in_use`: a proof on that day;
 * - `lost`, `returned`, `disposed`: as recorded;
 * - `expired`: past its printed 有効期限 (or the member's loss of eligibility) before the legacy cards ended;
 * - `ended`: after 2025-12-01, when no legacy card is a proof any more (RULES.md §1).
 */
export type LegacyCardState = 'not_issued' | 'in_use' | 'lost' | 'returned' | 'disposed' | 'expired' | 'ended';

/** What the member still has to do with the card: hand it back (回収), destroy it, or nothing. */
export type LegacyCardPending = 'none' | 'return' | 'dispose';

export interface LegacyCardStatus {
  state: LegacyCardState;
  /** Last day the card is (or was) a proof, from what is recorded up to `asOf`. */
  lastUsableOn: IsoDate;
  pending: LegacyCardPending;
}

/** The day a dated event counts from `asOf`: recorded on or before it. */
function happened(on: IsoDate | null | undefined, asOf: IsoDate): on is IsoDate {
  return on !== null && on !== undefined && on <= asOf;
}

/**
 * What to do with a card that stopped being a proof on `endedOn` (its first unusable day): before the
 * legacy cards ended (on or before 2025-12-01) it is handed back to the association (回収); from
 * 2025-12-02 the member destroys it themself (自己廃棄; the notices of seeds 000/002).
 */
export function legacyCardEndAction(endedOn: IsoDate): Exclude<LegacyCardPending, 'none'> {
  return endedOn <= LEGACY_CARD_LAST_USE_DATE ? 'return' : 'dispose';
}

/**
 * The card's state on `asOf` (see `LegacyCardState`); `memberLostOn` (資格喪失年月日, first day not
 * covered) ends its use too. Recorded events win over dates: lost, then returned, then disposed.
 * `pending` is `return` or `dispose` (`legacyCardEndAction` of the day its use ended) for a card no
 * longer usable that is neither returned, disposed nor lost.
 */
export function legacyCardState(
  card: LegacyCardFacts,
  asOf: IsoDate,
  memberLostOn: IsoDate | null = null,
): LegacyCardStatus {
  let lastUsableOn = LEGACY_CARD_LAST_USE_DATE;
  for (const end of [card.expiresOn, memberLostOn === null ? null : addDays(memberLostOn, -1)]) {
    if (end !== null && end !== undefined) lastUsableOn = minDate(lastUsableOn, end);
  }
  for (const stop of [card.reportedLostOn, card.returnedOn, card.disposedOn]) {
    if (happened(stop, asOf)) lastUsableOn = minDate(lastUsableOn, addDays(stop, -1));
  }
  const done = (state: LegacyCardState): LegacyCardStatus => ({ state, lastUsableOn, pending: 'none' });
  if (asOf < card.issuedOn) return done('not_issued');
  if (happened(card.reportedLostOn, asOf)) return done('lost');
  if (happened(card.returnedOn, asOf)) return done('returned');
  if (happened(card.disposedOn, asOf)) return done('disposed');
  if (asOf <= lastUsableOn) return done('in_use');
  const endedOn = addDays(lastUsableOn, 1);
  return {
    state: endedOn > LEGACY_CARD_LAST_USE_DATE ? 'ended' : 'expired',
    lastUsableOn,
    pending: legacyCardEndAction(endedOn),
  };
}

/** The newest card issued on or before `asOf` (the one a member shows), if any. */
export function currentLegacyCard<T extends LegacyCardFacts>(cards: readonly T[], asOf: IsoDate): T | undefined {
  let newest: T | undefined;
  for (const c of cards) if (c.issuedOn <= asOf && (newest === undefined || c.issuedOn >= newest.issuedOn)) newest = c;
  return newest;
}

/** A legacy card shown at reception: usable, with the temporary-measure warning, or refused with why. */
export type LegacyCardProofFor =
  | LegacyCardProof
  | { usable: false; reason: 'LEGACY_CARD_REPORTED_LOST' | 'LEGACY_CARD_RETURNED' | 'LEGACY_CARD_NOT_ISSUED' };

/**
 * Whether this card is a usable proof on `asOf` (RULES.md §1, CODES.md): refused once reported lost
 * (`LEGACY_CARD_REPORTED_LOST`: someone else may hold it), handed back or destroyed
 * (`LEGACY_CARD_RETURNED`), past its printed 有効期限 before 2025-12-02 (`LEGACY_CARD_EXPIRED`); in use
 * or past 2025-12-01, the dated rule of `legacyCardProof` (the temporary measure from 2025-12-02).
 */
export function legacyCardProofFor(card: LegacyCardFacts, asOf: IsoDate): LegacyCardProofFor {
  const { state } = legacyCardState(card, asOf);
  switch (state) {
    case 'not_issued':
      return { usable: false, reason: 'LEGACY_CARD_NOT_ISSUED' };
    case 'lost':
      return { usable: false, reason: 'LEGACY_CARD_REPORTED_LOST' };
    case 'returned':
    case 'disposed':
      return { usable: false, reason: 'LEGACY_CARD_RETURNED' };
    case 'expired':
      return asOf <= LEGACY_CARD_LAST_USE_DATE
        ? { usable: false, reason: 'LEGACY_CARD_EXPIRED' }
        : legacyCardProof(asOf);
    default:
      return legacyCardProof(asOf);
  }
}

/** What can be recorded about a legacy card after its issue (the 0008 columns). */
export type LegacyCardEvent = 'returned' | 'disposed' | 'lost';

/** Why an event cannot be recorded on that day (error codes of `codes.ts`). */
export type LegacyCardEventRefusal =
  | 'LEGACY_CARD_EVENT_BEFORE_ISSUE'
  | 'CONFLICT_LEGACY_CARD_STATE'
  | 'LEGACY_CARD_RETURN_CLOSED'
  | 'LEGACY_CARD_DISPOSAL_NOT_YET';

const EVENT_DATE: Readonly<Record<LegacyCardEvent, keyof LegacyCardFacts>> = {
  returned: 'returnedOn',
  disposed: 'disposedOn',
  lost: 'reportedLostOn',
};

/**
 * Whether `event` can be recorded on `on` (RULES-NOTES §5): not before the issue; a card has one end
 * (lost, returned or disposed) — the same event on the same day again is a repeat (`repeat: true`,
 * nothing to write); a return (回収) up to 2025-12-01, or later for a card whose use ended by then and is
 * still to be handed back (`pending: 'return'`); a self-disposal (自己廃棄) from 2025-12-02; a loss
 * (滅失・き損) any day from the issue.
 */
export function legacyCardEventCheck(
  card: LegacyCardFacts,
  event: LegacyCardEvent,
  on: IsoDate,
): { ok: true; repeat: boolean } | { ok: false; refusal: LegacyCardEventRefusal } {
  if (card[EVENT_DATE[event]] === on) return { ok: true, repeat: true };
  if (on < card.issuedOn) return { ok: false, refusal: 'LEGACY_CARD_EVENT_BEFORE_ISSUE' };
  const ended = [card.reportedLostOn, card.returnedOn, card.disposedOn].some((d) => d !== null && d !== undefined);
  if (ended) return { ok: false, refusal: 'CONFLICT_LEGACY_CARD_STATE' };
  if (event === 'returned' && on > LEGACY_CARD_LAST_USE_DATE && legacyCardState(card, on).pending !== 'return') {
    return { ok: false, refusal: 'LEGACY_CARD_RETURN_CLOSED' };
  }
  if (event === 'disposed' && on <= LEGACY_CARD_LAST_USE_DATE) {
    return { ok: false, refusal: 'LEGACY_CARD_DISPOSAL_NOT_YET' };
  }
  return { ok: true, repeat: false };
}
