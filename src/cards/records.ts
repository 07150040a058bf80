/**
 * Reads shared by the simulator and the inspection: the person's registration events and the
 * certificates of all the person's cards, and ids that keep same-day events in recording order.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import {
  type RegistrationEvent,
  type RegistrationState,
  registrationState,
  type UserCertificateLife,
} from '../domain/card-life.js';
import type { IsoDate } from '../domain/dates.js';
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
  const rows = await db
    .selectFrom('card_registrations')
    .select([
      sql<string>`'event'`.as('source'),
      sql<string>`kind`.as('a'),
      'recorded_on as b',
      sql<string | null>`null`.as('c'),
      'id as ord',
    ])
    .where('my_number_index', '=', myNumberIndex)
    .where('recorded_on', '<=', asOf)
    .unionAll(
      db
        .selectFrom('card_certificates')
        .innerJoin('cards', 'cards.id', 'card_certificates.card_id')
        .select([
          sql<string>`'certificate'`.as('source'),
          'card_certificates.issued_on as a',
          'card_certificates.expires_on as b',
          'card_certificates.revoked_on as c',
          'card_certificates.serial as ord',
        ])
        .where('cards.my_number_index', '=', myNumberIndex)
        .where('card_certificates.issued_on', '<=', asOf),
    )
    .execute();
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
