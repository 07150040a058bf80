/**
 * The dates the rules can judge (issue #19 §3). A date outside them is a typo or a probe, never a
 * fact: 0001-01-01 or 9999-12-31 would otherwise be judged by rules written for 1900–today.
 * Pure: "today" is an argument, as everywhere in the domain.
 */
import { addYears, type IsoDate } from './dates.js';

/** The earliest date any rule speaks of (the oldest members were born after it). */
export const EARLIEST_DATE: IsoDate = '1900-01-01';
/** The latest date any field may carry, whatever today is (certificates and cards end before it). */
export const LATEST_DATE: IsoDate = '2099-12-31';
/** How far after today an event (acquisition, loss, a verification's 基準日) may be dated. */
export const EVENT_HORIZON_YEARS = 1;

export interface DateProblem {
  readonly code: 'DATE_OUT_OF_RANGE';
  /** The field the problem is reported on. */
  readonly field: string;
  readonly ja: string;
  readonly en: string;
}

/** True when a date lies in [EARLIEST_DATE, LATEST_DATE] (ISO dates compare as strings). */
export function isJudgeableDate(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** The latest day an event may be dated on: a year after today. */
export function eventHorizon(today: IsoDate): IsoDate {
  return addYears(today, EVENT_HORIZON_YEARS);
}

/** An event date (acquiredOn, lostOn, asOf …) more than a year after today, or null. */
export function eventDateProblem(field: string, date: IsoDate, today: IsoDate): DateProblem | null {
  const horizon = eventHorizon(today);
  if (date <= horizon) return null;
  return {
    code: 'DATE_OUT_OF_RANGE',
    field,
    ja: `${field} は ${horizon}（本日から1年後）より後にできません`,
    en: `${field} cannot be after ${horizon} (a year from today)`,
  };
}

/** The dates of one notification, as far as it gives them. */
export interface NotificationDates {
  readonly birthDate?: IsoDate | undefined;
  readonly acquiredOn?: IsoDate | undefined;
  readonly lostOn?: IsoDate | undefined;
  readonly recordedOn?: IsoDate | undefined;
}

/**
 * What the rules cannot judge in a notification's dates, on `today`: a birth date in the future, an
 * acquisition, a loss or a 届出日 more than a year ahead (a 届出日 may be ahead: an association
 * records a notification for the day it takes effect). (Dates out of order — an acquisition before
 * birth, a loss before the acquisition — are refused where the member is known: registry/checks.ts.)
 */
export function notificationDateProblems(dates: NotificationDates, today: IsoDate): DateProblem[] {
  const problems: DateProblem[] = [];
  const { birthDate, acquiredOn, lostOn, recordedOn } = dates;
  if (birthDate !== undefined && birthDate > today) {
    problems.push({
      code: 'DATE_OUT_OF_RANGE',
      field: 'birthDate',
      ja: `生年月日が未来の日付です（本日 ${today}）`,
      en: `the birth date is in the future (today is ${today})`,
    });
  }
  for (const [field, date] of [
    ['acquiredOn', acquiredOn],
    ['lostOn', lostOn],
    ['recordedOn', recordedOn],
  ] as const) {
    const problem = date === undefined ? null : eventDateProblem(field, date, today);
    if (problem) problems.push(problem);
  }
  return problems;
}
