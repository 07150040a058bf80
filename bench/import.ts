/**
 * The CSV-import part of the bench: a deterministic employer CSV of N notifications (acquisitions,
 * dependents, changes and losses of members acquired earlier in the file), the resident records its
 * My Numbers match, and a child process that imports it through the real import service
 * (`importCsv`, the code behind `shikaku import`) into a fresh store and reports rows/s and its own
 * peak RSS. In mode `baseline` the child only parses and validates the rows (csv-parse, the CSV
 * mapping and the notification schema); in mode `floor` it writes again what an import wrote
 * (bench/import-floor.ts); in mode `raw` the engine's bulk insert writes it (bench/raw-insert.ts).
 * These are the ceilings the store-bound import is compared with.
 *
 *   node bin/run-ts.js bench/import.ts --rows 20000 --db FILE|postgres://… [--mode import|baseline]
 *   node bin/run-ts.js bench/import.ts --rows 20000 --mode floor|raw --from IMPORTED --db FRESH
 */
import { performance } from 'node:perf_hooks';
import { myNumberCheckDigit } from '../src/domain/mynumber.js';
import { normalizeKana, normalizeKanjiName } from '../src/domain/names.js';
import type { Keyring } from '../src/security/keyring.js';
import { systemActor } from '../src/services/actor.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { CSV_FIELDS } from '../src/services/csv-import/file.js';
import { importCsv, notificationFromCsv, parseCsv } from '../src/services/csv-import.js';
import { createInsurer } from '../src/services/insurers.js';
import { parseNotification } from '../src/services/registry.js';
import { openStore, type Store } from '../src/store/db.js';
import { bulkWriter } from './bulk.js';
import { benchKeyring, MAIN_INSURER, parseArgs, storeTarget } from './generate.js';
import { memoryOf } from './http.js';
import { replayImportWrites } from './import-floor.js';
import { Prng } from './prng.js';
import { importedRows, rawBulkInsert } from './raw-insert.js';

export const IMPORT_RECORDED_ON = '2026-11-02';

// The import's columns the generated rows fill (no relationship, 資格確認書交付希望 or row key).
const HEADER = CSV_FIELDS.filter((f) => !['relationship', 'certificateRequested', 'key'].includes(f));

interface PersonRow {
  myNumber: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  address: string;
}

const NAMES = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
] as const;
const GIVEN = [
  ['太郎', 'タロウ', 'male'],
  ['花子', 'ハナコ', 'female'],
  ['健太', 'ケンタ', 'male'],
  ['美咲', 'ミサキ', 'female'],
] as const;

/**
 * `rows` notifications: 55 % acquisitions (記号・番号 given), 35 % dependents of an insured of the
 * file (枝番 given for half, assigned for the rest), 5 % address changes, 5 % losses, all recorded
 * on IMPORT_RECORDED_ON. Returns the CSV text and the residents to load first. 記号 start at
 * `symbolBase` and My Numbers after `personOffset` people (a store that already holds people needs
 * them clear of its own).
 */
