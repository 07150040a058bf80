/**
 * The 資格情報のお知らせ (資格情報通知書): what it says and when it is (re)issued. RULES.md §3;
 * domain-research.md §5.3. Pure: the PDF renderer adds the layout, the 和暦 and the portal QR code.
 */
import { type BurdenBand, burdenRatio, elderlyFrom, lateElderlyFrom } from './burden.js';
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { addMonths, isIsoDate, maxDate } from './dates.js';
import type { Relationship, Sex } from './member.js';

/** The person a お知らせ is for, as it prints them. */
export interface NoticePerson {
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: Relationship;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: Sex;
  /** 資格取得年月日. */
  acquiredOn: IsoDate;
  /** Last 4 digits of the My Number held by the association, for the member to check it; null: none on file. */
  myNumberLast4: string | null;
}

export interface NoticeFacts extends NoticePerson {
  /** 標準報酬月額 of the insured (a dependent passes their insured's); matters for 70–74 only. */
  insuredRemuneration: number | null;
  /** The insured's birth date, for a 70–74 dependent (burden.ts `elderlyHighIncomeOn`); omitted: not checked. */
  insuredBirthDate?: IsoDate;
  /** 基準収入額適用 approval day, if any (elderly-income.ts). */
  standardIncomeApprovedOn?: IsoDate | null;
  /** 資格喪失年月日 (first day not covered): no new お知らせ once it is reached. Omitted: not lost. */
  lostOn?: IsoDate | null;
}

export interface NoticeContents extends NoticePerson {
  /** 交付日: the day the notice is built for. */
  issuedOn: IsoDate;
  /** 一部負担金の割合 in percent; null from the 75th birthday (後期高齢者医療 decides it). */
  burdenRatio: 20 | 30 | null;
  burdenBand: BurdenBand;
  /** The date the ratio is stated for ("◯年◯月◯日現在"). */
  burdenRatioAsOf: IsoDate;
}

function invalid(field: string, ja: string, en: string): ShikakuError {
  return new ShikakuError('VALIDATION_FAILED', { field }, { ja, en });
}

/**
 * The contents of a お知らせ built on `asOf` (RULES.md §3, seed 004 sample): 記号・番号・枝番, 氏名,
 * フリガナ, 生年月日, 資格取得年月日, 保険者番号・名称, the last 4 digits of the My Number and the burden
 * ratio (burden.ts) stated as of a date. That date is `asOf`, or the acquisition date when the notice
 * is built before it (a notification recorded ahead): the ratio shown is the one the member starts with.
 * Throws `VALIDATION_DATE` for a malformed date, `VALIDATION_FAILED` for `myNumberLast4` not 4 digits.
 */
export function buildNoticeContents(facts: NoticeFacts, asOf: IsoDate): NoticeContents {
  for (const [field, value] of [
    ['asOf', asOf],
    ['birthDate', facts.birthDate],
    ['acquiredOn', facts.acquiredOn],
  ] as const) {
    if (!isIsoDate(value)) throw new ShikakuError('VALIDATION_DATE', { field, value });
  }
  if (facts.myNumberLast4 !== null && !/^\d{4}$/.test(facts.myNumberLast4)) {
    throw invalid('myNumberLast4', 'マイナンバー下4桁は4桁の数字です', 'myNumberLast4 must be 4 digits');
  }
  const burdenRatioAsOf = maxDate(asOf, facts.acquiredOn);
  const burden = burdenRatio({
    birthDate: facts.birthDate,
    asOf: burdenRatioAsOf,
    insuredRemuneration: facts.insuredRemuneration,
    insuredBirthDate: facts.insuredBirthDate,
    standardIncomeApprovedOn: facts.standardIncomeApprovedOn,
  });
  return {
    issuedOn: asOf,
    insurerNumber: facts.insurerNumber,
    insurerName: facts.insurerName,
    symbol: facts.symbol,
    number: facts.number,
    branch: facts.branch,
    relationship: facts.relationship,
    name: facts.name,
    nameKana: facts.nameKana,
    birthDate: facts.birthDate,
    sex: facts.sex,
    acquiredOn: facts.acquiredOn,
    myNumberLast4: facts.myNumberLast4,
    burdenRatio: burden.ratio,
    burdenBand: burden.band,
    burdenRatioAsOf,
  };
}

export type NoticeChange =
  | 'acquisition'
  | 'name_change'
  | 'number_change'
  | 'branch_change'
  | 'acquisition_date_correction'
  | 'burden_ratio_change'
  | 'became_elderly'
  | 'address_change';

