/**
 * A legacy 健康保険証 row as the domain sees it (domain/legacy-card.ts, issue #16 point 5): its
 * printed 有効期限, 滅失・き損届, 回収 and 自己廃棄 dates. One mapping for every reader of the table
 * (verification, the ex-officio run, the member view).
 */
import type { IsoDate } from '../domain/dates.js';
import type { LegacyCardFacts } from '../domain/legacy-card.js';

/** The legacy_cards columns the card's life reads. */
export const LEGACY_CARD_LIFE_COLUMNS = [
  'issued_on',
  'expires_on',
  'reported_lost_on',
  'returned_on',
  'disposed_on',
] as const;

export interface LegacyCardLifeRow {
  issued_on: IsoDate;
  expires_on?: IsoDate | null;
  reported_lost_on?: IsoDate | null;
  returned_on?: IsoDate | null;
  disposed_on?: IsoDate | null;
}

export function legacyCardFactsOfRow(row: LegacyCardLifeRow): LegacyCardFacts {
  return {
    issuedOn: row.issued_on,
    expiresOn: row.expires_on ?? null,
    reportedLostOn: row.reported_lost_on ?? null,
    returnedOn: row.returned_on ?? null,
    disposedOn: row.disposed_on ?? null,
  };
}
