/**
 * Life of the My Number card and its user certificate (利用者証明用電子証明書), and of the card's
 * health-insurance registration (健康保険証利用登録). RULES.md §4, domain-research.md §8.
 *
 * Birthdays of a person born on 02-29 fall on 02-28 in common years (the same clamp as `addYears`),
 * both for counting birthdays and for the age reached on one.
 */
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { addDays, addMonths, addYears, daysBetween, endOfMonth, parts, startOfMonth } from './dates.js';

/** The holder's birthday in `year` (02-29 births: 02-28 in common years). */
function birthdayIn(birthDate: IsoDate, year: number): IsoDate {
  return addYears(birthDate, year - parts(birthDate).year);
}

function assertBornBy(birthDate: IsoDate, issuedOn: IsoDate): void {
  if (issuedOn < birthDate) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { birthDate, issuedOn },
      {
        ja: '交付日が生年月日より前です',
        en: 'the issue date is before the birth date',
      },
    );
  }
}

/**
 * The n-th birthday strictly after `date` (a birthday falling on `date` itself is not counted).
 * RULES.md §4 "Count birthdays strictly after the issue date".
 */
export function nthBirthdayAfter(birthDate: IsoDate, date: IsoDate, n: number): IsoDate {
  const year = parts(date).year;
  const first = birthdayIn(birthDate, year) > date ? year : year + 1;
  return birthdayIn(birthDate, first + n - 1);
}

/** Ordinary age on `on`: the number of birthdays passed, the birthday itself included. */
function ordinaryAge(birthDate: IsoDate, on: IsoDate): number {
  const years = parts(on).year - parts(birthDate).year;
  return birthdayIn(birthDate, parts(on).year) > on ? years - 1 : years;
}

/**
 * The age under which a card lasts to the 5th birthday after issue rather than the 10th (RULES.md §4),
 * as dated data: the age of majority moved from 20 to 18 on 2022-04-01 (民法 §4 as amended by 平成30年
 * 法律第59号), and the card's short life follows it. The day that picks the row is the day the rule
 * applies to the card (see `cardExpiresOn`).
 */
export const CARD_SHORT_LIFE_AGES: ReadonlyArray<{ from: IsoDate | null; underAge: number; source: string }> = [
  { from: null, underAge: 20, source: '改正前民法 §4 (成年20歳)' },
  { from: '2022-04-01', underAge: 18, source: '民法 §4 (平成30年法律第59号, 2022-04-01施行: 成年18歳)' },
];

/** The short-life age in force on `on` (the last row whose `from` is on or before it). */
export function cardShortLifeAgeOn(on: IsoDate): number {
  let age = CARD_SHORT_LIFE_AGES[0]?.underAge ?? 18;
  for (const row of CARD_SHORT_LIFE_AGES) if (row.from === null || row.from <= on) age = row.underAge;
  return age;
}

/**
 * Expiry of a My Number card: the 10th birthday strictly after `issuedOn`, or the 5th when the holder
 * is under the short-life age (ordinary age, reached on the birthday) on `issuedOn` — 18, or 20 before
 * 2022-04-01 (`CARD_SHORT_LIFE_AGES`). RULES.md §4 ties the cut to the issue date; the municipal pages
 * (神戸市, 米子市, 政府広報 via smil-en) tie it to the application date (申請受付日): pass `appliedOn`
 * when it is known and it decides, otherwise the issue date does.
 *
 * 02-29 births: the birthday in a common year is 02-28. 個人番号カード省令 (平成26年総務省令第85号) §26
 * deems it so for the card's life, as 道路交通法 §92の2 表 備考五 does for driving licences; 民法 §143 ②
 * gives the same last day of February for a period whose corresponding day does not exist
 * ([memory]: the 省令 wording was not re-read; domain-research.md is silent on 02-29).
 * Throws `VALIDATION_FAILED` when `issuedOn` is before `birthDate`.
 */
export function cardExpiresOn(birthDate: IsoDate, issuedOn: IsoDate, appliedOn?: IsoDate): IsoDate {
  assertBornBy(birthDate, issuedOn);
  const shortLifeAge = cardShortLifeAgeOn(appliedOn ?? issuedOn);
  return nthBirthdayAfter(birthDate, issuedOn, ordinaryAge(birthDate, issuedOn) < shortLifeAge ? 5 : 10);
}

/**
 * Expiry of the user certificate: the 5th birthday strictly after `issuedOn`, whatever the age
 * (RULES.md §4). A certificate never outlives its card: pass `cardExpiresOn` to cap it.
 * Throws `VALIDATION_FAILED` when `issuedOn` is before `birthDate`.
 */
export function certificateExpiresOn(birthDate: IsoDate, issuedOn: IsoDate, cardExpiresOn?: IsoDate): IsoDate {
  assertBornBy(birthDate, issuedOn);
  const fifth = nthBirthdayAfter(birthDate, issuedOn, 5);
  return cardExpiresOn !== undefined && cardExpiresOn < fifth ? cardExpiresOn : fifth;
}