/**
 * Changes that call for a new お知らせ (RULES.md §3; domain-research.md §5.3 [chuo-kenpo]): whatever it
 * prints — acquisition, 記号・番号 or 枝番, a corrected 取得日, the burden ratio, becoming 高齢受給者.
 * Not reissued on a name change (RULES.md §3: the portal shows the new name; some associations do
 * reissue — a policy we do not follow) nor an address change (not printed).
 */
export const NOTICE_TRIGGERS: Readonly<Record<NoticeChange, boolean>> = {
  acquisition: true,
  number_change: true,
  branch_change: true,
  acquisition_date_correction: true,
  burden_ratio_change: true,
  became_elderly: true,
  name_change: false,
  address_change: false,
};

/** Whether `change` calls for a new お知らせ (`NOTICE_TRIGGERS`, RULES.md §3). */
export function noticeNeeded(change: NoticeChange): boolean {
  return NOTICE_TRIGGERS[change];
}

/** What the last お知らせ issued to the member printed, as far as a new one could differ. */
export type LastNotice = Pick<
  NoticeContents,
  'issuedOn' | 'symbol' | 'number' | 'branch' | 'burdenRatio' | 'burdenRatioAsOf'
>;

/** A お知らせ due: why, the date its ratio is stated for, and the key that makes a run issue it once. */
export interface DueNotice {
  /** Every change it answers, in the order of `NoticeChange` checks (one notice prints them all). */
  changes: NoticeChange[];
  /** Build it with `buildNoticeContents(facts, statedOn)`. */
  statedOn: IsoDate;
  /**
   * Stable across runs and retries: the member, the changes and what they changed to, and the last
   * notice it follows. Store it with the notice (unique): a second run finds it and issues nothing.
   */
  dedupeKey: string;
}

/**
 * Whether a new お知らせ is due on `asOf` (RULES.md §3; domain-research.md §5.3 [chuo-kenpo]; issue #16
 * point 9), comparing what the last one printed with what one would print now:
 * - none issued yet → `acquisition`;
 * - 記号・番号 or 枝番 changed → `number_change` / `branch_change`;
 * - becoming 高齢受給者 (the 70–74 band, `elderlyFrom`): due from the 1st of the month before the band
 *   starts (sent in the birthday month, [kyoukai-kourei]) while the last one stated a ratio before it;
 *   its ratio is stated as of the band's first day;
 * - otherwise a different 負担割合 on `asOf` (e.g. 未就学 ends, the insured turns 70 and 現役並み, a
 *   基準収入額適用) → `burden_ratio_change`.
 * Null when nothing changed, or when the member is no longer covered (lost, or 75: 後期高齢者医療).
 * A name or address change never makes one due (`NOTICE_TRIGGERS`).
 */
export function noticeDue(input: {
  memberId: string;
  facts: NoticeFacts;
  lastNotice: LastNotice | null;
  asOf: IsoDate;
}): DueNotice | null {
  const { memberId, facts, lastNotice, asOf } = input;
  if (asOf >= lateElderlyFrom(facts.birthDate)) return null;
  if (facts.lostOn !== undefined && facts.lostOn !== null && facts.lostOn <= asOf) return null;
  if (lastNotice === null) {
    return {
      changes: ['acquisition'],
      statedOn: maxDate(asOf, facts.acquiredOn),
      dedupeKey: `${memberId}:acquisition:${facts.acquiredOn}`,
    };
  }
  const after = `after:${lastNotice.issuedOn}`;
  const changes: NoticeChange[] = [];
  const parts: string[] = [];
  if (facts.symbol !== lastNotice.symbol || facts.number !== lastNotice.number) {
    changes.push('number_change');
    parts.push(`number=${facts.symbol}/${facts.number}/${facts.branch}`);
  } else if (facts.branch !== lastNotice.branch) {
    changes.push('branch_change');
    parts.push(`branch=${facts.branch}`);
  }
  let statedOn = asOf;
  const elderlySince = elderlyFrom(facts.birthDate);
  if (asOf >= addMonths(elderlySince, -1) && lastNotice.burdenRatioAsOf < elderlySince) {
    changes.push('became_elderly');
    parts.push(`elderly=${elderlySince}`);
    statedOn = maxDate(asOf, elderlySince);
  } else {
    // A notice sent ahead (the 70–74 one) states a later day: compare from that day on, not before it.
    statedOn = maxDate(asOf, lastNotice.burdenRatioAsOf);
    const now = buildNoticeContents(facts, statedOn).burdenRatio;
    if (now !== lastNotice.burdenRatio) {
      changes.push('burden_ratio_change');
      parts.push(`ratio=${now}`);
    }
  }
  if (changes.length === 0) return null;
  return { changes, statedOn, dedupeKey: `${memberId}:${parts.join(':')}:${after}` };
}
