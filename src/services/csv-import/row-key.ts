/**
 * The idempotency key of a CSV row without キー: the same content, however it was typed, always gets
 * the same key, so a re-run replays what was written (DESIGN.md §3.6).
 */
import { createHash } from 'node:crypto';
import type { NotificationInput } from '../../contract/notifications.js';

/** JSON with sorted keys: the same content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key of a row without a キー: SHA-256 of the insurer and the validated, normalised
 * notification (so half-width or full-width input hashes alike). recordedOn counts only when the row
 * carries it: a re-run on another day with the default date replays.
 */
export function csvRowKey(notification: NotificationInput): string {
  const { idempotencyKey: _key, ...content } = notification;
  const digest = createHash('sha256')
    .update(`${notification.insurerNumber}\n${canonical(content)}`)
    .digest('hex');
  return `csv-${digest}`;
}
