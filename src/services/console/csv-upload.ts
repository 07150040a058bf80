import type { CsvUploadReport } from '../../contract/console.js';
import type { IsoDate } from '../../domain/dates.js';
import { type Actor, requireRole } from '../actor.js';
import type { ServiceContext } from '../context.js';
import { csvRowNotification, decodeCsv, errorColumns, parseCsv } from '../csv-import.js';
import { yieldToEventLoop } from '../registry/chunks.js';
import { rowError, submitNotification } from '../registry.js';

/**
 * A CSV file of notifications uploaded through the API (the console and the employer desk). The same
 * parsing, validation and idempotency keys as `shikaku import` (src/services/csv-import.ts), but each
 * row is submitted as the caller: an admin for its association, an employer for its own 記号, so a row
 * outside the caller's scope is refused (FORBIDDEN) like the same row sent as JSON. File-level problems
 * throw VALIDATION_CSV and write nothing; row errors carry the CSV columns they point at.
 */
export async function uploadCsv(
  ctx: ServiceContext,
  actor: Actor,
  input: Uint8Array | string,
  options: { recordedOn?: IsoDate | undefined } = {},
): Promise<CsvUploadReport> {
  requireRole(actor, 'admin', 'employer');
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeCsv(input);
  const { header, records } = parseCsv(text);
  const report: CsvUploadReport = {
    total: records.length,
    accepted: 0,
    rejected: 0,
    written: 0,
    replayed: 0,
    rows: [],
  };
  for (const record of records) {
    try {
      const notification = csvRowNotification(header, record, {
        insurerNumber: actor.insurerNumber ?? undefined,
        recordedOn: options.recordedOn,
      });
      const outcome = await submitNotification(ctx, actor, notification, { source: 'csv' });
      report.accepted++;
      if (outcome.replayed) report.replayed++;
      else report.written++;
      report.rows.push({
        line: record.line,
        ok: true,
        result: outcome.result,
        ...(outcome.replayed ? { replayed: true as const } : {}),
      });
    } catch (error) {
      const failure = rowError(error);
      report.rejected++;
      report.rows.push({ line: record.line, ok: false, error: failure, columns: errorColumns(header, failure) });
    }
    // Each row commits on its own; between rows a reception's verification gets its turn (issue #19 §1).
    await yieldToEventLoop();
  }
  return report;
}
