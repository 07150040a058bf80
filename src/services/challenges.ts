import { randomBytes } from 'node:crypto';
import type { IssuedChallenge } from '../contract/verification.js';
import { fastRun } from '../store/fast.js';
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

/** Hand-written for the hot path (src/store/fast.ts): autocommit, outside any transaction. */
const CONSUME = `update challenges set used_at = ?
  where challenge = ? and provider_code = ? and used_at is null and expires_at > ?`;

/**
 * Uses up a challenge: true only for the one caller that finds it unused, unexpired and issued to
 * `providerCode`. A single conditional UPDATE decides, so two processes sharing one PostgreSQL
 * database can never both use the same challenge (the second UPDATE waits for the first's row lock,
 * re-reads `used_at` and matches nothing). Timestamps are ISO strings of one length, so text order is
 * time order on both stores.
 */
export async function consumeChallenge(ctx: ServiceContext, challenge: string, providerCode: string): Promise<boolean> {
  const now = nowIso(ctx);
  const changed = await fastRun(ctx.store.db, CONSUME, [now, challenge, providerCode, now]);
  return changed === 1;
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
