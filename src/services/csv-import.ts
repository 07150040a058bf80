/**
 * CSV import of notifications (`shikaku import FILE.csv`, DESIGN.md §5.2; columns in docs/IMPORT.md).
 *
 * Each data row becomes the same notification the API takes and goes through the same service, in
 * its own transaction, with an idempotency key: the キー column, else a SHA-256 of the insurer and
 * the row's normalised content. A re-run after a crash therefore writes nothing twice (DESIGN.md §3.6).
 * Line numbers are physical lines of the file (a quoted field may span lines: its first line counts).
 */
import { createHash } from 'node:crypto';
import { CsvError, parse } from 'csv-parse/sync';
import type { ControlledTransaction } from 'kysely';
import type { BatchReport, NotificationInput, NotificationKind, RowError } from '../contract/notifications.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { normalizeDigitInput } from '../domain/digits.js';
import type { Database } from '../store/schema.js';
import { systemActor } from './actor.js';
import type { ServiceContext } from './context.js';
import { parseNotification, rowError, submitNotification } from './registry.js';

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
  キー: 'key',
};

const KINDS: Readonly<Record<string, NotificationKind>> = {
  取得: 'acquisition',
  資格取得: 'acquisition',
  被扶養者追加: 'dependent_add',
  喪失: 'loss',
  資格喪失: 'loss',
  被扶養者削除: 'dependent_remove',
  変更: 'change',
  acquisition: 'acquisition',
  dependent_add: 'dependent_add',
  loss: 'loss',
  dependent_remove: 'dependent_remove',
  change: 'change',
};

const RELATIONSHIPS: Readonly<Record<string, 'insured' | 'dependent'>> = {
  本人: 'insured',
  被保険者: 'insured',
  insured: 'insured',
  家族: 'dependent',
  被扶養者: 'dependent',
  dependent: 'dependent',
};

const SEXES: Readonly<Record<string, 'male' | 'female'>> = {
  男: 'male',
  男性: 'male',
  male: 'male',
  m: 'male',
  女: 'female',
  女性: 'female',
  female: 'female',
  f: 'female',
};

const PERSON: CsvField[] = ['myNumber', 'name', 'nameKana', 'birthDate', 'sex', 'address'];
const COMMON: CsvField[] = ['kind', 'insurerNumber', 'recordedOn', 'relationship', 'key'];

