/** A row's error as the CSV's author reads it: the columns it points at, by the file's labels. */
import type { RowError } from '../../contract/notifications.js';
import { CSV_FIELDS, type CsvField, type CsvHeader, csvLabel } from './file.js';

/** The CSV columns a row error points at, by the labels of the file's header. */
export function errorColumns(header: CsvHeader, error: RowError): string[] {
  const columns = new Set<string>();
  for (const e of error.errors ?? []) {
    const segments = e.path.split('/').filter(Boolean);
    const last = segments.at(-1);
    const parent = segments.at(-2);
    let field: CsvField | undefined;
    if (parent === 'insured' && (last === 'symbol' || last === 'number')) {
      // The insured's 記号・番号 come from 被保険者記号・番号 when the file has them, else from 記号・番号.
      const insuredField = last === 'symbol' ? 'insuredSymbol' : 'insuredNumber';
      field = header.labels[insuredField] ? insuredField : last;
    } else if (last === 'idempotencyKey') {
      field = 'key';
    } else {
      field = CSV_FIELDS.find((f) => f === last);
    }
    if (field) columns.add(csvLabel(header, field));
  }
  return [...columns];
}

/** `line 7: MYNUMBER_CHECK_DIGIT 個人番号…が正しくありません / The My Number check digit is wrong (個人番号)`. */
export function formatRowError(header: CsvHeader, line: number, error: RowError): string {
  const columns = errorColumns(header, error);
  return `line ${line}: ${error.code} ${error.ja} / ${error.en}${columns.length > 0 ? ` (${columns.join(', ')})` : ''}`;
}
