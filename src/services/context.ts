import { randomUUID } from 'node:crypto';
import type { IsoDate } from '../domain/dates.js';
import type { Keyring } from '../security/keyring.js';
import type { Store } from '../store/db.js';

/** The one place that reads the clock: services take it from here, the domain never does. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A fixed clock for tests and for replaying a day. */
export function fixedClock(iso: string): Clock {
  const at = new Date(iso);
  return { now: () => new Date(at) };
}

const JAPAN_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day in Japan at an instant (the machine runs in UTC). */
export function japanDate(at: Date): IsoDate {
  return JAPAN_DATE.format(at);
}

export interface ServiceContext {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly clock: Clock;
}

export function today(ctx: ServiceContext): IsoDate {
  return japanDate(ctx.clock.now());
}

export function nowIso(ctx: ServiceContext): string {
  return ctx.clock.now().toISOString();
}

/**
 * A new row id: a UUID version 7 (RFC 9562), the milliseconds since 1970 in its first 48 bits and
 * 74 random bits after. Rows written one after another get neighbouring keys, so an insert touches
 * the B-tree pages the previous one did: with random (version 4) ids the CSV import's commits wrote
 * four times as many pages (docs/PERFORMANCE.md). Built on randomUUID for its pooled entropy.
 */
export function newId(now: number = Date.now()): string {
  const random = randomUUID();
  const time = now.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
