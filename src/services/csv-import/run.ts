/**
 * Importing a file: every row through the registry's one notification service, in batches of
 * savepoints, each row keyed for idempotency so a re-run after a crash writes nothing twice.
 */
import type { BatchReport } from '../../contract/notifications.js';
import type { IsoDate } from '../../domain/dates.js';
import { systemActor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { acceptedRow, CHUNK_MS, CHUNK_ROWS, inChunks, rowError, submitNotification } from '../registry.js';
import { type CsvHeader, decodeCsv, parseCsv } from './file.js';
import { csvRowNotification } from './row.js';

export interface CsvImportOptions {
  /** `--insurer`: the association the rows belong to (a row may repeat it in 保険者番号). */
  insurerNumber?: string | undefined;
  /** `--recorded-on`: for rows without 届出日 (default: today in Japan). */
  recordedOn?: IsoDate | undefined;
  /** Called after each row (the CLI draws its progress bar with it). */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface CsvImportReport extends BatchReport {
  total: number;
  /** Accepted rows written by this run; the rest of the accepted were already imported (replayed). */
  written: number;
  replayed: number;
  header: CsvHeader;
}

/**
 * Imports a CSV file of notifications. The actor of each row is a system admin of the row's
 * association. A file-level problem (not UTF-8, no or unknown header, unparseable) throws
 * VALIDATION_CSV and writes nothing; row problems are reported per line and the good rows are written.
 */
export async function importCsv(
  ctx: ServiceContext,
  input: Uint8Array | string,
  options: CsvImportOptions = {},
): Promise<CsvImportReport> {
  const text = typeof input === 'string' ? (input.startsWith('\uFEFF') ? input.slice(1) : input) : decodeCsv(input);
  const { header, records } = parseCsv(text);
  const report: CsvImportReport = {
    accepted: 0,
    rejected: 0,
    rows: [],
    total: records.length,
    written: 0,
    replayed: 0,
    header,
  };
  // Rows are recorded in chunks, one transaction each, every row in its own savepoint: a failing row
  // still writes nothing, and the commit is paid once per chunk rather than once per row
  // (docs/PERFORMANCE.md); other requests run between chunks. A crash loses at most the open chunk;
  // the re-run replays the committed rows by their idempotency keys and writes the rest (DESIGN.md §3.6).
  await inChunks(ctx, records, async (record, i, trx) => {
    try {
      const notification = csvRowNotification(header, record, options);
      const actor = systemActor('admin', { insurerNumber: options.insurerNumber ?? notification.insurerNumber });
      const outcome = await submitNotification(ctx, actor, notification, { source: 'csv', within: trx });
      report.accepted++;
      if (outcome.replayed) report.replayed++;
      else report.written++;
      report.rows.push(acceptedRow(record.line, outcome));
    } catch (error) {
      report.rejected++;
      report.rows.push({ line: record.line, ok: false, error: rowError(error) });
    }
    options.onProgress?.(i + 1, records.length);
  });
  return report;
}

/** Rows per transaction of the CSV import, and the longest one stays open (registry/chunks.ts). */
export const IMPORT_BATCH_ROWS = CHUNK_ROWS;
export const IMPORT_BATCH_MS = CHUNK_MS;
