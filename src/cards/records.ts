/**
 * Reads shared by the simulator and the inspection: the person's registration events and the
 * certificates of all the person's cards, and ids that keep same-day events in recording order.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  type RegistrationEvent,
  type RegistrationState,
  registrationState,
  type UserCertificateLife,
} from '../domain/card-life.js';
import type { IsoDate } from '../domain/dates.js';
import { fastAll } from '../store/fast.js';
import type { Database } from '../store/schema.js';

export type CardKind = 'card' | 'smartphone';
export type CardStatus = 'active' | 'returned' | 'invalidated';
export type RegistrationChannel = 'reader' | 'portal' | 'atm';

let sequence = 0;

/**
 * An id that sorts in creation order within a process, even under a fixed test clock: time, then a
 * process counter, then randomness. Used for registration events, so a registration and its
 * cancellation recorded on the same day keep their order.
 */
export function sequentialId(at: Date): string {
  sequence = (sequence + 1) % 36 ** 6;
  return `${at.getTime().toString(36).padStart(9, '0')}${sequence.toString(36).padStart(6, '0')}${randomBytes(5).toString('hex')}`;
}

interface PersonRecordRow {
  source: 'event' | 'certificate';
  a: string;
  b: string;
  c: string | null;
  ord: string;
}

/** Events and certificates of a person in one round trip (hand-written: src/store/fast.ts). */
const PERSON_RECORDS = `select 'event' as source, kind as a, recorded_on as b, null as c, id as ord
  from card_registrations where my_number_index = ? and recorded_on <= ?
  union all
  select 'certificate' as source, cc.issued_on as a, cc.expires_on as b, cc.revoked_on as c, cc.serial as ord
  from card_certificates cc inner join cards on cards.id = cc.card_id
  where cards.my_number_index = ? and cc.issued_on <= ?`;

/**
 * The person's 健康保険証利用登録 events recorded on or before `asOf` (oldest first, same-day events in
 * recording order) and the certificates of all their cards issued by then, with revocations after
 * `asOf` not yet seen. One query (a UNION ALL), as this runs on every card verification.
 */
export async function personRecords(
  db: Kysely<Database>,
  myNumberIndex: string,
  asOf: IsoDate,
): Promise<{ events: RegistrationEvent[]; certificates: UserCertificateLife[] }> {
  const rows = await fastAll<PersonRecordRow>(db, PERSON_RECORDS, [myNumberIndex, asOf, myNumberIndex, asOf]);
  const events: Array<RegistrationEvent & { ord: string }> = [];
  const certificates: UserCertificateLife[] = [];
  for (const r of rows) {
    if (r.source === 'event') {
      events.push({ kind: r.a === 'cancelled' ? 'cancelled' : 'registered', recordedOn: r.b, ord: r.ord });
    } else {
      certificates.push({ issuedOn: r.a, expiresOn: r.b, revokedOn: r.c !== null && r.c <= asOf ? r.c : null });
    }
  }
  events.sort((x, y) => (x.recordedOn < y.recordedOn ? -1 : x.recordedOn > y.recordedOn ? 1 : x.ord < y.ord ? -1 : 1));
  return { events: events.map(({ kind, recordedOn }) => ({ kind, recordedOn })), certificates };
}

/** The person's registration state on `asOf` (RULES.md §4; `registrationState` of card-life). */
export async function personRegistrationState(
  db: Kysely<Database>,
  myNumberIndex: string,
  asOf: IsoDate,
): Promise<RegistrationState> {
  const { events, certificates } = await personRecords(db, myNumberIndex, asOf);
  return registrationState({ events, certificates, asOf });
}