/** The columns a row of each kind may fill (others must be empty). */
const ALLOWED: Readonly<Record<NotificationKind, ReadonlySet<CsvField>>> = {
  acquisition: new Set([
    ...COMMON,
    'symbol',
    'number',
    'branch',
    'acquiredOn',
    'standardMonthlyRemuneration',
    ...PERSON,
  ]),
  dependent_add: new Set([
    ...COMMON,
    'symbol',
    'number',
    'insuredSymbol',
    'insuredNumber',
    'branch',
    'acquiredOn',
    ...PERSON,
  ]),
  loss: new Set([...COMMON, 'symbol', 'number', 'branch', 'lostOn']),
  dependent_remove: new Set([...COMMON, 'symbol', 'number', 'branch', 'lostOn']),
  change: new Set([...COMMON, 'symbol', 'number', 'branch', 'standardMonthlyRemuneration', ...PERSON]),
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
function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function csvError(ja: string, en: string, details?: Record<string, unknown>): ShikakuError {
  return new ShikakuError('VALIDATION_CSV', details, { ja, en });
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

/** Parses the text into a header and records with their physical line numbers. */
export function parseCsv(text: string): { header: CsvHeader; records: CsvRecord[] } {
  // One line terminator, so csv-parse's raw text maps back to physical lines exactly.
  const normalized = text.replace(/\r\n?/g, '\n');
  let parsed: Array<{ record: string[]; raw: string }>;
  try {
    parsed = parse(normalized, { raw: true, relax_column_count: true, skip_empty_lines: true }) as unknown as Array<{
      record: string[];
      raw: string;
    }>;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw csvError(
        `CSV を読み取れません（${line ?? '?'}行目付近）`,
        `cannot parse the CSV near line ${line ?? '?'}: ${error.code}`,
        {
          line,
        },
      );
    }
    throw error;
  }
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
    const cells = row.cells.map((c) => c.trim());
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

function nfkc(value: string): string {
  return value.normalize('NFKC').trim();
}

/** 2025/1/5 (spreadsheets) → 2025-01-05; anything else is left for the schema to refuse. */
function csvDate(value: string): string {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(nfkc(value));
  return m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : value;
}

function csvAmount(value: string): number | string {
  const digits = nfkc(value).replace(/[,，円]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : value;
}

/** Spreadsheets drop leading zeros: 枝番 "1" is "01". */
function csvBranch(value: string): string {
  const v = nfkc(value);
  return /^\d$/.test(v) ? `0${v}` : v;
}

function csvLabel(header: CsvHeader, field: CsvField): string {
  return header.labels[field] ?? field;
}

/**
 * One CSV record as the notification JSON of the API (not yet validated). 種別 取得/喪失 with
 * 続柄 家族 are the dependent's kinds (被扶養者追加/被扶養者削除). Throws VALIDATION_* for a kind or
 * relationship it cannot read, or a filled column the kind does not use.
 */
export function notificationFromCsv(
  header: CsvHeader,
  record: CsvRecord,
  defaults: { insurerNumber?: string | undefined } = {},
): Record<string, unknown> {
  const v = record.values;
  if (record.ragged) {
    throw csvError('列の数がヘッダーと一致しません', 'the row does not have as many cells as the header');
  }
  const kindText = v.kind === undefined ? '' : nfkc(v.kind);
  let kind = own(KINDS, kindText) ?? own(KINDS, kindText.toLowerCase());
  if (!kind) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'kind' },
      {
        ja: `種別が不明です（取得・被扶養者追加・喪失・被扶養者削除・変更）: ${kindText}`,
        en: `unknown kind (acquisition, dependent_add, loss, dependent_remove, change): ${kindText}`,
      },
    );
  }
  let relationship: 'insured' | 'dependent' | undefined;
  if (v.relationship !== undefined) {
    const text = nfkc(v.relationship);
    relationship = own(RELATIONSHIPS, text) ?? own(RELATIONSHIPS, text.toLowerCase());
    if (!relationship) {
      throw new ShikakuError(
        'VALIDATION_FAILED',
        { field: 'relationship' },
        {
          ja: `続柄は「本人」または「家族」です: ${text}`,
          en: `relationship must be insured (本人) or dependent (家族): ${text}`,
        },
      );
    }
    if (kind === 'acquisition' && relationship === 'dependent') kind = 'dependent_add';
    if (kind === 'loss' && relationship === 'dependent') kind = 'dependent_remove';
    const expected = kind === 'dependent_add' || kind === 'dependent_remove' ? 'dependent' : 'insured';
    if (kind !== 'change' && relationship !== expected) {
      throw new ShikakuError(
        'VALIDATION_FAILED',
        { field: 'relationship' },
        {
          ja: `種別と続柄が矛盾しています: ${kindText} / ${text}`,
          en: `the kind and the relationship contradict each other: ${kindText} / ${text}`,
        },
      );
    }
  }
  const allowed = ALLOWED[kind];
  const extra = (Object.keys(v) as CsvField[]).filter((f) => !allowed.has(f));
  if (extra.length > 0) {
    const columns = extra.map((f) => csvLabel(header, f));
    throw new ShikakuError(
      'VALIDATION_UNKNOWN_FIELD',
      { columns },
      {
        ja: `この種別では使わない列に値があります: ${columns.join(', ')}`,
        en: `cells filled that kind ${kind} does not use: ${columns.join(', ')}`,
      },
    );
  }

  const out: Record<string, unknown> = { kind };
  const set = (name: string, value: unknown) => {
    if (value !== undefined) out[name] = value;
  };
  const insurer = v.insurerNumber === undefined ? defaults.insurerNumber : normalizeDigitInput(v.insurerNumber);
  set('insurerNumber', insurer);
  set('recordedOn', v.recordedOn && csvDate(v.recordedOn));
  set('idempotencyKey', v.key);
  const person: Record<string, unknown> = {};
  const setPerson = (target: Record<string, unknown>) => {
    if (v.myNumber !== undefined) target.myNumber = normalizeDigitInput(v.myNumber);
    if (v.name !== undefined) target.name = v.name;
    if (v.nameKana !== undefined) target.nameKana = v.nameKana;
    if (v.birthDate !== undefined) target.birthDate = csvDate(v.birthDate);
    if (v.sex !== undefined) target.sex = own(SEXES, nfkc(v.sex).toLowerCase()) ?? v.sex;
    if (v.address !== undefined) target.address = v.address;
  };
  const symbol = v.symbol && nfkc(v.symbol);
  const number = v.number && nfkc(v.number);
  const branch = v.branch && csvBranch(v.branch);
  const remuneration = v.standardMonthlyRemuneration && csvAmount(v.standardMonthlyRemuneration);
  switch (kind) {
    case 'acquisition':
      if (relationship) out.relationship = relationship;
      set('symbol', symbol);
      set('number', number);
      set('branch', branch);
      set('acquiredOn', v.acquiredOn && csvDate(v.acquiredOn));
      set('standardMonthlyRemuneration', remuneration);
      setPerson(person);
      out.person = person;
      break;
    case 'dependent_add': {
      // The dependent shares the insured's 記号・番号: either column pair may carry them.
      const insuredSymbol = v.insuredSymbol ? nfkc(v.insuredSymbol) : symbol;
      const insuredNumber = v.insuredNumber ? nfkc(v.insuredNumber) : number;
      if ((symbol && insuredSymbol !== symbol) || (number && insuredNumber !== number)) {
        throw new ShikakuError(
          'VALIDATION_FAILED',
          { field: 'insured' },
          {
            ja: '被扶養者の記号・番号は被保険者記号・被保険者番号と同じです',
            en: "a dependent's symbol and number are the insured's",
          },
        );
      }
      out.relationship = 'dependent';
      out.insured = {
        ...(insuredSymbol ? { symbol: insuredSymbol } : {}),
        ...(insuredNumber ? { number: insuredNumber } : {}),
      };
      set('branch', branch);
      set('acquiredOn', v.acquiredOn && csvDate(v.acquiredOn));
      setPerson(person);
      out.person = person;
      break;
    }
    case 'loss':
    case 'dependent_remove':
      set('symbol', symbol);
      set('number', number);
      set('branch', branch);
      set('lostOn', v.lostOn && csvDate(v.lostOn));
      break;
    case 'change':
      set('symbol', symbol);
      set('number', number);
      set('branch', branch);
      set('standardMonthlyRemuneration', remuneration);
      setPerson(out);
      break;
  }
  return out;
}

