/**
 * Idempotency keys (our compatible extension): scoped to the association, the same key answers the
 * first result and writes nothing; a key reused for another kind, or by another employer, is refused.
 */
import type { Kysely } from 'kysely';
import type { NotificationKind, NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import { fastAll } from '../../store/fast.js';
import type { Database, NotificationsTable } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import type { StoredPayload } from './record.js';

/** The key as stored: the association's number, then the caller's key. */
export function scopedKey(insurerNumber: string, idempotencyKey: string | undefined): string | null {
  return idempotencyKey === undefined ? null : `${insurerNumber}:${idempotencyKey}`;
}

/** The first answer given under `key`, or null when the key is new. */
export async function findReplay(
  trx: Kysely<Database>,
  key: string,
  kind: NotificationKind,
  actor: Actor,
): Promise<NotificationResult | null> {
  const [row] = await fastAll<Pick<NotificationsTable, 'kind' | 'payload'>>(
    trx,
    'select kind, payload from notifications where idempotency_key = ?',
    [key],
  );
  if (!row) return null;
  const { result } = JSON.parse(row.payload) as StoredPayload;
  // Another kind, or another employer's notification: never answer with someone else's result.
  if (row.kind !== kind || (actor.role === 'employer' && result.symbol !== actor.employerSymbol)) {
    throw new ShikakuError('CONFLICT_IDEMPOTENCY_KEY');
  }
  return result;
}
