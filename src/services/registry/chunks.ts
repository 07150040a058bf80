/**
 * Writing many rows without stalling the server (issue #19 §1): rows are recorded in chunk
 * transactions of a bounded size and age, and the event loop runs between chunks, so a verification
 * arriving meanwhile waits for at most one chunk rather than for the whole batch.
 */
import type { ControlledTransaction } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ServiceContext } from '../context.js';

/**
 * Rows per chunk transaction, and the longest one stays open: on SQLite an open transaction holds
 * the one connection, so every other request waits for its commit (docs/PERFORMANCE.md).
 */
export const CHUNK_ROWS = 200;
export const CHUNK_MS = 50;

/** Lets pending I/O (requests waiting for their turn) run before the caller goes on. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * `each` for every item, in chunk transactions of at most CHUNK_ROWS items (`maxItems`) and CHUNK_MS, yielding
 * to the event loop after each commit — and, with `rest`, pausing `rest` times as long as the chunk
 * took: a background job then leaves the connection free for that share of the time, so a
 * verification's several queries run one after another rather than each waiting for a chunk.
 * `each` records its item in the open transaction (in a
 * savepoint of it, so a failing item writes nothing) and handles its own row errors; `beforeCommit`
 * records what the chunk did in the same transaction. A store error rolls the open chunk back and is
 * thrown: the committed chunks stay, and a re-run replays them (idempotency keys) or skips them.
 */
export async function inChunks<T>(
  ctx: ServiceContext,
  items: readonly T[],
  each: (item: T, index: number, trx: ControlledTransaction<Database>) => Promise<void>,
  beforeCommit?: (trx: ControlledTransaction<Database>) => Promise<void>,
  options: { rest?: number; maxItems?: number } = {},
): Promise<void> {
  const maxItems = options.maxItems ?? CHUNK_ROWS;
  let trx: ControlledTransaction<Database> | null = null;
  let rows = 0;
  let started = 0;
  try {
    for (const [index, item] of items.entries()) {
      if (trx === null) {
        trx = await ctx.store.db.startTransaction().execute();
        rows = 0;
        started = performance.now();
      }
      await each(item, index, trx);
      if (++rows >= maxItems || performance.now() - started >= CHUNK_MS) {
        await commit(trx, beforeCommit);
        trx = null;
        await restAfter(performance.now() - started, options.rest ?? 0);
      }
    }
    if (trx !== null) await commit(trx, beforeCommit);
  } catch (error) {
    await (trx as ControlledTransaction<Database> | null)
      ?.rollback()
      .execute()
      .catch(() => undefined);
    throw error;
  }
}

async function commit(
  trx: ControlledTransaction<Database>,
  beforeCommit: ((trx: ControlledTransaction<Database>) => Promise<void>) | undefined,
): Promise<void> {
  await beforeCommit?.(trx);
  await trx.commit().execute();
}

/** Yields, and with `rest` > 0 waits `rest` times as long as the work just done took. */
export function restAfter(workMs: number, rest: number): Promise<void> {
  if (rest <= 0) return yieldToEventLoop();
  return new Promise((resolve) => setTimeout(resolve, Math.ceil(workMs * rest)));
}