/** JSON with sorted keys: the same content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key of a row without a キー: SHA-256 of the insurer and the validated, normalised
 * notification (so half-width or full-width input hashes alike). recordedOn counts only when the row
 * carries it: a re-run on another day with the default date replays.
 */
export function csvRowKey(notification: NotificationInput): string {
  const { idempotencyKey: _key, ...content } = notification;
  const digest = createHash('sha256')
    .update(`${notification.insurerNumber}\n${canonical(content)}`)
    .digest('hex');
  return `csv-${digest}`;
}

/**
 * The validated notification of one CSV record, keyed for idempotency (its キー column, else
 * `csvRowKey`) and dated by its 届出日 or `recordedOn`. Throws VALIDATION_* like the JSON API.
 */
export function csvRowNotification(
  header: CsvHeader,
  record: CsvRecord,
  options: { insurerNumber?: string | undefined; recordedOn?: IsoDate | undefined },
): NotificationInput {
  const parsed = parseNotification(notificationFromCsv(header, record, { insurerNumber: options.insurerNumber }));
  const recordedOn = parsed.recordedOn ?? options.recordedOn;
  return {
    ...parsed,
    idempotencyKey: parsed.idempotencyKey ?? csvRowKey(parsed),
    ...(recordedOn !== undefined ? { recordedOn } : {}),
  };
}

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
  // Rows are recorded in batches, one transaction each, every row in its own savepoint: a failing row
  // still writes nothing, and the commit is paid once per batch rather than once per row
  // (docs/PERFORMANCE.md). A crash loses at most the open batch; the re-run replays the committed
  // rows by their idempotency keys and writes the rest (DESIGN.md §3.6).
  let batch: ControlledTransaction<Database> | null = null;
  let batchRows = 0;
  let batchStarted = 0;
  const commit = async () => {
    if (batch) await batch.commit().execute();
    batch = null;
  };
  try {
    for (const [i, record] of records.entries()) {
      if (batch === null) {
        batch = await ctx.store.db.startTransaction().execute();
        batchRows = 0;
        batchStarted = performance.now();
      }
      try {
        const notification = csvRowNotification(header, record, options);
        const actor = systemActor('admin', { insurerNumber: options.insurerNumber ?? notification.insurerNumber });
        const outcome = await submitNotification(ctx, actor, notification, { source: 'csv', within: batch });
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
        report.rejected++;
        report.rows.push({ line: record.line, ok: false, error: rowError(error) });
      }
      if (++batchRows >= IMPORT_BATCH_ROWS || performance.now() - batchStarted >= IMPORT_BATCH_MS) await commit();
      options.onProgress?.(i + 1, records.length);
    }
    await commit();
  } catch (error) {
    // Only a store failure gets here (row errors are reported per row): the open batch is undone.
    await (batch as ControlledTransaction<Database> | null)
      ?.rollback()
      .execute()
      .catch(() => undefined);
    throw error;
  }
  return report;
}

/**
 * Rows per transaction of the CSV import, and the longest a batch stays open: on SQLite an open
 * transaction holds the one connection, so batches stay short.
 */
export const IMPORT_BATCH_ROWS = 200;
export const IMPORT_BATCH_MS = 100;

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
