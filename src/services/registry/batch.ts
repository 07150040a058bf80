/**
 * A JSON batch (`POST /api/v1/notifications:batch`): each row validated and recorded (set-wise, in
 * chunk transactions); a failing row writes nothing, answers its error, and the others go on.
 */
import type { BatchReport, FieldError, RowError, RowOutcome } from '../../contract/notifications.js';
import { ERRORS, ShikakuError } from '../../domain/codes.js';
import { maskMyNumbersDeep } from '../../domain/text.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { inChunks } from './chunks.js';
import { parseNotification } from './parse.js';
import type { NotificationSource } from './run.js';
import { type ReadRow, recordRead, segmentsOf } from './set-writer/record-set.js';
import type { NotificationOutcome } from './submit.js';

/**
 * Any error as a row error: a ShikakuError keeps its code; anything else is INTERNAL (nothing leaks).
 * A My Number typed into the wrong field or column is masked here, the one way out of every row error
 * (the API answer, a job's report, the CLI's lines and --report file).
 */
export function rowError(error: unknown): RowError {
  if (error instanceof ShikakuError) {
    const errors = error.details?.errors as FieldError[] | undefined;
    return maskMyNumbersDeep({ code: error.code, ja: error.ja, en: error.message, ...(errors ? { errors } : {}) });
  }
  return { code: 'INTERNAL', ja: ERRORS.INTERNAL.ja, en: ERRORS.INTERNAL.en };
}

/** A recorded row of a batch or an import, marked when its idempotency key replayed it. */
export function acceptedRow(line: number, outcome: NotificationOutcome): Extract<RowOutcome, { ok: true }> {
  return { line, ok: true, result: outcome.result, ...(outcome.replayed ? { replayed: true as const } : {}) };
}

/** The rows in order; lines count from 1. */
export async function submitBatch(
  ctx: ServiceContext,
  actor: Actor,
  rows: readonly unknown[],
  options: { source?: NotificationSource } = {},
): Promise<BatchReport> {
  requireRole(actor, 'admin', 'employer');
  const report: BatchReport = { accepted: 0, rejected: 0, rows: [] };
  const read = rows.map((raw): ReadRow => {
    try {
      return { actor, input: parseNotification(raw) };
    } catch (error) {
      return { ok: false, error };
    }
  });
  // Recorded set-wise in chunk transactions (set-writer/); a verification waiting meanwhile runs
  // between chunks (chunks.ts).
  let line = 0;
  await inChunks(ctx, segmentsOf(read), async (segment, _i, trx) => {
    for (const done of await recordRead(ctx, trx, segment, options.source ?? 'batch')) {
      line++;
      if (done.ok) {
        report.accepted++;
        report.rows.push(acceptedRow(line, done.outcome));
      } else {
        report.rejected++;
        report.rows.push({ line, ok: false, error: rowError(done.error) });
      }
    }
  });
  return report;
}
