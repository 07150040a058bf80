/**
 * Large JSON batches and CSV uploads as background jobs (issue #19 §1): the rows are stored
 * (encrypted) with the job, recorded in chunks that other requests interleave with, and each row's
 * outcome is committed with its writes, so a restarted server resumes at the first row without one.
 * The finished report is the synchronous answer, row for row (an upload's: console/csv-upload-job.ts).
 */
import { randomUUID } from 'node:crypto';
import type { NotificationJob, RowOutcome } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import { type Actor, requireRole } from '../actor.js';
import { nowIso, type ServiceContext } from '../context.js';
import { acceptedRow, rowError } from './batch.js';
import { CHUNK_ROWS, inChunks, restAfter } from './chunks.js';
import { parseNotification } from './parse.js';
import { type ReadRow, recordRead, segmentsOf } from './set-writer/record-set.js';

/** Batches of more rows than this are answered 202 with a job; smaller ones synchronously as before. */
export const JOB_THRESHOLD = 1000;
/** After each chunk a job pauses this many times as long as the chunk took (registry/chunks.ts). */
export const JOB_REST = 1;
/**
 * A job's rows are read a page at a time and recorded ten to a transaction: the event loop is held
 * for the whole of a transaction, and a verification arriving meanwhile waits for it. Ten rows take
 * about 7 ms on a store of 1,000,000 members (docs/PERFORMANCE.md).
 */
const JOB_PAGE_ROWS = 50;
const JOB_SEGMENT_ROWS = 10;
/** How long a process holds a job without renewing it (per chunk) before another may resume it. */
export const JOB_LEASE_MS = 60_000;

/** One row of a job: its input, or (a CSV row refused while the file was read) its outcome already. */
export type JobRow = { line: number; input: unknown } | { line: number; outcome: Extract<RowOutcome, { ok: false }> };

/** What a job was posted as: its rows are recorded with this source; a CSV job keeps its header. */
export interface JobSource {
  source: 'batch' | 'csv';
  /** A CSV job's header (JSON), read back by the upload's report for the columns of its errors. */
  csvHeader?: string;
}

/** Stores a batch as a job (roles admin, employer) and schedules it; answers its state (queued). */
export async function createNotificationJob(
  ctx: ServiceContext,
  actor: Actor,
  rows: readonly unknown[],
): Promise<NotificationJob> {
  return queueNotificationJob(
    ctx,
    actor,
    rows.map((input, i) => ({ line: i + 1, input })),
    { source: 'batch' },
  );
}

/**
 * Stores rows as a job and schedules it; answers its state (queued). Rows given with an outcome
 * count as processed and rejected from the start.
 */
export async function queueNotificationJob(
  ctx: ServiceContext,
  actor: Actor,
  rows: readonly JobRow[],
  from: JobSource,
): Promise<NotificationJob> {
  requireRole(actor, 'admin', 'employer');
  const id = randomUUID();
  const createdAt = nowIso(ctx);
  const refused = rows.filter((row) => 'outcome' in row).length;
  await ctx.store.db
    .insertInto('notification_jobs')
    .values({
      id,
      insurer_number: actor.insurerNumber,
      actor: JSON.stringify(actor),
      status: 'queued',
      total: rows.length,
      processed: refused,
      accepted: 0,
      rejected: refused,
      lease_until: null,
      created_at: createdAt,
      finished_at: null,
      source: from.source,
      csv_header: from.csvHeader ?? null,
    })
    .execute();
  // The rows in chunks too, so a 10,000-row job is stored without holding the connection for long.
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const started = performance.now();
    const values = rows.slice(start, start + CHUNK_ROWS).map((row) => ({
      job_id: id,
      line: row.line,
      input_enc: 'input' in row ? ctx.keyring.encrypt(JSON.stringify(row.input)) : null,
      outcome: 'outcome' in row ? JSON.stringify(row.outcome) : null,
    }));
    await ctx.store.db.insertInto('notification_job_rows').values(values).execute();
    await restAfter(performance.now() - started, JOB_REST);
  }
  jobRunner(ctx).schedule(id);
  return getNotificationJob(ctx, actor, id);
}

