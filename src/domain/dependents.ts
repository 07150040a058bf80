/**
 * A dependent's cover follows their insured's (RULES.md §6; 健保法 §3⑦ — a 被扶養者 is one "of the
 * insured"): when the insured leaves — 75th birthday (後期高齢者医療), death or any other loss — every
 * dependent's cover ends the same day, without a notification of its own. Pure: the services pass the
 * facts, this module says when and why cover ends and what follows for each dependent.
 */
import { lateElderlyFrom } from './burden.js';
import { addDays, type IsoDate } from './dates.js';

/** What decides when one member's own cover ends. */
export interface CoverFacts {
  birthDate: IsoDate;
  acquiredOn: IsoDate;
  /** 資格喪失年月日: the first day not covered (null: not lost). */
  lostOn: IsoDate | null;
  /** Why the loss was recorded, when known: a death is told apart for the console and the letters. */
  lossReason?: 'death' | 'other' | null;
}

/**
 * - `own_loss` / `own_75`: the member's own loss, or their own 75th birthday;
 * - `insured_loss` / `insured_death` / `insured_75`: the insured's, which ends a dependent's cover too.
 */
export type CoverEndCause = 'own_loss' | 'own_75' | 'insured_loss' | 'insured_death' | 'insured_75';

/** The first day not covered, and why. */
export interface CoverEnd {
  on: IsoDate;
  cause: CoverEndCause;
}

/**
 * 資格喪失年月日 after a death: the day after it (健保法 §36 一, "死亡した日の翌日"). The association
 * records this as the insured's `lostOn` with `lossReason: 'death'`.
 */
export function lostOnAfterDeath(diedOn: IsoDate): IsoDate {
  return addDays(diedOn, 1);
}

/**
 * When a member's own cover ends: the earlier of the recorded loss and the 75th birthday (the move to
 * 後期高齢者医療; a 02-29 birth moves on 03-01 in a common year, age.ts). A loss recorded on or after the
 * 75th birthday is that move, so it reads `own_75`.
 */
export function ownCoverEnd(member: CoverFacts): CoverEnd {
  const turns75 = lateElderlyFrom(member.birthDate);
  if (member.lostOn !== null && member.lostOn < turns75) return { on: member.lostOn, cause: 'own_loss' };
  return { on: turns75, cause: 'own_75' };
}

function asInsuredCause(end: CoverEnd, insured: CoverFacts): CoverEndCause {
  if (end.cause === 'own_75') return 'insured_75';
  return insured.lossReason === 'death' ? 'insured_death' : 'insured_loss';
}

/**
 * When a member's cover ends, given their insured (null for an insured, or a dependent whose insured is
 * not known: then only the member's own end counts). The earliest end wins; on the same day the
 * member's own end is named (their own 75th birthday is the stronger reason at the counter).
 */
export function coverEndsOn(member: CoverFacts, insured: CoverFacts | null): CoverEnd {
  const own = ownCoverEnd(member);
  if (insured === null) return own;
  const theirs = ownCoverEnd(insured);
  if (own.on <= theirs.on) return own;
  return { on: theirs.on, cause: asInsuredCause(theirs, insured) };
}

/** Whether the member is covered on `asOf`: acquired on or before it, and before `coverEndsOn`. */
export function coveredWithInsuredOn(member: CoverFacts, insured: CoverFacts | null, asOf: IsoDate): boolean {
  if (asOf < member.acquiredOn) return false;
  return asOf < coverEndsOn(member, insured).on;
}

/** A dependent whose cover ends with their insured: one row of the console's list. */
export interface DependentCoverLoss {
  memberId: string;
  /** First day not covered (the insured's end). */
  endsOn: IsoDate;
  cause: Extract<CoverEndCause, 'insured_loss' | 'insured_death' | 'insured_75'>;
  /** Their 資格確認書, if any, is to be collected: `collectionFor({ kind: 'loss', on: endsOn })`. */
  collectCertificate: true;
  /** To be told to join 国保 (or 後期高齢者医療 at 75, or another insurer as a dependent or insured). */
  mustJoinOtherInsurance: true;
  /** The loss needs no 被扶養者異動届: the insured's loss carries it. */
  separateNotification: false;
}

/**
 * The dependents whose cover ends because their insured leaves (75, death, any loss): each with the
 * day and the cause. Dependents whose own cover ended earlier, or who were acquired on or after that
 * day, are not listed. The console lists these; the ex-officio run skips them (`coveredWithInsuredOn`);
 * their 資格確認書 is collected.
 */
export function dependentsLosingCover(
  insured: CoverFacts,
  dependents: ReadonlyArray<CoverFacts & { memberId: string }>,
): DependentCoverLoss[] {
  const rows: DependentCoverLoss[] = [];
  for (const d of dependents) {
    const end = coverEndsOn(d, insured);
    if (end.cause === 'own_loss' || end.cause === 'own_75' || d.acquiredOn >= end.on) continue;
    rows.push({
      memberId: d.memberId,
      endsOn: end.on,
      cause: end.cause,
      collectCertificate: true,
      mustJoinOtherInsurance: true,
      separateNotification: false,
    });
  }
  return rows;
}
