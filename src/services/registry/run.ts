/** What every notification kind works with: the open transaction, who notifies, when, and how. */
import type { Kysely } from 'kysely';
import type { NotificationInput, NotificationKind } from '../../contract/notifications.js';
import type { IsoDate } from '../../domain/dates.js';
import type { Database, NotificationsTable } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { ServiceContext } from '../context.js';

export type NotificationSource = NotificationsTable['source'];

/** A My Number given with the notification: encrypted, blind-indexed, last 4 digits. */
export interface Secret {
  enc: string;
  index: string;
  last4: string;
}

export interface Run {
  ctx: ServiceContext;
  trx: Kysely<Database>;
  actor: Actor;
  recordedOn: IsoDate;
  /** The idempotency key scoped to the association, or null. */
  key: string | null;
  source: NotificationSource;
  secret: Secret | null;
}

/** One kind of notification, narrowed from the union. */
export type Input<K extends NotificationKind> = Extract<NotificationInput, { kind: K }>;

/** The auto-assigned 番号 or 枝番 was taken by a concurrent notification meanwhile: number again. */
export class Renumber extends Error {}