/**
 * Last day of the grace period after a card or certificate expired: the end of the 3rd month after
 * the month of expiry (2026-02-10 → 2026-05-31). During grace the card still works as マイナ保険証,
 * without medication or check-up data. RULES.md §4.
 */
export function graceEndsOn(expiresOn: IsoDate): IsoDate {
  return endOfMonth(addMonths(startOfMonth(expiresOn), 3));
}

/**
 * First day the card or certificate can be renewed: 3 months before expiry, the day clamped to the
 * month's end (2026-05-31 → 2026-02-28). RULES.md §4 (seed 003).
 */
export function renewalOpensOn(expiresOn: IsoDate): IsoDate {
  return addMonths(expiresOn, -3);
}

export type ExpiryState = 'valid' | 'expiring_soon' | 'grace' | 'expired';

/**
 * State of a card or certificate on `asOf`. RULES.md §4.
 * - valid through `expiresOn` inclusive; `expiring_soon` from `renewalOpensOn(expiresOn)` on, so the
 *   warning appears exactly when renewal becomes possible;
 * - `grace` from the day after `expiresOn` through `graceEndsOn(expiresOn)`;
 * - `expired` after that.
 */
export function expiryState(expiresOn: IsoDate, asOf: IsoDate): ExpiryState {
  if (asOf <= expiresOn) return asOf >= renewalOpensOn(expiresOn) ? 'expiring_soon' : 'valid';
  return asOf <= graceEndsOn(expiresOn) ? 'grace' : 'expired';
}

/** Registration is refused when the certificate expires this many days after the recording day or sooner. */
export const REGISTRATION_REFUSED_WITHIN_DAYS = 5;

/**
 * Whether the card can be registered for health-insurance use on `recordedOn` (RULES.md §4, seed 001
 * Q13). "Within 5 days" is inclusive: refused when the certificate expires on `recordedOn + 5` or
 * earlier (already expired included); allowed from `recordedOn + 6`. A registration made before keeps
 * working up to expiry (and through grace): this only gates new registrations.
 */
export function canRegister(certificateExpiresOn: IsoDate, recordedOn: IsoDate): boolean {
  return daysBetween(recordedOn, certificateExpiresOn) > REGISTRATION_REFUSED_WITHIN_DAYS;
}

export interface RegistrationEvent {
  kind: 'registered' | 'cancelled';
  recordedOn: IsoDate;
}

export interface UserCertificateLife {
  issuedOn: IsoDate;
  expiresOn: IsoDate;
  /** Accepted for convenience, not used: a revoked certificate replaced by a reissue keeps the registration. */
  revokedOn: IsoDate | null;
}

export type RegistrationState = 'active' | 'never' | 'cancelled' | 'lapsed';

/**
 * First day a registration made on `registeredOn` is lapsed, given the certificates known (null when
 * none is on record); certificates issued after a day never change the answer for that day.
 * RULES.md §4 "After that the health-insurance registration lapses"; research §8 "registration
 * survives … a card or certificate reissue".
 *
 * The certificates issued on or before `registeredOn` cover it up to the latest end of their grace; a
 * newer certificate extends the cover only if it was issued on or before the current end of grace.
 * The registration lapses the day after the cover ends. Revocation plays no part (a lost card's
 * certificate is revoked and the reissued card keeps the registration); with no certificate at all on
 * record nothing can lapse.
 */
export function registrationLapsesOn(
  registeredOn: IsoDate,
  certificates: readonly UserCertificateLife[],
): IsoDate | null {
  const sorted = [...certificates].sort((a, b) => (a.issuedOn < b.issuedOn ? -1 : a.issuedOn > b.issuedOn ? 1 : 0));
  let coveredUntil: IsoDate | null = null;
  for (const c of sorted) {
    if (coveredUntil === null || c.issuedOn <= registeredOn || c.issuedOn <= coveredUntil) {
      const end = graceEndsOn(c.expiresOn);
      if (coveredUntil === null || end > coveredUntil) coveredUntil = end;
    } else {
      break;
    }
  }
  return coveredUntil === null ? null : addDays(coveredUntil, 1);
}

/**
 * State of the health-insurance registration of a card on `asOf`. RULES.md §4.
 * - The latest event recorded on or before `asOf` decides registered / cancelled (same day: the later
 *   in the array wins); none → `never`.
 * - A registration lapses once the cover of its certificates ended (see `registrationLapsesOn`):
 *   `lapsed` when `asOf` is on or after that day. A registration made after the lapse is active again.
 */
export function registrationState(input: {
  events: readonly RegistrationEvent[];
  certificates: readonly UserCertificateLife[];
  asOf: IsoDate;
}): RegistrationState {
  let latest: RegistrationEvent | undefined;
  for (const e of input.events) {
    if (e.recordedOn <= input.asOf && (latest === undefined || e.recordedOn >= latest.recordedOn)) latest = e;
  }
  if (latest === undefined) return 'never';
  if (latest.kind === 'cancelled') return 'cancelled';
  const lapsesOn = registrationLapsesOn(latest.recordedOn, input.certificates);
  return lapsesOn !== null && input.asOf >= lapsesOn ? 'lapsed' : 'active';
}
