/**
 * OQS 一括照会 (bulk queries for tomorrow's booked patients, issue #15; docs/OQS.md §Bulk): a provider
 * posts up to 1,000 QualificationConfirmSearchInfo for one day and gets a ReceptionNumber at once;
 * a background worker answers them; the provider fetches the answers by that number.
 *
 * Queue and restart (as src/services/issuance-run.ts does batches): the request is a row of
 * oqs_bulk_requests. A worker claims a queued row (or one whose lease went stale: its worker died)
 * in a transaction, answers `batchSize` items at a time through the same `answerSearch` as the
 * single query (so each item is a `verify`: a verifications row and an audit record in the
 * provider's name), then writes the batch's answers with the row's progress and a renewed lease in
 * one transaction. A worker killed half-way leaves whole batches; the next claim goes on after
 * `done`. An item answered but not yet committed when the process died is answered again (and
 * audited again: the audit trail shows both disclosures).
 *
 * Scope: a request is visible only to the provider (医療機関コード) that posted it; to anyone else it
 * does not exist (OQS_RECEPTION_UNKNOWN, as the rest of the API answers 404 out of scope).
 */
import { randomInt, randomUUID } from 'node:crypto';
import { errorBody, jstTimestamp, message, messageHeader } from '../oqs/answer.js';
import { CHARACTER_CODE, PROCESSING_RESULT_STATUS, REFERENCE_CLASSIFICATION, SEGMENT_OF_RESULT } from '../oqs/codes.js';
import type { OqsNode } from '../oqs/envelope.js';
import { knownSearchElements, parseSearchInfo, searchInfosOf } from '../oqs/request.js';
import type { Database } from '../store/schema.js';
import { type Actor, systemActor } from './actor.js';
import type { ServiceContext } from './context.js';
import {
  answerSearch,
  characterCodeOf,
  checkedHeader,
  errorReply,
  headerFieldsOf,
  normalReply,
  type OqsInput,
  type OqsReply,
  providerCodeOf,
  readInput,
} from './oqs.js';

/** Items in one bulk request, at most (issue #15). */
export const MAX_BULK_ITEMS = 1_000;

