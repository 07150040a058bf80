import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IssuedChallenge } from '../contract/verification.js';
import { fastAll } from '../store/fast.js';
import type { Database } from '../store/schema.js';
import { type Actor, providerCodeOf } from './actor.js';
import { nowIso, type ServiceContext } from './context.js';

/** How long a challenge can be signed and presented (DESIGN.md §5.1: 5 minutes). */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

/** Random bytes in a challenge (DESIGN.md §5.1: 32). */
export const CHALLENGE_BYTES = 32;

export type { IssuedChallenge };

/**
 * A fresh challenge for a reception terminal to have the card sign (DESIGN.md §5.1): single use,
 * valid 5 minutes by the context's clock, bound to the provider that asked for it, so a signature
 * captured at one institution cannot be replayed at another.
 */
export async function issueChallenge(ctx: ServiceContext, actor: Actor): Promise<IssuedChallenge> {
  const providerCode = providerCodeOf(actor);
  const now = ctx.clock.now();
  const challenge = randomBytes(CHALLENGE_BYTES).toString('base64');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
  await ctx.store.db
    .insertInto('challenges')
    .values({
      challenge,
      provider_code: providerCode,
      expires_at: expiresAt,
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return { challenge, expiresAt };
}

/** A verification's claim on its challenge, decided at `at` (ISO instant). */
export interface ChallengeClaim {
  challenge: string;
  providerCode: string;
  at: string;
}

/**
 * One conditional UPDATE for `n` claims (hand-written for the hot path, src/store/fast.ts): each
 * matches only its challenge unused, unexpired at its `at` and issued to its provider. Timestamps are
 * ISO strings of one length, so text order is time order on both stores.
 */
export function consumeChallengesSql(n: number): string {
  const match = Array.from({ length: n }, () => '(challenge = ? and provider_code = ? and expires_at > ?)').join(
    ' or ',
  );
  return `update challenges set used_at = ? where used_at is null and (${match}) returning challenge, provider_code`;
}

export function consumeChallengesParams(claims: readonly ChallengeClaim[]): string[] {
  const usedAt = claims.reduce((latest, c) => (c.at > latest ? c.at : latest), '');
  return [usedAt, ...claims.flatMap((c) => [c.challenge, c.providerCode, c.at])];
}

/** Which claims won, given the rows the UPDATE changed: one claim per row, the first in order. */
export function claimsWon(
  claims: readonly ChallengeClaim[],
  changed: ReadonlyArray<{ challenge: string; provider_code: string }>,
): boolean[] {
  const left = new Set(changed.map((r) => `${r.provider_code} ${r.challenge}`));
  return claims.map((c) => left.delete(`${c.providerCode} ${c.challenge}`));
}

/**
 * Uses up the challenges of `claims` in the caller's transaction (the group commit of verification
 * records, src/services/disclosure-log.ts) or on their own: true only for a claim that finds its
 * challenge unused, unexpired and issued to its provider, and only the first of claims on the same
 * challenge. A conditional UPDATE decides, so two processes sharing one PostgreSQL database can never
 * both use one challenge (the second UPDATE waits for the first's row lock, re-reads `used_at` and
 * matches nothing).
 */
export async function consumeChallenges(db: Kysely<Database>, claims: readonly ChallengeClaim[]): Promise<boolean[]> {
  if (claims.length === 0) return [];
  const changed = await fastAll<{ challenge: string; provider_code: string }>(
    db,
    consumeChallengesSql(claims.length),
    consumeChallengesParams(claims),
  );
  return claimsWon(claims, changed);
}

/** Uses up one challenge now, on its own (see consumeChallenges). */
export async function consumeChallenge(ctx: ServiceContext, challenge: string, providerCode: string): Promise<boolean> {
  const [won] = await consumeChallenges(ctx.store.db, [{ challenge, providerCode, at: nowIso(ctx) }]);
  return won === true;
}

/** How many stale challenges one purge removes at most, so the request that triggers it stays short. */
export const PURGE_BATCH = 500;

/**
 * Deletes challenges that expired before `before` (ISO instant), at most `limit` of them when given:
 * housekeeping, safe to run anytime. Bounded, a purge on the request path costs the same however
 * long the table went unswept; repeated calls catch up.
 */
export async function purgeChallenges(ctx: ServiceContext, before: string, limit?: number): Promise<number> {
  const result = await ctx.store.db
    .deleteFrom('challenges')
    .where('challenge', 'in', (eb) => {
      const stale = eb.selectFrom('challenges').select('challenge').where('expires_at', '<', before);
      return limit === undefined ? stale : stale.orderBy('expires_at').limit(limit);
    })
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
