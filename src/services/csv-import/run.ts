/**
 * Importing a file: every row through the registry's one notification service, in batches of
 * savepoints, each row keyed for idempotency so a re-run after a crash writes nothing twice.
 */
import type { BatchReport } from '../../contract/notifications.js';
import type { IsoDate } from '../../domain/dates.js';
import { systemActor } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { type ReadRow, recordRead, segmentsOf } from '../registry/set-writer/record-set.js';
import { acceptedRow, CHUNK_MS, CHUNK_ROWS, inChunks, rowError } from '../registry.js';
import { type CsvHeader, decodeCsv, parseCsv } from './file.js';
import { csvRowNotification } from './row.js';

export interface CsvImportOptions {
  /** `--insurer`: the association the rows belong to (a row may repeat it in 保険者番号). */
  insurerNumber?: string | undefined;
  /** `--recorded-on`: for rows without 届出日 (default: today in Japan). */
  recordedOn?: IsoDate | undefined;
  /**
   * Every row through the per-row path, each in its own savepoint, as before the set writer: the
   * reference its differential test compares with.
   */
  perRow?: boolean | undefined;
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
  // Rows are recorded in chunks, one transaction each, and other requests run between chunks. Inside a
  // chunk, acquisitions and dependents' additions are read, decided and written set-wise, every other
  // row (and one the set writer would refuse) in its own savepoint: a failing row writes nothing
  // (registry/set-writer). A crash loses at most the open chunk; the re-run replays the committed
  // rows by their idempotency keys and writes the rest (DESIGN.md §3.6).
  let done = 0;
  const read = records.map((record): ReadRow & { line: number } => {
    try {
      const input = csvRowNotification(header, record, options);
      const actor = systemActor('admin', { insurerNumber: options.insurerNumber ?? input.insurerNumber });
      return { line: record.line, actor, input };
    } catch (error) {
      return { line: record.line, ok: false, error };
    }
  });
  await inChunks(ctx, segmentsOf(read, options.perRow === true), async (segment, _, trx) => {
    const rows = segment;
    const outcomes = await recordRead(ctx, trx, rows, 'csv', { perRow: options.perRow === true });
    for (const [i, outcome] of outcomes.entries()) {
      const { line } = segment[i] as { line: number };
      if (outcome.ok) {
        report.accepted++;
        if (outcome.outcome.replayed) report.replayed++;
        else report.written++;
        report.rows.push(acceptedRow(line, outcome.outcome));
      } else {
        report.rejected++;
        report.rows.push({ line, ok: false, error: rowError(outcome.error) });
      }
      options.onProgress?.(++done, records.length);
    }
  });
  return report;
}

/** Rows per transaction of the CSV import, and the longest one stays open (registry/chunks.ts). */
export const IMPORT_BATCH_ROWS = CHUNK_ROWS;
export const IMPORT_BATCH_MS = CHUNK_MS;
