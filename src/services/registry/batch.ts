/**
 * A JSON batch (`POST /api/v1/notifications:batch`): each row validated and recorded in its own
 * transaction; a failing row writes nothing, answers its error, and the others go on.
 */
import type { BatchReport, FieldError, RowError, RowOutcome } from '../../contract/notifications.js';
import { ERRORS, ShikakuError } from '../../domain/codes.js';
import { maskMyNumbersDeep } from '../../domain/text.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { yieldToEventLoop } from './chunks.js';
import { parseNotification } from './parse.js';
import type { NotificationSource } from './run.js';
import { type NotificationOutcome, submitNotification } from './submit.js';

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
  for (const [i, raw] of rows.entries()) {
    const line = i + 1;
    try {
      const outcome = await submitNotification(ctx, actor, parseNotification(raw), {
        source: options.source ?? 'batch',
      });
      report.accepted++;
      report.rows.push(acceptedRow(line, outcome));
    } catch (error) {
      report.rejected++;
      report.rows.push({ line, ok: false, error: rowError(error) });
    }
    // Each row committed alone: let a verification waiting meanwhile run before the next one.
    await yieldToEventLoop();
  }
  return report;
}
