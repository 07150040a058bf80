/**
 * A long CSV upload as a notification job (issue #19 §1): the file is read and each row checked now
 * (a file-level problem still throws VALIDATION_CSV and queues nothing), then the rows are queued as
 * the same job a large JSON batch makes (registry/jobs.ts), keyed by their physical lines. Polled,
 * the finished job answers the report the synchronous upload gives for the same file.
 */
import type { CsvUploadJob, CsvUploadReport, NotificationJobAnswer } from '../../contract/console.js';
import type { BatchReport, NotificationJob } from '../../contract/notifications.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import type { CsvHeader } from '../csv-import.js';
import { yieldToEventLoop } from '../registry/chunks.js';
import { JOB_THRESHOLD, type JobRow, queueNotificationJob, readNotificationJob } from '../registry.js';
import {
  type CsvUploadOptions,
  readCsvUploadInSlices,
  refusedRow,
  uploadRecords,
  uploadRowNotification,
} from './csv-upload.js';

/** How long the rows are checked before the event loop gets a turn (a 40,000-row file takes seconds). */
const CHECK_SLICE_MS = 10;

/**
 * Uploads a CSV file: up to `threshold` data rows (default the batch's JOB_THRESHOLD) recorded now
 * and answered with the report; more are queued and answered with the job to poll.
 */
export async function uploadCsvOrQueue(
  ctx: ServiceContext,
  actor: Actor,
  input: Uint8Array | string,
  options: CsvUploadOptions & { threshold?: number } = {},
): Promise<{ report: CsvUploadReport } | { job: CsvUploadJob }> {
  requireRole(actor, 'admin', 'employer');
  const { header, records } = await readCsvUploadInSlices(input);
  if (records.length <= (options.threshold ?? JOB_THRESHOLD)) {
    return { report: await uploadRecords(ctx, actor, header, records, options) };
  }
  const rows: JobRow[] = [];
  let slice = performance.now();
  for (const record of records) {
    const row = uploadRowNotification(header, record, actor, options);
    rows.push(
      'error' in row
        ? { line: record.line, outcome: { line: record.line, ok: false, error: row.error } }
        : {
            line: record.line,
            input: row.notification,
          },
    );
    if (performance.now() - slice >= CHECK_SLICE_MS) {
      await yieldToEventLoop();
      slice = performance.now();
    }
  }
  const job = await queueNotificationJob(ctx, actor, rows, { source: 'csv', csvHeader: JSON.stringify(header) });
  return { job: uploadJob(header, job) };
}

/** `GET /api/v1/notifications/jobs/{id}`: a JSON batch's job as it is; an upload's with the upload's report. */
export async function getNotificationJobAnswer(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
): Promise<NotificationJobAnswer> {
  const { job, from } = await readNotificationJob(ctx, actor, id);
  if (from.source !== 'csv') return job;
  return uploadJob(JSON.parse(from.csvHeader ?? '{"fields":[],"labels":{}}') as CsvHeader, job);
}

/** An upload's job: marked as one, and once done with the upload's report. */
function uploadJob(header: CsvHeader, job: NotificationJob): CsvUploadJob {
  const { report, ...state } = job;
  return { ...state, source: 'csv', ...(report ? { report: uploadReport(header, state.total, report) } : {}) };
}

/** A finished job's rows as the synchronous upload reports them: refused rows name their columns. */
function uploadReport(header: CsvHeader, total: number, report: BatchReport): CsvUploadReport {
  const replayed = report.rows.filter((row) => row.ok && row.replayed).length;
  return {
    total,
    accepted: report.accepted,
    rejected: report.rejected,
    written: report.accepted - replayed,
    replayed,
    rows: report.rows.map((row) => (row.ok ? row : refusedRow(header, row.line, row.error))),
  };
}