function receptionNumber(at: Date): string {
  return `${jstTimestamp(at)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** ReceptionDateTime from the stored ISO instant. */
function receptionDateTime(iso: string): string {
  return jstTimestamp(new Date(iso));
}

/** POST /oqs-api-pro/bulk: queue the queries, answer the ReceptionNumber at once. */
/** The worker of each store's context, so that a post can wake it. */
const WORKERS = new WeakMap<ServiceContext, BulkWorker>();

export async function postBulk(ctx: ServiceContext, actor: Actor, input: OqsInput): Promise<OqsReply> {
  const { tree, charset: requestCharset } = readInput(input);
  const checked = checkedHeader(ctx, actor, tree, requestCharset);
  if (!checked.ok) return checked.reply;
  const { header, body, charset } = checked;
  const items = searchInfosOf(body);
  if (items.length === 0) {
    return errorReply(ctx, 200, header, charset, {
      code: 'OQS_REQUIRED',
      element: 'MessageBody/QualificationConfirmSearchInfo',
    });
  }
  if (items.length > MAX_BULK_ITEMS) {
    return errorReply(ctx, 200, header, charset, {
      code: 'OQS_TOO_MANY',
      element: 'MessageBody/QualificationConfirmSearchInfo',
    });
  }
  const at = ctx.clock.now();
  const stored = JSON.stringify(items.map(knownSearchElements));
  let number = '';
  // 6 random digits after the second: a clash is unlikely, and then the next number is tried.
  for (let attempt = 0; ; attempt++) {
    number = receptionNumber(at);
    try {
      await ctx.store.db
        .insertInto('oqs_bulk_requests')
        .values({
          reception_number: number,
          provider_code: header.institutionCode,
          token_id: actor.tokenId,
          as_of: header.confirmationDate,
          arbitrary_file_identifier: header.arbitraryFileIdentifier ?? null,
          character_code: characterCodeOf(charset),
          items: stored,
          total: items.length,
          done: 0,
          state: 'queued',
          claimed_by: null,
          claimed_at: null,
          received_at: at.toISOString(),
          finished_at: null,
        })
        .execute();
      break;
    } catch (error) {
      const taken = await ctx.store.db
        .selectFrom('oqs_bulk_requests')
        .select('reception_number')
        .where('reception_number', '=', number)
        .executeTakeFirst();
      if (!taken || attempt >= 4) throw error;
    }
  }
  WORKERS.get(ctx)?.kick();
  return normalReply(ctx, header, charset, {
    ProcessingResultStatus: PROCESSING_RESULT_STATUS.normal,
    ReceptionNumber: number,
    ReceptionDateTime: receptionDateTime(at.toISOString()),
    NumberOfQueries: String(items.length),
  });
}

/**
 * GET /oqs-api-pro/bulk/{ReceptionNumber}: SegmentOfResult 2 (処理中) with the progress while queued
 * or running; 1 with every BulkConfirmUnit, in the order posted, once done.
 */
export async function fetchBulk(ctx: ServiceContext, actor: Actor, reception: string): Promise<OqsReply> {
  const providerCode = providerCodeOf(actor);
  const row = await ctx.store.db
    .selectFrom('oqs_bulk_requests')
    .selectAll()
    .where('reception_number', '=', reception)
    .where('provider_code', '=', providerCode)
    .executeTakeFirst();
  if (!row) {
    return errorReply(
      ctx,
      404,
      {
        confirmationDate: undefined,
        institutionCode: providerCode,
        arbitraryFileIdentifier: undefined,
        characterCode: '0',
      },
      'utf8',
      { code: 'OQS_RECEPTION_UNKNOWN' },
    );
  }
  const charset = row.character_code === CHARACTER_CODE.shiftJis ? 'sjis' : 'utf8';
  const done = row.state === 'done';
  const header = messageHeader(
    headerFieldsOf(
      ctx,
      {
        confirmationDate: row.as_of,
        institutionCode: row.provider_code,
        arbitraryFileIdentifier: row.arbitrary_file_identifier ?? undefined,
        characterCode: row.character_code === '1' ? '1' : '0',
      },
      REFERENCE_CLASSIFICATION.number,
      row.character_code === '1' ? '1' : '0',
    ),
    done ? SEGMENT_OF_RESULT.normal : SEGMENT_OF_RESULT.processing,
  );
  const body: OqsNode = {
    ProcessingResultStatus: PROCESSING_RESULT_STATUS.normal,
    ReceptionNumber: row.reception_number,
    ReceptionDateTime: receptionDateTime(row.received_at),
    NumberOfQueries: String(row.total),
    NumberOfProcessed: String(row.done),
  };
  if (done) {
    const units = await ctx.store.db
      .selectFrom('oqs_bulk_results')
      .select(['item', 'unit'])
      .where('reception_number', '=', reception)
      .orderBy('item')
      .execute();
    body.BulkConfirmUnit = units.map((u) => JSON.parse(u.unit) as OqsNode);
  }
  return { status: 200, charset, message: message(header, body) };
}

// --- the worker ----------------------------------------------------------------------------------------

export interface BulkWorkerOptions {
  /** Pause between looks at an empty queue. */
  intervalMs?: number;
  /** Items answered per transaction of progress. */
  batchSize?: number;
  /** A claim not renewed for this long belongs to a dead worker and is taken over. */
  leaseMs?: number;
}

export interface BulkWorker {
  /** Look at the queue now (after a post), rather than at the next interval. */
  kick(): void;
  /** Resolves when the queue is empty (for tests and the CLI). */
  drain(): Promise<void>;
  /** Finishes the batch in hand and stops. */
  stop(): Promise<void>;
}

type Row = Database['oqs_bulk_requests'];

/** Claims the oldest queued request, or one whose lease is stale, in one transaction. */
async function claim(ctx: ServiceContext, workerId: string, leaseMs: number): Promise<Row | null> {
  // Leases are about processes, not the day answered for: wall-clock time, not ctx.clock.
  const now = new Date();
  const stale = new Date(now.getTime() - leaseMs).toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    const claimable = (qb: typeof trx) =>
      qb
        .selectFrom('oqs_bulk_requests')
        .select('reception_number')
        .where((eb) =>
          eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('claimed_at', '<', stale)])]),
        );
    const candidate = await claimable(trx).orderBy('received_at').limit(1).executeTakeFirst();
    if (!candidate) return null;
    const updated = await trx
      .updateTable('oqs_bulk_requests')
      .set({ state: 'running', claimed_by: workerId, claimed_at: now.toISOString() })
      .where('reception_number', '=', candidate.reception_number)
      .where((eb) =>
        eb.or([eb('state', '=', 'queued'), eb.and([eb('state', '=', 'running'), eb('claimed_at', '<', stale)])]),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return null;
    return (
      (await trx
        .selectFrom('oqs_bulk_requests')
        .selectAll()
        .where('reception_number', '=', candidate.reception_number)
        .executeTakeFirst()) ?? null
    );
  });
}

/** One item's BulkConfirmUnit: the answer body, or an error body for an item that cannot be read. */
async function answerItem(ctx: ServiceContext, actor: Actor, asOf: string, item: OqsNode): Promise<OqsNode> {
  const info = parseSearchInfo(item);
  if (!info.ok) return errorBody(info.error, item);
  return answerSearch(ctx, actor, asOf, info.value);
}

/** Answers a claimed request batch by batch; false when the lease was lost to another worker. */
async function work(ctx: ServiceContext, workerId: string, row: Row, batchSize: number, stopping: () => boolean) {
  const items = JSON.parse(row.items) as OqsNode[];
  const actor = systemActor('provider', { tokenId: row.token_id, providerCode: row.provider_code });
  let done = row.done;
  while (done < row.total) {
    if (stopping()) return;
    const end = Math.min(row.total, done + batchSize);
    const units: Array<{ reception_number: string; item: number; unit: string }> = [];
    for (let i = done; i < end; i++) {
      const unit = await answerItem(ctx, actor, row.as_of, items[i] ?? {});
      units.push({ reception_number: row.reception_number, item: i, unit: JSON.stringify(unit) });
    }
    const finished = end === row.total;
    const kept = await ctx.store.db.transaction().execute(async (trx) => {
      const renewed = await trx
        .updateTable('oqs_bulk_requests')
        .set({
          done: end,
          claimed_at: new Date().toISOString(),
          ...(finished ? { state: 'done' as const, finished_at: ctx.clock.now().toISOString() } : {}),
        })
        .where('reception_number', '=', row.reception_number)
        .where('claimed_by', '=', workerId)
        .where('done', '=', done)
        .executeTakeFirst();
      if (Number(renewed.numUpdatedRows) !== 1) return false;
      await trx.insertInto('oqs_bulk_results').values(units).execute();
      return true;
    });
    if (!kept) return;
    done = end;
  }
}

/**
 * The background worker `shikaku serve` starts (and stops with the app). It survives nothing itself:
 * the queue does, in the store.
 */
export function startBulkWorker(ctx: ServiceContext, options: BulkWorkerOptions = {}): BulkWorker {
  const intervalMs = options.intervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  const workerId = randomUUID();
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let wake: (() => void) | null = null;
  let idleWaiters: Array<() => void> = [];

  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, intervalMs);
    }).finally(() => {
      if (timer) clearTimeout(timer);
      timer = null;
      wake = null;
    });

  const loop = (async () => {
    while (!stopped) {
      let row: Row | null = null;
      try {
        row = await claim(ctx, workerId, leaseMs);
        if (row) await work(ctx, workerId, row, batchSize, () => stopped);
      } catch (error) {
        // A failed batch is rolled back; its lease goes stale and the request is taken up again.
        console.error('oqs bulk worker:', error instanceof Error ? error.message : error);
        row = null;
      }
      if (!row) {
        for (const resolve of idleWaiters) resolve();
        idleWaiters = [];
        if (!stopped) await sleep();
      }
    }
    for (const resolve of idleWaiters) resolve();
  })();

  const worker: BulkWorker = {
    kick: () => wake?.(),
    drain: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        wake?.();
      }),
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
      if (WORKERS.get(ctx) === worker) WORKERS.delete(ctx);
    },
  };
  WORKERS.set(ctx, worker);
  return worker;
}
