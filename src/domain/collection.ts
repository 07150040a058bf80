/**
 * When a 資格確認書 must be collected (回収). RULES.md §2: on loss of eligibility, and the old one when a
 * name change replaces it; domain-research.md §5.2 [kurita]: also on dependent removal and when the data
 * printed on it changes. Expired ones are destroyed by the member, not collected.
 */
import { ShikakuError } from './codes.js';
import type { IsoDate } from './dates.js';
import { isIsoDate } from './dates.js';

/**
 * - `loss`: the member lost eligibility (資格喪失), `on` = lostOn (first day not covered);
 * - `dependent_remove`: a dependent removed (被扶養者削除), `on` = the dependent's lostOn;
 * - `name_change`: the name printed on it changed, `on` = the day the change takes effect;
 * - `number_change`: 記号・番号・枝番 printed on it changed (e.g. a move to another employer's 記号).
 */
export type CollectionEvent = { kind: 'loss' | 'dependent_remove' | 'name_change' | 'number_change'; on: IsoDate };

export interface Collection {
  collect: true;
  /** A new 資格確認書 is issued in its place (same validity rules as any issue). */
  replacement: boolean;
  /** From this day the old one is no longer a proof: the certificate's `collectedOn`. */
  on: IsoDate;
}

/**
 * The collection an event calls for (RULES.md §2). Every event listed collects the certificate held on
 * `on`; only a change of what is printed (name, 記号・番号・枝番) brings a replacement — after a loss or a
 * removal there is nothing left to certify. Address changes are not printed and call for nothing: they
 * are not events here. Throws `VALIDATION_DATE` for a malformed date.
 */
export function collectionFor(event: CollectionEvent): Collection {
  if (!isIsoDate(event.on)) throw new ShikakuError('VALIDATION_DATE', { on: event.on });
  const replacement = event.kind === 'name_change' || event.kind === 'number_change';
  return { collect: true, replacement, on: event.on };
}

/**
 * Whether a certificate is to be collected for an event on `on`: not already collected and still within
 * its validity on `on` (an expired one is destroyed by the member, domain-research.md §5.2). Its issue
 * date does not matter: after a retroactive loss (遡及喪失) one issued after `on` is collected too.
 */
export function needsCollection(cert: { validUntil: IsoDate; collectedOn: IsoDate | null }, on: IsoDate): boolean {
  return cert.collectedOn === null && cert.validUntil >= on;
}
