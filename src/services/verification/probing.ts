/**
 * Probing a person by 記号・番号 (issue #19 §5). A provider must not learn that a 記号・番号 exists and
 * then guess the birth date: to a provider, an unknown 記号・番号 and a wrong birth date answer alike
 * (NO_MATCHING_QUALIFICATION), while the verification row and the audit record keep the real reason
 * for the association. Misses are counted per provider and person (保険者番号・記号・番号, any 枝番);
 * after MISS_LIMIT misses within MISS_WINDOW_MS, that provider's queries for that person are refused
 * (VERIFICATION_LOCKED) for LOCK_MS, even with the right birth date. Each lock is an audit record and
 * an alert the association lists.
 */
import type { VerificationAlert, VerificationAnswer } from '../../contract/verification.js';
import { reason, ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import { type Decision, fallbacksFor } from '../../domain/verification.js';
import { fastAll } from '../../store/fast.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import type { HubEntry } from '../hub.js';

/** Misses that engage the lock, within the window. */
export const MISS_LIMIT = 5;
export const MISS_WINDOW_MS = 10 * 60 * 1000;
/** How long a lock refuses the provider's queries for the person. */
export const LOCK_MS = 30 * 60 * 1000;

/** The person a 記号・番号 query names, as far as probing goes (the 枝番 is left out: guessing it is probing too). */
export interface ProbedPerson {
  insurerNumber: string;
  symbol: string;
  number: string;
}

/** How long the active locks read from the store are reused: another process's new lock shows within this. */
const ACTIVE_LOCKS_TTL_MS = 1_000;
const ACTIVE_LOCKS =
  'select provider_code, insurer_number, symbol, number, locked_until from verification_misses where locked_until > ?';

/** The active locks by provider and person, with their end, per store. */
const activeLocks = new WeakMap<object, { loadedAt: number; until: Map<string, string> }>();

function lockKey(providerCode: string, person: ProbedPerson): string {
  return `${providerCode}|${person.insurerNumber}|${person.symbol}|${person.number}`;
}

/**
 * The locks in force, read at most once a second (one statement per second instead of one per
 * verification: locks are rare and every number verification checks). A lock this process engages
 * is added at once; one engaged by another process sharing the store is seen within the second.
 */
async function locksInForce(ctx: ServiceContext): Promise<Map<string, string>> {
  const cached = activeLocks.get(ctx.store.db);
  if (cached && performance.now() - cached.loadedAt < ACTIVE_LOCKS_TTL_MS) return cached.until;
  const rows = await fastAll<{
    provider_code: string;
    insurer_number: string;
    symbol: string;
    number: string;
    locked_until: string;
  }>(ctx.store.db, ACTIVE_LOCKS, [ctx.clock.now().toISOString()]);
  const until = new Map<string, string>();
  for (const r of rows) {
    until.set(
      lockKey(r.provider_code, { insurerNumber: r.insurer_number, symbol: r.symbol, number: r.number }),
      r.locked_until,
    );
  }
  activeLocks.set(ctx.store.db, { loadedAt: performance.now(), until });
  return until;
}

/** Refuses (VERIFICATION_LOCKED) while the provider is locked out of the person. */
export async function assertNotLocked(ctx: ServiceContext, providerCode: string, person: ProbedPerson): Promise<void> {
  const lockedUntil = (await locksInForce(ctx)).get(lockKey(providerCode, person));
  if (lockedUntil !== undefined && lockedUntil > ctx.clock.now().toISOString()) {
    throw new ShikakuError('VERIFICATION_LOCKED', { lockedUntil });
  }
}

function birthDateOf(entry: HubEntry): IsoDate | null {
  if (entry.record.state === 'registered') return entry.record.qualification.birthDate;
  return entry.facts?.birthDate ?? null;
}

/**
 * Whether a number query missed: nothing found, and no member under the 記号・番号 has the birth date
 * given. A pending registration (birth date not yet known to the hub) is not a miss: its answer
 * tells a new member's reception when to query again.
 */
export function isMiss(decision: Decision, entries: readonly HubEntry[], birthDate: IsoDate): boolean {
  if (decision.outcome !== 'not_found') return false;
  return entries.every((e) => {
    const known = birthDateOf(e);
    return known !== null && known !== birthDate;
  });
}

/** What a provider is told for any miss: the same outcome, reason and fallbacks, nothing disclosed. */
export function missAnswer(): Pick<VerificationAnswer, 'outcome' | 'reasons' | 'fallbacks' | 'qualification'> {
  return {
    outcome: 'not_found',
    reasons: [reason('NO_MATCHING_QUALIFICATION')],
    fallbacks: fallbacksFor(['NO_MATCHING_QUALIFICATION']),
    qualification: null,
  };
}

/** Notes a lock this process just engaged: refused from now on, without waiting for the next read. */
export async function noteLock(
  ctx: ServiceContext,
  providerCode: string,
  person: ProbedPerson,
  lockedUntil: string,
): Promise<void> {
  (await locksInForce(ctx)).set(lockKey(providerCode, person), lockedUntil);
}

/** The locks engaged on the association's 記号・番号, newest first (role admin, own association only). */
export async function listVerificationAlerts(ctx: ServiceContext, actor: Actor): Promise<VerificationAlert[]> {
  requireRole(actor, 'admin');
  if (!actor.insurerNumber) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  const now = ctx.clock.now().toISOString();
  const rows = await ctx.store.db
    .selectFrom('verification_locks')
    .selectAll()
    .where('insurer_number', '=', actor.insurerNumber)
    .orderBy('locked_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    providerCode: r.provider_code,
    insurerNumber: r.insurer_number,
    symbol: r.symbol,
    number: r.number,
    misses: Number(r.misses),
    lockedAt: r.locked_at,
    lockedUntil: r.locked_until,
    active: r.locked_until > now,
  }));
}