/** A job's state, with its report once done. Only its poster's scope sees it (404 otherwise). */
export async function getNotificationJob(ctx: ServiceContext, actor: Actor, id: string): Promise<NotificationJob> {
  return (await readNotificationJob(ctx, actor, id)).job;
}

/** A job's state and report (as getNotificationJob), with what it was posted as. */
export async function readNotificationJob(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<{ job: NotificationJob; from: JobSource }> {
  requireRole(actor, 'admin', 'employer');
  const job = await ctx.store.db.selectFrom('notification_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!job || !sameScope(JSON.parse(job.actor) as Actor, actor)) throw new ShikakuError('NOTIFICATION_JOB_NOT_FOUND');
  const from: JobSource = {
    source: job.source ?? 'batch',
    ...(job.csv_header ? { csvHeader: job.csv_header } : {}),
  };
  const answer: NotificationJob = {
    jobId: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    accepted: job.accepted,
    rejected: job.rejected,
    createdAt: job.created_at,
    finishedAt: job.finished_at,
  };
  if (job.status !== 'done') return { job: answer, from };
  const rows = await ctx.store.db
    .selectFrom('notification_job_rows')
    .select('outcome')
    .where('job_id', '=', id)
    .orderBy('line')
    .execute();
  const outcomes = rows.map((r) => JSON.parse(r.outcome ?? 'null') as RowOutcome);
  return { job: { ...answer, report: { accepted: job.accepted, rejected: job.rejected, rows: outcomes } }, from };
}

/** The poster's association, and for an employer its 記号 too: an admin of the association sees all. */
function sameScope(poster: Actor, actor: Actor): boolean {
  if (poster.insurerNumber !== actor.insurerNumber) return false;
  return actor.role === 'admin' || (poster.role === 'employer' && poster.employerSymbol === actor.employerSymbol);
}

/**
 * Runs the job's rows without an outcome, chunk by chunk, while this process holds its lease.
 * Answers false when stopped (the lease is released for the next start) or another holds it.
 */
async function runJob(ctx: ServiceContext, id: string, stopping: () => boolean): Promise<boolean> {
  if (!(await claim(ctx, id))) return false;
  const db = ctx.store.db;
  const job = await db
    .selectFrom('notification_jobs')
    .select(['actor', 'source'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const actor = JSON.parse(job.actor) as Actor;
  const source = job.source ?? 'batch';
  for (;;) {
    if (stopping()) {
      await db.updateTable('notification_jobs').set({ lease_until: null }).where('id', '=', id).execute();
      return false;
    }
    const pending = await db
      .selectFrom('notification_job_rows')
      .select(['line', 'input_enc'])
      .where('job_id', '=', id)
      .where('outcome', 'is', null)
      .orderBy('line')
      .limit(JOB_PAGE_ROWS)
      .execute();
    if (pending.length === 0) break;
    let accepted = 0;
    let rejected = 0;
    let processed = 0;
    await inChunks(
      ctx,
      segmentsOf(
        pending.map((row): ReadRow & { line: number } => {
          try {
            return {
              line: row.line,
              actor,
              input: parseNotification(JSON.parse(ctx.keyring.decrypt(row.input_enc ?? ''))),
            };
          } catch (error) {
            return { line: row.line, ok: false, error };
          }
        }),
        false,
        JOB_SEGMENT_ROWS,
      ),
      async (rows, _i, trx) => {
        // Recorded set-wise (set-writer/), each row's outcome committed with its writes.
        const outcomes = await recordRead(ctx, trx, rows, source);
        for (const [i, done] of outcomes.entries()) {
          const { line } = rows[i] as (typeof rows)[number];
          const outcome: RowOutcome = done.ok
            ? acceptedRow(line, done.outcome)
            : { line, ok: false, error: rowError(done.error) };
          if (done.ok) accepted++;
          else rejected++;
          processed++;
          await trx
            .updateTable('notification_job_rows')
            .set({ outcome: JSON.stringify(outcome), input_enc: null })
            .where('job_id', '=', id)
            .where('line', '=', line)
            .execute();
        }
      },
      async (trx) => {
        await trx
          .updateTable('notification_jobs')
          .set((eb) => ({
            processed: eb('processed', '+', processed),
            accepted: eb('accepted', '+', accepted),
            rejected: eb('rejected', '+', rejected),
            lease_until: leaseUntil(ctx),
          }))
          .where('id', '=', id)
          .execute();
        accepted = 0;
        rejected = 0;
        processed = 0;
      },
      // One segment a transaction, and half of the time to the requests of the clinics: a job is not
      // in a hurry, a reception is.
      { rest: JOB_REST, maxItems: 1 },
    );
  }
  await db
    .updateTable('notification_jobs')
    .set({ status: 'done', finished_at: nowIso(ctx), lease_until: null })
    .where('id', '=', id)
    .execute();
  return true;
}

function leaseUntil(ctx: ServiceContext): string {
  return new Date(ctx.clock.now().getTime() + JOB_LEASE_MS).toISOString();
}

/** Takes the job's lease when it is unfinished and nobody holds it (two servers may share a store). */
async function claim(ctx: ServiceContext, id: string): Promise<boolean> {
  const now = nowIso(ctx);
  const result = await ctx.store.db
    .updateTable('notification_jobs')
    .set({ status: 'running', lease_until: leaseUntil(ctx) })
    .where('id', '=', id)
    .where('status', '!=', 'done')
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

interface JobRunner {
  schedule(id: string): void;
  /** Runs the unfinished jobs nobody holds (on start, and now and then for a crashed peer's). */
  resume(): Promise<void>;
  /** Stops after the current chunk; the unfinished jobs resume at the next start. */
  stop(): Promise<void>;
}

/** Where a paused job is reported: the server's log (no personal data: the error's kind only). */
export type JobLog = (message: string) => void;

const runners = new WeakMap<ServiceContext, JobRunner>();
/** How often a server looks for jobs a crashed peer left (their lease ran out). */
const RESUME_EVERY_MS = 30_000;

/**
 * Starts running notification jobs in this process: the unfinished ones now, new ones as they are
 * posted. Answers the stop function (the HTTP server calls it on close).
 */
export async function startNotificationJobs(ctx: ServiceContext, log: JobLog): Promise<() => Promise<void>> {
  const runner = jobRunner(ctx, log);
  await runner.resume();
  const timer = setInterval(() => void runner.resume().catch(() => undefined), RESUME_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await runner.stop();
  };
}

/** The context's one runner: jobs run one after another, in the background of this process. */
function jobRunner(ctx: ServiceContext, log: JobLog = () => undefined): JobRunner {
  const existing = runners.get(ctx);
  if (existing) return existing;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  const queued = new Set<string>();
  const runner: JobRunner = {
    schedule(id) {
      if (stopped || queued.has(id)) return;
      queued.add(id);
      chain = chain.then(async () => {
        try {
          await runJob(ctx, id, () => stopped);
        } catch (error) {
          // A store failure: the open chunk was rolled back; the job resumes on the next pass.
          log(`notification job ${id} paused: ${error instanceof Error ? error.name : 'error'}`);
          await ctx.store.db
            .updateTable('notification_jobs')
            .set({ lease_until: null })
            .where('id', '=', id)
            .execute()
            .catch(() => undefined);
        } finally {
          queued.delete(id);
        }
      });
    },
    async resume() {
      const now = nowIso(ctx);
      const open = await ctx.store.db
        .selectFrom('notification_jobs')
        .select('id')
        .where('status', '!=', 'done')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .orderBy('created_at')
        .execute();
      for (const { id } of open) runner.schedule(id);
    },
    async stop() {
      stopped = true;
      runners.delete(ctx);
      await chain;
    },
  };
  runners.set(ctx, runner);
  return runner;
}
