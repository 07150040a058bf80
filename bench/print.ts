/**
 * Bulk-print benchmark (issue #3): documents per second on one core, for the card-size 資格確認書 and
 * the A4 お知らせ, one PDF per document and one merged PDF, and the whole `shikaku print` path
 * (registry read, audit records, files) on an in-memory SQLite store.
 *
 *   node bin/run-ts.js bench/print.ts [--documents 300]
 *
 * `runPrintBench()` is exported for `npm run bench` to aggregate; run directly it prints a table.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CertificateDocument, renderCertificatePdf } from '../src/documents/certificate-pdf.js';
import { type NoticeDocument, renderNoticePdf } from '../src/documents/notice-pdf.js';
import { myNumberCheckDigit } from '../src/domain/mynumber.js';
import { keyringFromSecret } from '../src/security/keyring.js';
import { systemActor } from '../src/services/actor.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { printDocuments } from '../src/services/documents/print.js';
import { createInsurer } from '../src/services/insurers.js';
import { runExOfficio } from '../src/services/issuance-run.js';
import { issueNotices } from '../src/services/notices.js';
import { openStore } from '../src/store/db.js';

export interface PrintBenchRow {
  case: string;
  documents: number;
  seconds: number;
  documentsPerSecond: number;
  kibPerDocument: number;
}

const SURNAMES = ['髙橋', '山﨑', '佐藤', '鈴木', '渡邊', '齋藤'];
const GIVEN = ['太郎', '花子', '一郎', '﨑子', '健', '文子'];

function certificate(i: number): CertificateDocument {
  return {
    insurerNumber: '06139992',
    insurerName: 'シカク健康保険組合',
    symbol: String(1000 + (i % 50)),
    number: String(i + 1),
    branch: '00',
    relationship: i % 3 === 0 ? 'dependent' : 'insured',
    name: `${SURNAMES[i % SURNAMES.length]} ${GIVEN[i % GIVEN.length]}`,
    nameKana: 'タカハシ タロウ',
    birthDate: `19${50 + (i % 45)}-0${1 + (i % 9)}-1${i % 9}`,
    sex: i % 2 === 0 ? 'male' : 'female',
    issuedOn: '2025-12-02',
    validUntil: '2030-12-01',
    burdenRatio: i % 4 === 0 ? 20 : null,
    certificateId: `bench-${i}`,
  };
}

function notice(i: number): NoticeDocument {
  const c = certificate(i);
  return {
    insurerNumber: c.insurerNumber,
    insurerName: c.insurerName,
    symbol: c.symbol,
    number: c.number,
    branch: c.branch,
    relationship: c.relationship,
    name: c.name,
    nameKana: c.nameKana,
    birthDate: c.birthDate,
    sex: c.sex,
    acquiredOn: '2015-04-01',
    burdenRatio: 30,
    burdenRatioAsOf: '2025-12-02',
    myNumberLast4: String(1000 + i).slice(-4),
    issuedOn: '2025-12-02',
    portalUrl: 'https://shikaku.example.jp/portal',
    noticeId: `bench-notice-${i}`,
  };
}

async function time(name: string, documents: number, work: () => Promise<number>): Promise<PrintBenchRow> {
  const started = process.hrtime.bigint();
  const bytes = await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    case: name,
    documents,
    seconds,
    documentsPerSecond: documents / seconds,
    kibPerDocument: bytes / documents / 1024,
  };
}

/** The service path: members in a SQLite store, the ex-officio run and the notices, then `printDocuments`. */
async function servicePath(documents: number, outDir: string): Promise<PrintBenchRow[]> {
  const store = await openStore({ file: ':memory:' });
  const ctx: ServiceContext = {
    store,
    keyring: keyringFromSecret(Buffer.alloc(32, 3)),
    clock: fixedClock('2025-12-02T01:00:00Z'),
  };
  const insurer = '06139992';
  await createInsurer(ctx, systemActor('operator'), {
    insurerNumber: insurer,
    name: 'シカク健康保険組合',
    certificatePolicy: { validYears: 5 },
    reissueFeeYen: 500,
    newMemberCertificate: 'ex_officio',
  });
  const at = new Date().toISOString();
  const rows = [];
  for (let i = 0; i < documents; i++) {
    const first11 = String(30_000_000_000 + i).padStart(11, '0');
    const myNumber = `${first11}${myNumberCheckDigit(first11)}`;
    const c = certificate(i);
    rows.push({
      id: `bench-${String(i).padStart(6, '0')}`,
      insurer_number: insurer,
      symbol: c.symbol,
      number: c.number,
      branch: '00',
      relationship: 'insured' as const,
      insured_member_id: null,
      name: c.name,
      name_kana: c.nameKana,
      birth_date: c.birthDate,
      sex: c.sex,
      address: null,
      my_number_enc: null,
      my_number_index: null,
      my_number_last4: myNumber.slice(8),
      acquired_on: '2015-04-01',
      lost_on: null,
      standard_monthly_remuneration: 300_000,
      version: 1,
      recorded_on: '2015-04-01',
      hub_available_on: '2015-04-03',
      hub_status: 'no_my_number' as const,
      hub_mismatch_fields: '[]',
      created_at: at,
    });
  }
  for (let i = 0; i < rows.length; i += 500)
    await store.db
      .insertInto('members')
      .values(rows.slice(i, i + 500))
      .execute();
  const admin = systemActor('admin', { tokenId: 'bench', insurerNumber: insurer });
  const out: PrintBenchRow[] = [];
  out.push(
    await time('ex-officio run (decide + issue + audit)', documents, async () => {
      await runExOfficio(ctx, admin, { insurerNumber: insurer, asOf: '2025-12-02' });
      return 0;
    }),
  );
  await issueNotices(ctx, admin, { insurerNumber: insurer, asOf: '2025-12-02' });
  for (const kind of ['certificates', 'notices'] as const) {
    for (const merged of [false, true]) {
      out.push(
        await time(`shikaku print ${kind}${merged ? ' --merged' : ''} (store + audit + files)`, documents, async () => {
          const report = await printDocuments(ctx, admin, {
            kind,
            insurerNumber: insurer,
            outDir: join(outDir, `${kind}-${merged ? 'merged' : 'single'}`),
            merged,
            asOf: '2025-12-02',
          });
          return report.bytes;
        }),
      );
    }
  }
  await store.close();
  return out;
}

