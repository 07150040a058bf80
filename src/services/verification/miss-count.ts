/**
 * Counting misses by 記号・番号 (src/services/verification/probing.ts), grouped like the verification
 * records (src/services/group-commit.ts): a miss is an UPDATE, and one commit per miss cost a
 * not-found verification more than the rest of its work. The misses in flight are written together,
 * one transaction per event-loop turn; each caller resolves once its own group has committed. A miss
 * reaching MISS_LIMIT locks the provider out of the person in the same transaction, with the alert
 * and its audit record.
 */
import type { Kysely } from 'kysely';
import { fastAll, fastRun } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { type AuditEntry, appendAuditBatch } from '../audit.js';
import { newId, type ServiceContext } from '../context.js';
import { GroupCommit } from '../group-commit.js';
import { LOCK_MS, MISS_LIMIT, MISS_WINDOW_MS, noteLock, type ProbedPerson } from './probing.js';

/** One miss more; the count restarts once the window has passed. */
const COUNT_MISS = `insert into verification_misses
    (provider_code, insurer_number, symbol, number, misses, window_start, locked_until)
  values (?, ?, ?, ?, 1, ?, null)
  on conflict (provider_code, insurer_number, symbol, number) do update set
    misses = case when verification_misses.window_start <= ? then 1 else verification_misses.misses + 1 end,
    window_start = case when verification_misses.window_start <= ? then ? else verification_misses.window_start end
  returning misses`;
const LOCK = `update verification_misses set misses = 0, window_start = ?, locked_until = ?
  where provider_code = ? and insurer_number = ? and symbol = ? and number = ?`;
const INSERT_LOCK = `insert into verification_locks
    (id, provider_code, insurer_number, symbol, number, misses, locked_at, locked_until)
  values (?, ?, ?, ?, ?, ?, ?, ?)`;
const HOSTED = 'select 1 as hosted from insurers where insurer_number = ?';

interface Miss {
  actor: Actor;
  providerCode: string;
  person: ProbedPerson;
  at: Date;
}

/** Misses written per transaction at most. */
const MAX_GROUP = 200;

/** The misses counted, and those that reached the limit with their count. */
async function count(db: Kysely<Database>, misses: readonly Miss[]): Promise<Array<{ miss: Miss; count: number }>> {
  const reached: Array<{ miss: Miss; count: number }> = [];
  for (const miss of misses) {
    const at = miss.at.toISOString();
    const windowGone = new Date(miss.at.getTime() - MISS_WINDOW_MS).toISOString();
    const [row] = await fastAll<{ misses: number | string }>(db, COUNT_MISS, [
      ...keyOf(miss),
      at,
      windowGone,
      windowGone,
      at,
    ]);
    const n = Number(row?.misses ?? 0);
    if (n >= MISS_LIMIT) reached.push({ miss, count: n });
  }
  return reached;
}

function keyOf(miss: Miss): string[] {
  return [miss.providerCode, miss.person.insurerNumber, miss.person.symbol, miss.person.number];
}

/** Locks the provider out of the person, with the alert and its audit record, inside `trx`. */
async function engage(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  reached: ReadonlyArray<{ miss: Miss; count: number }>,
): Promise<Array<{ miss: Miss; lockedUntil: string }>> {
  const audit: Array<{ actor: Actor; at: string; entry: AuditEntry }> = [];
  const locks: Array<{ miss: Miss; lockedUntil: string }> = [];
  for (const { miss, count: misses } of reached) {
    const { providerCode, person } = miss;
    const at = miss.at.toISOString();
    const lockedUntil = new Date(miss.at.getTime() + LOCK_MS).toISOString();
    const id = newId(miss.at.getTime());
    await fastRun(trx, LOCK, [at, lockedUntil, ...keyOf(miss)]);
    await fastRun(trx, INSERT_LOCK, [id, ...keyOf(miss), misses, at, lockedUntil]);
    // Filed under the association when it is one we host; a made-up 保険者番号 has nobody to tell.
    const hosted = (await fastAll(trx, HOSTED, [person.insurerNumber])).length > 0;
    audit.push({
      actor: miss.actor,
      at,
      entry: {
        action: 'verification_locked',
        insurerNumber: hosted ? person.insurerNumber : null,
        detail: { lockId: id, providerCode, symbol: person.symbol, number: person.number, misses, lockedUntil },
      },
    });
    locks.push({ miss, lockedUntil });
  }
  await appendAuditBatch(trx, ctx.store.dialect, audit);
  return locks;
}

/**
 * Several misses in one transaction; a lone one as a single statement (its own commit, as cheap), with
 * a lock, rarely, in a transaction of its own.
 */
async function writeMisses(ctx: ServiceContext, misses: readonly Miss[]): Promise<void> {
  const { db } = ctx.store;
  let locks: Array<{ miss: Miss; lockedUntil: string }> = [];
  if (misses.length === 1) {
    const reached = await count(db, misses);
    if (reached.length > 0) locks = await db.transaction().execute((trx) => engage(ctx, trx, reached));
  } else {
    locks = await db.transaction().execute(async (trx) => engage(ctx, trx, await count(trx, misses)));
  }
  for (const { miss, lockedUntil } of locks) await noteLock(ctx, miss.providerCode, miss.person, lockedUntil);
}

const queues = new WeakMap<object, GroupCommit<Miss>>();

/**
 * Counts one miss of `providerCode` on `person` at the context's time, grouped with the other misses
 * in flight; resolves once committed (and, at the limit, the lock engaged).
 */
export function countMiss(
  ctx: ServiceContext,
  actor: Actor,
  providerCode: string,
  person: ProbedPerson,
): Promise<void> {
  let queue = queues.get(ctx.store);
  if (!queue) {
    queue = new GroupCommit((misses) => writeMisses(ctx, misses), MAX_GROUP);
    queues.set(ctx.store, queue);
  }
  return queue.add({ actor, providerCode, person, at: ctx.clock.now() });
}
