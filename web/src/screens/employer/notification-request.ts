import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import type { NotificationRequest } from '../../answers.js';
import type { NotificationKind } from './notification-kind.js';

/** What the employer types for a notification; the kind decides which of these are sent. */
export const EMPTY_FIELDS = {
  number: '',
  branch: '',
  acquiredOn: '',
  lostOn: '',
  remuneration: '',
  name: '',
  nameKana: '',
  birthDate: '',
  sex: 'male' as 'male' | 'female',
  address: '',
  myNumber: '',
  recordedOn: '',
};

export type NotificationFields = typeof EMPTY_FIELDS;

/**
 * The request of a notification from the form's fields: each kind sends what its notification carries.
 * `certificateRequested` is the 資格確認書の交付希望 box, which only the two forms that add a member carry.
 */
export function notificationRequest(
  kind: NotificationKind,
  f: NotificationFields,
  office: { insurerNumber: string | null; symbol: string },
  certificateRequested = false,
): NotificationRequest {
  const { symbol } = office;
  const myNumber = normalizeDigitInput(f.myNumber);
  const base = {
    // An employer's token always names its association; the server refuses an empty one.
    insurerNumber: office.insurerNumber ?? '',
    ...(f.recordedOn ? { recordedOn: f.recordedOn } : {}),
  };
  const who = {
    ...(myNumber ? { myNumber } : {}),
    name: f.name,
    nameKana: f.nameKana,
    birthDate: f.birthDate,
    sex: f.sex,
    address: f.address,
  };
  switch (kind) {
    case 'acquisition':
      return {
        kind,
        ...base,
        symbol,
        ...(f.number.trim() ? { number: f.number.trim() } : {}),
        acquiredOn: f.acquiredOn,
        standardMonthlyRemuneration: Number(normalizeDigitInput(f.remuneration).replace(/[,，円]/g, '')),
        person: who,
        certificateRequested,
      };
    case 'dependent_add':
      return {
        kind,
        ...base,
        insured: { symbol, number: f.number.trim() },
        acquiredOn: f.acquiredOn,
        person: who,
        certificateRequested,
      };
    case 'loss':
      return {
        kind,
        ...base,
        symbol,
        number: f.number.trim(),
        ...(f.branch ? { branch: f.branch } : {}),
        lostOn: f.lostOn,
      };
    case 'dependent_remove':
      return { kind, ...base, symbol, number: f.number.trim(), branch: f.branch, lostOn: f.lostOn };
  }
}