export async function runPrintBench(options: { documents?: number } = {}): Promise<PrintBenchRow[]> {
  const n = options.documents ?? 300;
  const certificates = Array.from({ length: n }, (_, i) => certificate(i));
  const notices = Array.from({ length: n }, (_, i) => notice(i));
  // Warm-up: the font is read and parsed once per process (src/documents/fonts.ts).
  await renderCertificatePdf(certificates.slice(0, 2));
  await renderNoticePdf(notices.slice(0, 2));

  const rows: PrintBenchRow[] = [];
  rows.push(
    await time('資格確認書, one PDF each', n, async () => {
      let bytes = 0;
      for (const c of certificates) bytes += (await renderCertificatePdf([c])).length;
      return bytes;
    }),
  );
  rows.push(await time('資格確認書, one merged PDF', n, async () => (await renderCertificatePdf(certificates)).length));
  rows.push(
    await time('お知らせ, one PDF each', n, async () => {
      let bytes = 0;
      for (const d of notices) bytes += (await renderNoticePdf([d])).length;
      return bytes;
    }),
  );
  rows.push(await time('お知らせ, one merged PDF', n, async () => (await renderNoticePdf(notices)).length));
  const dir = mkdtempSync(join(tmpdir(), 'shikaku-bench-print-'));
  try {
    rows.push(...(await servicePath(n, dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** East Asian characters take two columns in a terminal. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

export function printBenchTable(rows: readonly PrintBenchRow[]): string {
  const caseWidth = Math.max(...rows.map((r) => width(r.case)), 4);
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
  const header = `${pad('case', caseWidth)}  ${'docs'.padStart(6)}  ${'seconds'.padStart(8)}  ${'docs/s'.padStart(8)}  ${'KiB/doc'.padStart(8)}`;
  const lines = [
    'Bulk print (one core) / 一括印刷ベンチマーク',
    header,
    '-'.repeat(width(header)),
    ...rows.map(
      (r) =>
        `${pad(r.case, caseWidth)}  ${String(r.documents).padStart(6)}  ${r.seconds.toFixed(2).padStart(8)}  ` +
        `${r.documentsPerSecond.toFixed(1).padStart(8)}  ${(r.kibPerDocument || 0).toFixed(1).padStart(8)}`,
    ),
  ];
  return lines.join('\n');
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (invokedDirectly) {
  const at = process.argv.indexOf('--documents');
  const documents = at > 0 ? Number(process.argv[at + 1]) : 300;
  if (!Number.isInteger(documents) || documents < 1) throw new Error('--documents must be a whole number ≥ 1');
  console.log(printBenchTable(await runPrintBench({ documents })));
}