export function importCsvText(
  rows: number,
  seed: string,
  symbolBase = 2001,
  personOffset = 0,
): { csv: string; residents: PersonRow[] } {
  const rng = new Prng(`${seed}:import:${rows}`);
  const lines = [HEADER.join(',')];
  const residents: PersonRow[] = [];
  let insuredCount = 0;
  // The insured not yet lost, in order of acquisition (kept as rows go, not re-filtered per row).
  const open: Array<{ symbol: string; number: string; branches: number }> = [];
  let person = 0;
  const newPerson = (minAge: number, maxAge: number): PersonRow => {
    const [family, familyKana] = rng.pick(NAMES);
    const [given, givenKana, sex] = rng.pick(GIVEN);
    const first11 = String(50_000_000_000 + (personOffset + ++person) * 3).padStart(11, '0');
    const year = 2026 - rng.int(minAge, maxAge);
    const p: PersonRow = {
      myNumber: `${first11}${myNumberCheckDigit(first11)}`,
      name: normalizeKanjiName(`${family} ${given}`),
      nameKana: normalizeKana(`${familyKana} ${givenKana}`),
      birthDate: `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
      sex,
      address: `東京都千代田区霞が関${rng.int(1, 3)}-${rng.int(1, 9)}-${rng.int(1, 9)}`,
    };
    residents.push(p);
    return p;
  };
  const row = (cells: Record<string, string | number>) =>
    lines.push(HEADER.map((h) => (cells[h] === undefined ? '' : String(cells[h]))).join(','));
  for (let i = 0; i < rows; i++) {
    const roll = rng.float();
    const pickOpen = () => open[rng.int(Math.max(0, open.length - 200), open.length - 1)];
    if (roll < 0.55 || open.length === 0) {
      const p = newPerson(22, 64);
      const symbol = String(symbolBase + Math.floor(insuredCount / 100));
      const number = String((insuredCount % 100) + 1 + Math.floor(insuredCount / 100) * 100);
      insuredCount++;
      open.push({ symbol, number, branches: 0 });
      row({
        kind: 'acquisition',
        insurerNumber: MAIN_INSURER,
        recordedOn: IMPORT_RECORDED_ON,
        symbol,
        number,
        acquiredOn: '2026-11-01',
        standardMonthlyRemuneration: rng.pick([200_000, 300_000, 410_000]),
        ...p,
      });
    } else if (roll < 0.9) {
      const h = pickOpen();
      if (!h || h.branches >= 90) continue;
      const p = newPerson(0, 60);
      h.branches++;
      row({
        kind: 'dependent_add',
        insurerNumber: MAIN_INSURER,
        recordedOn: IMPORT_RECORDED_ON,
        insuredSymbol: h.symbol,
        insuredNumber: h.number,
        ...(rng.chance(0.5) ? { branch: String(h.branches).padStart(2, '0') } : {}),
        acquiredOn: '2026-11-01',
        ...p,
        birthDate: p.birthDate > '2026-11-01' ? '2020-01-01' : p.birthDate,
      });
      if (p.birthDate > '2026-11-01') {
        const last = residents.at(-1);
        if (last) last.birthDate = '2020-01-01';
      }
    } else if (roll < 0.95) {
      const h = pickOpen();
      if (!h) continue;
      row({
        kind: 'change',
        insurerNumber: MAIN_INSURER,
        recordedOn: IMPORT_RECORDED_ON,
        symbol: h.symbol,
        number: h.number,
        standardMonthlyRemuneration: rng.pick([240_000, 360_000, 530_000]),
      });
    } else {
      const h = pickOpen();
      if (!h) continue;
      open.splice(open.lastIndexOf(h), 1);
      row({
        kind: 'loss',
        insurerNumber: MAIN_INSURER,
        recordedOn: IMPORT_RECORDED_ON,
        symbol: h.symbol,
        number: h.number,
        lostOn: '2026-11-02',
      });
    }
  }
  return { csv: `${lines.join('\n')}\n`, residents };
}

export type ImportMode = 'import' | 'baseline' | 'floor' | 'raw';

export interface ImportFigures {
  mode: ImportMode;
  rows: number;
  accepted: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  firstErrors: string[];
}

/** The resident records of `residents` (what the hub matches an import's My Numbers with), bulk-loaded. */
export async function loadResidents(
  store: Store,
  databaseUrl: string | undefined,
  keyring: Keyring,
  residents: readonly PersonRow[],
): Promise<void> {
  const writer = await bulkWriter(store, databaseUrl, { keepIndexes: true });
  for (const p of residents) {
    writer.add('residents', {
      my_number_index: keyring.blindIndex(p.myNumber),
      my_number_enc: keyring.encrypt(p.myNumber),
      name: p.name,
      name_kana: p.nameKana,
      birth_date: p.birthDate,
      sex: p.sex,
      address: p.address,
      updated_at: '2026-10-01T00:00:00.000Z',
    });
    await writer.ready();
  }
  await writer.close();
}

/** A fresh store with the bench association and the residents the CSV's My Numbers match (loaded untimed). */
export async function importStore(
  target: { databaseUrl?: string; file?: string },
  seed: string,
  residents: readonly PersonRow[],
): Promise<{ store: Store; ctx: ServiceContext }> {
  const store = await openStore(target);
  const keyring = benchKeyring(seed);
  const ctx: ServiceContext = { store, keyring, clock: fixedClock(`${IMPORT_RECORDED_ON}T01:00:00Z`) };
  await createInsurer(ctx, systemActor('operator'), {
    insurerNumber: MAIN_INSURER,
    name: 'シカク健康保険組合 (bench import)',
    certificatePolicy: { validYears: 5 },
    reissueFeeYen: 500,
    newMemberCertificate: 'on_application',
  });
  await loadResidents(store, target.databaseUrl, keyring, residents);
  return { store, ctx };
}

/** The engine's bulk insert of what `from` imported, into `to` (bench/raw-insert.ts). */
async function rawInsert(from: Store, to: Store) {
  const top = await to.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirstOrThrow();
  return rawBulkInsert(await importedRows(from, Number(top.seq ?? 0)), to);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows = Number(args.rows ?? 20_000);
  const mode: ImportMode =
    args.mode === 'baseline' || args.mode === 'floor' || args.mode === 'raw' ? args.mode : 'import';
  const seed = typeof args.seed === 'string' ? args.seed : 'shikaku';
  const { csv, residents } = importCsvText(rows, seed);
  let figures: ImportFigures;
  if (mode === 'baseline') {
    const started = performance.now();
    const { header, records } = parseCsv(csv);
    let accepted = 0;
    for (const record of records) {
      try {
        parseNotification(notificationFromCsv(header, record, { insurerNumber: MAIN_INSURER }));
        accepted++;
      } catch {
        // counted as rejected
      }
    }
    const seconds = (performance.now() - started) / 1000;
    figures = {
      mode,
      rows: records.length,
      accepted,
      rejected: records.length - accepted,
      seconds,
      rowsPerSecond: records.length / seconds,
      peakRssMiB: memoryOf(process.pid).peakMiB,
      firstErrors: [],
    };
  } else {
    const target = storeTarget(args.db, './bench/data/import.db');
    const { store, ctx } = await importStore(target, seed, residents);
    if (mode === 'floor' || mode === 'raw') {
      const from = await openStore(storeTarget(args.from, './bench/data/import.db'));
      const floor = mode === 'floor' ? await replayImportWrites(from, store) : await rawInsert(from, store);
      await from.close();
      figures = {
        mode,
        rows: floor.notifications,
        accepted: floor.notifications,
        rejected: 0,
        seconds: floor.seconds,
        rowsPerSecond: floor.rowsPerSecond,
        peakRssMiB: memoryOf(process.pid).peakMiB,
        firstErrors: [],
      };
    } else {
      const started = performance.now();
      const report = await importCsv(ctx, csv, { insurerNumber: MAIN_INSURER });
      const seconds = (performance.now() - started) / 1000;
      const errors = report.rows.filter((r) => !r.ok).slice(0, 5);
      figures = {
        mode,
        rows: report.total,
        accepted: report.accepted,
        rejected: report.rejected,
        seconds,
        rowsPerSecond: report.total / seconds,
        peakRssMiB: memoryOf(process.pid).peakMiB,
        firstErrors: errors.map((r) => (r.ok ? '' : `line ${r.line}: ${r.error.code} ${r.error.en}`)),
      };
    }
    await store.close();
  }
  console.log(JSON.stringify(figures));
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) await main();
