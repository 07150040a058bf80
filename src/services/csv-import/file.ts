/**
 * The CSV file itself: UTF-8 text, a header of known columns (English field names or the Japanese
 * labels of docs/IMPORT.md), and records with the physical line each starts on.
 */
import { parse as parseInPieces } from 'csv-parse';
import { CsvError, parse } from 'csv-parse/sync';
import { ShikakuError } from '../../domain/codes.js';
import { maskMyNumbersDeep } from '../../domain/text.js';

/** The notification fields a column maps to (the English header is the field name). */
export const CSV_FIELDS = [
  'kind',
  'insurerNumber',
  'recordedOn',
  'relationship',
  'symbol',
  'number',
  'branch',
  'acquiredOn',
  'lostOn',
  'standardMonthlyRemuneration',
  'myNumber',
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'address',
  'insuredSymbol',
  'insuredNumber',
  'certificateRequested',
  'key',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

/** Japanese headers (docs/IMPORT.md). English headers are the field names, in any letter case. */
export const JAPANESE_HEADERS: Readonly<Record<string, CsvField>> = {
  種別: 'kind',
  保険者番号: 'insurerNumber',
  届出日: 'recordedOn',
  続柄: 'relationship',
  記号: 'symbol',
  番号: 'number',
  枝番: 'branch',
  資格取得日: 'acquiredOn',
  資格喪失日: 'lostOn',
  標準報酬月額: 'standardMonthlyRemuneration',
  個人番号: 'myNumber',
  氏名: 'name',
  フリガナ: 'nameKana',
  生年月日: 'birthDate',
  性別: 'sex',
  住所: 'address',
  被保険者記号: 'insuredSymbol',
  被保険者番号: 'insuredNumber',
  資格確認書交付希望: 'certificateRequested',
  キー: 'key',
};

/** A header row: each column's field and the label as written in the file (for messages). */
export interface CsvHeader {
  fields: CsvField[];
  labels: Partial<Record<CsvField, string>>;
}

export interface CsvRecord {
  /** Physical line of the file where the record starts (the header is line 1). */
  line: number;
  values: Partial<Record<CsvField, string>>;
  /** The record's cell count differs from the header's. */
  ragged: boolean;
}

/**
 * A table entry for a key read from the file. Own keys only: a cell reading `constructor` or
 * `__proto__` must be unknown, not Object.prototype's (found by csv-import.property.test.ts).
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A file-level error: a cell it quotes (a header typed as a My Number) is masked. */
export function csvError(ja: string, en: string, details?: Record<string, unknown>): ShikakuError {
  return new ShikakuError('VALIDATION_CSV', maskMyNumbersDeep(details), maskMyNumbersDeep({ ja, en }));
}

/** The column's label as the file writes it (for messages). */
export function csvLabel(header: CsvHeader, field: CsvField): string {
  return header.labels[field] ?? field;
}

/**
 * The file's text: UTF-8, with or without BOM. Anything else (Shift_JIS from older Excel) is refused
 * with VALIDATION_CSV rather than guessed.
 */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw csvError(
      'UTF-8 ではありません（Shift_JIS には対応していません。UTF-8 で保存し直してください）',
      'the file is not valid UTF-8 (Shift_JIS is not supported: save it as UTF-8)',
    );
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function headerField(label: string): CsvField | undefined {
  const key = label.normalize('NFKC').trim();
  const japanese = own(JAPANESE_HEADERS, key);
  if (japanese) return japanese;
  const lower = key.toLowerCase();
  if (lower === 'idempotencykey') return 'key';
  return CSV_FIELDS.find((f) => f.toLowerCase() === lower);
}

type RawRecord = { record: string[]; raw: string };
const PARSE_OPTIONS = { raw: true, relax_column_count: true, skip_empty_lines: true } as const;
/** Characters parsed between two turns of the event loop (a few hundred rows, a few ms). */
const PARSE_SLICE_CHARS = 64 * 1024;

/** One line terminator, so csv-parse's raw text maps back to physical lines exactly. */
function oneLineTerminator(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Parses the text into a header and records with their physical line numbers. */
export function parseCsv(text: string): { header: CsvHeader; records: CsvRecord[] } {
  const normalized = oneLineTerminator(text);
  let parsed: RawRecord[];
  try {
    parsed = parse(normalized, PARSE_OPTIONS) as unknown as RawRecord[];
  } catch (error) {
    throw unreadable(error);
  }
  return tableOf(parsed);
}

/**
 * As parseCsv, a slice at a time with `pause()` between slices: a long upload is read on the server's
 * one thread, and a reception's verification must not wait for the whole file (issue #19 §1).
 */
export async function parseCsvInSlices(
  text: string,
  pause: () => Promise<void>,
  sliceChars = PARSE_SLICE_CHARS,
): Promise<{ header: CsvHeader; records: CsvRecord[] }> {
  const normalized = oneLineTerminator(text);
  const parser = parseInPieces(PARSE_OPTIONS);
  const parsed: RawRecord[] = [];
  let failure: unknown;
  parser.on('data', (record: RawRecord) => parsed.push(record));
  const ended = new Promise<void>((resolve) => {
    parser.on('end', resolve);
    parser.on('error', (error) => {
      failure ??= error;
      resolve();
    });
  });
  for (let at = 0; at < normalized.length && failure === undefined; ) {
    let end = Math.min(at + sliceChars, normalized.length);
    // Never between the halves of a surrogate pair: the parser would read each half as U+FFFD.
    if (end < normalized.length && isHighSurrogate(normalized.charCodeAt(end - 1))) end++;
    parser.write(normalized.slice(at, end));
    at = end;
    await pause();
  }
  parser.end();
  await ended;
  if (failure !== undefined) throw unreadable(failure);
  return tableOf(parsed);
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/** csv-parse's error as VALIDATION_CSV with the line it stopped at; anything else as it is. */
function unreadable(error: unknown): unknown {
  if (!(error instanceof CsvError)) return error;
  const line = (error as CsvError & { lines?: number }).lines;
  return csvError(
    `CSV を読み取れません（${line ?? '?'}行目付近）`,
    `cannot parse the CSV near line ${line ?? '?'}: ${error.code}`,
    {
      line,
    },
  );
}

/** The parsed records as the header and records with their physical lines. */
function tableOf(parsed: readonly RawRecord[]): { header: CsvHeader; records: CsvRecord[] } {
  let consumed = 0;
  const rows: Array<{ line: number; cells: string[] }> = [];
  for (const { record, raw } of parsed) {
    const leading = /^\n*/.exec(raw)?.[0].length ?? 0;
    rows.push({ line: consumed + leading + 1, cells: record });
    consumed += raw.split('\n').length - 1;
  }
  const first = rows.shift();
  if (!first) throw csvError('ヘッダー行がありません', 'the file has no header row');
  const fields: CsvField[] = [];
  const labels: Partial<Record<CsvField, string>> = {};
  const unknown: string[] = [];
  for (const cell of first.cells) {
    const label = cell.trim();
    const field = headerField(label);
    if (!field) {
      unknown.push(label);
      continue;
    }
    if (labels[field] !== undefined) {
      throw csvError(`列「${label}」が重複しています`, `the column ${label} appears twice`, { column: label });
    }
    fields.push(field);
    labels[field] = label;
  }
  if (unknown.length > 0) {
    throw csvError(`不明な列があります: ${unknown.join(', ')}`, `unknown column(s): ${unknown.join(', ')}`, {
      columns: unknown,
    });
  }
  if (!labels.kind) throw csvError('種別（kind）列がありません', 'the kind (種別) column is missing');
  const records: CsvRecord[] = [];
  for (const row of rows) {
    // Spaces around a cell go, but not a U+FEFF (a zero-width character the row check refuses).
    const cells = row.cells.map((c) => c.replace(/^[^\S\uFEFF]+|[^\S\uFEFF]+$/gu, ''));
    if (cells.every((c) => c === '')) continue; // a row of empty cells (",,,," from a spreadsheet)
    const values: Partial<Record<CsvField, string>> = {};
    fields.forEach((field, i) => {
      const value = cells[i];
      if (value) values[field] = value;
    });
    records.push({ line: row.line, values, ragged: cells.length !== first.cells.length });
  }
  return { header: { fields, labels }, records };
}
