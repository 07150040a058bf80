/**
 * The 資格情報のお知らせ (資格情報通知書): what it says and when it is (re)issued. RULES.md §3;
 * domain-research.md §5.3. Pure: the PDF renderer adds the layout, the 和暦 and the portal QR code.
 */
import { type BurdenBand, burdenRatio } from './burden.js';
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { isIsoDate, maxDate } from './dates.js';
import type { Relationship, Sex } from './member.js';

export interface NoticeFacts {
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
  acquiredOn: IsoDate;
  /** Last 4 digits of the My Number held by the association; null when it holds none. */
  myNumberLast4: string | null;
  /** 標準報酬月額 of the insured (a dependent passes their insured's); matters for 70–74 only. */
  insuredRemuneration: number | null;
}

export interface NoticeContents {
  /** 交付日: the day the notice is built for. */
  issuedOn: IsoDate;
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
  /** For the member to check the association linked the right My Number; null: none on file. */
  myNumberLast4: string | null;
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
