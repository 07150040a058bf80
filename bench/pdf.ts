/**
 * The お知らせ PDF part of the bench: 資格情報のお知らせ rendered by src/documents (renderNoticePdf)
 * one member per PDF (a member downloading theirs) and 100 per PDF (a print run), on one core and on
 * every core with worker_threads; the baseline is an empty A4 page with the same font embedded.
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import PDFDocument from 'pdfkit';
import { documentFont } from '../src/documents/fonts.js';
import type { NoticeDocument } from '../src/documents/notice-pdf.js';
import { renderNoticePdf } from '../src/documents/notice-pdf.js';

export function sampleNotice(i: number): NoticeDocument {
  return {
    insurerNumber: '06139992',
    insurerName: 'シカク健康保険組合',
    symbol: String(1001 + (i % 900)),
    number: String(1 + (i % 97)),
    branch: '00',
    relationship: 'insured',
    name: i % 2 ? '髙橋 﨑子' : '佐藤 太郎',
    nameKana: i % 2 ? 'タカハシ サキコ' : 'サトウ タロウ',
    birthDate: '1985-04-12',
    sex: i % 2 ? 'female' : 'male',
    acquiredOn: '2024-12-02',
    burdenRatio: 30,
    burdenRatioAsOf: '2026-11-20',
    myNumberLast4: String(1000 + (i % 9000)),
    issuedOn: '2026-11-20',
    portalUrl: 'https://portal.example.jp/qualification',
    noticeId: `bench-${i}`,
  };
}

/** Empty A4 pages with the document font embedded (the baseline). */
function blankPdf(): Promise<Buffer> {
  const font = documentFont();
  const doc = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
  if (font.family) doc.registerFont('jp', font.buffer, font.family);
  else doc.registerFont('jp', font.buffer);
  doc.addPage({ size: 'A4' });
  doc.font('jp').fontSize(10).text(' ', 10, 10);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  return new Promise((resolve) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.end();
  });
}

export type PdfMode = 'single' | 'batch' | 'blank';

/** Renders for `seconds` on this thread; answers notices (pages) per second. */
export async function renderFor(mode: PdfMode, seconds: number, offset = 0): Promise<number> {
  const started = performance.now();
  let pages = 0;
  let i = offset;
  while (performance.now() - started < seconds * 1000) {
    if (mode === 'blank') {
      await blankPdf();
      pages++;
    } else if (mode === 'single') {
      await renderNoticePdf([sampleNotice(i++)]);
      pages++;
    } else {
      const docs = Array.from({ length: 100 }, () => sampleNotice(i++));
      await renderNoticePdf(docs);
      pages += docs.length;
    }
  }
  return pages / ((performance.now() - started) / 1000);
}

/** The same on `threads` worker threads at once (default: every core); the sum of their rates. */
export async function renderOnWorkers(
  mode: PdfMode,
  seconds: number,
  threads = availableParallelism(),
): Promise<number> {
  const workerUrl = new URL('./pdf-worker.mjs', import.meta.url);
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      (_, n) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(workerUrl, { workerData: { mode, seconds, offset: n * 1_000_000 } });
          worker.once('message', (rate: number) => resolve(rate));
          worker.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}
