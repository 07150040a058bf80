import type { CsvUploadReport, UploadRow } from '../../contract/console.js';
import type { NotificationInput, RowError } from '../../contract/notifications.js';
import type { IsoDate } from '../../domain/dates.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import {
  type CsvHeader,
  type CsvRecord,
  csvRowNotification,
  decodeCsv,
  errorColumns,
  parseCsv,
  parseCsvInSlices,
} from '../csv-import.js';
import { yieldToEventLoop } from '../registry/chunks.js';
import { acceptedRow, rowError, submitNotification } from '../registry.js';

export interface CsvUploadOptions {
  recordedOn?: IsoDate | undefined;
}

/** The uploaded file read: its header and records (throws VALIDATION_CSV for a file-level problem). */
export function readCsvUpload(input: Uint8Array | string): { header: CsvHeader; records: CsvRecord[] } {
  return parseCsv(uploadText(input));
}

/** As readCsvUpload, yielding to the event loop while it parses: for a file too long to read in one go. */
export function readCsvUploadInSlices(
  input: Uint8Array | string,
): Promise<{ header: CsvHeader; records: CsvRecord[] }> {
  return parseCsvInSlices(uploadText(input), yieldToEventLoop);
}

function uploadText(input: Uint8Array | string): string {
  return typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeCsv(input);
}

/** One record as the caller's notification, or the error that refuses it (checked, nothing written). */
export function uploadRowNotification(
  header: CsvHeader,
  record: CsvRecord,
  actor: Actor,
  options: CsvUploadOptions,
): { notification: NotificationInput } | { error: RowError } {
  try {
    return {
      notification: csvRowNotification(header, record, {
        insurerNumber: actor.insurerNumber ?? undefined,
        recordedOn: options.recordedOn,
      }),
    };
  } catch (error) {
    return { error: rowError(error) };
  }
}

/** A refused row as the upload reports it: with the CSV columns its error points at. */
export function refusedRow(header: CsvHeader, line: number, error: RowError): UploadRow {
  return { line, ok: false, error, columns: errorColumns(header, error) };
}

/**
 * A CSV file of notifications uploaded through the API (the console and the employer desk). The same
 * parsing, validation and idempotency keys as `shikaku import` (src/services/csv-import.ts), but each
 * row is submitted as the caller: an admin for its association, an employer for its own 記号, so a row
 * outside the caller's scope is refused (FORBIDDEN) like the same row sent as JSON. File-level problems
 * throw VALIDATION_CSV and write nothing; row errors carry the CSV columns they point at. A long file
 * is queued as a job instead (csv-upload-job.ts).
 */
export async function uploadCsv(
  ctx: ServiceContext,
  actor: Actor,
  input: Uint8Array | string,
  options: CsvUploadOptions = {},
): Promise<CsvUploadReport> {
  requireRole(actor, 'admin', 'employer');
  const { header, records } = readCsvUpload(input);
  return uploadRecords(ctx, actor, header, records, options);
}

/** The records of a read file, each submitted now in its own transaction (uploadCsv). */
export async function uploadRecords(
  ctx: ServiceContext,
  actor: Actor,
  header: CsvHeader,
  records: readonly CsvRecord[],
  options: CsvUploadOptions,
): Promise<CsvUploadReport> {
  const report: CsvUploadReport = {
    total: records.length,
    accepted: 0,
    rejected: 0,
    written: 0,
    replayed: 0,
    rows: [],
  };
  for (const record of records) {
    const row = uploadRowNotification(header, record, actor, options);
    let failure = 'error' in row ? row.error : null;
    if ('notification' in row) {
      try {
        const outcome = await submitNotification(ctx, actor, row.notification, { source: 'csv' });
        report.accepted++;
        if (outcome.replayed) report.replayed++;
        else report.written++;
        report.rows.push(acceptedRow(record.line, outcome));
      } catch (error) {
        failure = rowError(error);
      }
    }
    if (failure) {
      report.rejected++;
      report.rows.push(refusedRow(header, record.line, failure));
    }
    // Each row commits on its own; between rows a reception's verification gets its turn (issue #19 §1).
    await yieldToEventLoop();
  }
  return report;
}
