/**
 * One CSV record as a notification: the kind and relationship words, spreadsheet-written dates,
 * amounts and 枝番, the columns each kind may fill, and the idempotency key of a row without キー.
 */
import type { NotificationInput, NotificationKind } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import { normalizeDigitInput } from '../../domain/digits.js';
import { forbiddenCharacter, normalizeIdentifier } from '../../domain/text.js';
import { parseNotification } from '../registry.js';
import { type CsvField, type CsvHeader, type CsvRecord, csvError, csvLabel, own } from './file.js';
import { csvRowKey } from './row-key.js';

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

/** Columns of free text, where a tab or a line break folds into a space (contract/residents.ts). */
const PROSE: ReadonlySet<CsvField> = new Set(['name', 'nameKana', 'address']);

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
    'certificateRequested',
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
    'certificateRequested',
    ...PERSON,
  ]),
  loss: new Set([...COMMON, 'symbol', 'number', 'branch', 'lostOn']),
  dependent_remove: new Set([...COMMON, 'symbol', 'number', 'branch', 'lostOn']),
  change: new Set([...COMMON, 'symbol', 'number', 'branch', 'standardMonthlyRemuneration', ...PERSON]),
};

/** 2025/1/5 (spreadsheets) → 2025-01-05; anything else is left for the schema to refuse. */
function csvDate(value: string): string {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(normalizeIdentifier(value));
  return m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : value;
}

function csvAmount(value: string): number | string {
  const digits = normalizeIdentifier(value).replace(/[,，円]/g, '');
  return /^\d+$/.test(digits) ? Number(digits) : value;
}

/** The 交付希望 box: 1/有/○/希望/true is ticked, 0/無/empty is not; anything else is left for the schema. */
function csvFlag(value: string): boolean | string {
  const v = normalizeIdentifier(value).toLowerCase();
  if (['1', '有', '○', '〇', '希望', 'true', 'yes'].includes(v)) return true;
  if (['0', '無', '', 'false', 'no'].includes(v)) return false;
  return value;
}

/** Spreadsheets drop leading zeros: 枝番 "1" is "01". */
function csvBranch(value: string): string {
  const v = normalizeIdentifier(value);
  return /^\d$/.test(v) ? `0${v}` : v;
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
  // Before any cell is read or trimmed: a control, zero-width or bidi character refuses the row, as
  // the JSON API refuses it (a trim would otherwise hide a trailing one on this path only).
  const forbidden = (Object.entries(v) as [CsvField, string][])
    .map(([field, value]) => ({ field, found: forbiddenCharacter(value, PROSE.has(field) ? 'prose' : 'identifier') }))
    .filter((f) => f.found !== null);
  if (forbidden.length > 0) {
    throw new ShikakuError('TEXT_FORBIDDEN_CHARACTER', {
      errors: forbidden.map(({ field, found }) => ({
        path: `/${field}`,
        code: 'TEXT_FORBIDDEN_CHARACTER',
        message: `forbidden character ${found} in ${csvLabel(header, field)}`,
      })),
    });
  }
  const kindText = v.kind === undefined ? '' : normalizeIdentifier(v.kind);
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
    const text = normalizeIdentifier(v.relationship);
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
    if (v.sex !== undefined) target.sex = own(SEXES, normalizeIdentifier(v.sex).toLowerCase()) ?? v.sex;
    if (v.address !== undefined) target.address = v.address;
  };
  const symbol = v.symbol && normalizeIdentifier(v.symbol);
  const number = v.number && normalizeIdentifier(v.number);
  const branch = v.branch && csvBranch(v.branch);
  const remuneration = v.standardMonthlyRemuneration && csvAmount(v.standardMonthlyRemuneration);
  const requested = v.certificateRequested === undefined ? undefined : csvFlag(v.certificateRequested);
  switch (kind) {
    case 'acquisition':
      if (relationship) out.relationship = relationship;
      set('symbol', symbol);
      set('number', number);
      set('branch', branch);
      set('acquiredOn', v.acquiredOn && csvDate(v.acquiredOn));
      set('standardMonthlyRemuneration', remuneration);
      set('certificateRequested', requested);
      setPerson(person);
      out.person = person;
      break;
    case 'dependent_add': {
      // The dependent shares the insured's 記号・番号: either column pair may carry them.
      const insuredSymbol = v.insuredSymbol ? normalizeIdentifier(v.insuredSymbol) : symbol;
      const insuredNumber = v.insuredNumber ? normalizeIdentifier(v.insuredNumber) : number;
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
      set('certificateRequested', requested);
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
