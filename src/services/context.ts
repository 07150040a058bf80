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

export function newId(): string {
  return randomUUID();
}
