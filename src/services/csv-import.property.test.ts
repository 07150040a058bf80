/**
 * Properties of the CSV import parser (docs/IMPORT.md): whatever the bytes or the text, it answers
 * a parsed file or a coded error (VALIDATION_CSV for the file, a code per row), never another
 * exception: a bad upload must not become a 500 or an INTERNAL row.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyChar, nastyString, PROTOTYPE_KEYS } from '../domain/arbitraries.test-helper.js';
import { ShikakuError } from '../domain/codes.js';
import {
  CSV_FIELDS,
  decodeCsv,
  JAPANESE_HEADERS,
  notificationFromCsv,
  parseCsv,
  parseCsvInSlices,
} from './csv-import.js';
import { parseNotification } from './registry.js';

const RUNS = { numRuns: 400 };

function coded<T>(f: () => T): T | ShikakuError {
  try {
    return f();
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ShikakuError);
    return error as ShikakuError;
  }
}

const LABELS = [...CSV_FIELDS, ...Object.keys(JAPANESE_HEADERS), ...PROTOTYPE_KEYS, 'KIND', '種別 ', 'idempotencyKey'];
const CELL_VALUES = [
  '取得',
  '喪失',
  '被扶養者追加',
  '変更',
  'acquisition',
  'loss',
  'dependent_add',
  'change',
  '家族',
  '本人',
  '男',
  'female',
  '06139992',
  '０６１３９９９２',
  '1234',
  '00',
  '2025/1/5',
  '2025-02-29',
  '300,000円',
  '協会 太郎',
  'キョウカイ タロウ',
  ...PROTOTYPE_KEYS,
];

/** A cell: a value the columns expect, or anything, quoted when it needs to be (or not). */
const cell = fc
  .tuple(fc.oneof(fc.constantFrom(...CELL_VALUES), nastyString()), fc.boolean())
  .map(([v, quote]) => (quote ? `"${v.replaceAll('"', '""')}"` : v));

/** A file shaped like the import's: a header of known (and unknown) labels, rows of cells. */
const csvLike = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 8 }),
    fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 5 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(
    ([header, rows, eol, bom]) =>
      `${bom ? '\uFEFF' : ''}${[header.join(','), ...rows.map((r) => r.join(','))].join(eol)}`,
  );

/** Parses a whole file as the import does, row by row; every failure must be coded. */
function parseAll(text: string): void {
  const parsed = coded(() => parseCsv(text));
  if (parsed instanceof ShikakuError) {
    expect(parsed.code).toBe('VALIDATION_CSV');
    return;
  }
  for (const record of parsed.records) {
    expect(record.line).toBeGreaterThanOrEqual(2);
    const raw = coded(() => notificationFromCsv(parsed.header, record, { insurerNumber: '06139992' }));
    if (raw instanceof ShikakuError) continue;
    coded(() => parseNotification(raw));
  }
}

describe('CSV import parsing (properties)', () => {
  it('decodes any bytes to text or refuses them as VALIDATION_CSV', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = coded(() => decodeCsv(bytes));
        if (text instanceof ShikakuError) expect(text.code).toBe('VALIDATION_CSV');
        else expect(text.startsWith('\uFEFF')).toBe(false);
      }),
      RUNS,
    );
  });

  it('parses any text into records or a coded error', () => {
    fc.assert(fc.property(fc.string({ unit: anyChar(), maxLength: 300 }), parseAll), RUNS);
  });

  it('parses any file shaped like an import (known labels, quotes, line ends) into rows or coded errors', () => {
    fc.assert(fc.property(csvLike, parseAll), RUNS);
  });

  it('gives every record the physical line it starts on', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('取得', '喪失'), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(2), { minLength: 6, maxLength: 6 }),
        (kinds, blanks) => {
          let text = '種別,記号';
          let line = 1;
          const expected: number[] = [];
          kinds.forEach((k, i) => {
            const gap = blanks[i] ?? 0;
            text += `${'\n'.repeat(gap + 1)}${k},1`;
            line += gap + 1;
            expected.push(line);
          });
          expect(parseCsv(text).records.map((r) => r.line)).toEqual(expected);
        },
      ),
      RUNS,
    );
  });

  it('reads a file in slices exactly as in one go: the same records, lines and errors, wherever a slice ends', async () => {
    const outcome = async <T>(f: () => T | Promise<T>): Promise<T | { code: string; details: unknown }> => {
      try {
        return await f();
      } catch (error) {
        expect(error).toBeInstanceOf(ShikakuError);
        return { code: (error as ShikakuError).code, details: (error as ShikakuError).details };
      }
    };
    let pauses = 0;
    const pause = async (): Promise<void> => {
      pauses++;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(csvLike, fc.string({ unit: anyChar(), maxLength: 300 })),
        fc.integer({ min: 1, max: 40 }),
        async (text, sliceChars) => {
          const whole = await outcome(() => parseCsv(text));
          expect(await outcome(() => parseCsvInSlices(text, pause, sliceChars))).toEqual(whole);
        },
      ),
      RUNS,
    );
    expect(pauses).toBeGreaterThan(RUNS.numRuns);
  });
});
