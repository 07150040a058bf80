/**
 * CSV import of notifications (`shikaku import FILE.csv`, DESIGN.md §5.2; columns in docs/IMPORT.md).
 *
 * Each data row becomes the same notification the API takes and goes through the same service, in
 * its own transaction, with an idempotency key: the キー column, else a SHA-256 of the insurer and
 * the row's normalised content. A re-run after a crash therefore writes nothing twice (DESIGN.md §3.6).
 * Line numbers are physical lines of the file (a quoted field may span lines: its first line counts).
 */
export { errorColumns, formatRowError } from './csv-import/errors.js';
export {
  CSV_FIELDS,
  type CsvField,
  type CsvHeader,
  type CsvRecord,
  decodeCsv,
  JAPANESE_HEADERS,
  parseCsv,
  parseCsvInSlices,
} from './csv-import/file.js';
export { csvRowNotification, notificationFromCsv } from './csv-import/row.js';
export { csvRowKey } from './csv-import/row-key.js';
export {
  type CsvImportOptions,
  type CsvImportReport,
  IMPORT_BATCH_MS,
  IMPORT_BATCH_ROWS,
  importCsv,
} from './csv-import/run.js';
