/**
 * Test helpers: run poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm) on a rendered PDF.
 * Used only by the *.test.ts files of this folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when poppler-utils is installed (it is in CI); the PDF tests are skipped otherwise. */
export const HAS_POPPLER = has('pdftotext') && has('pdfinfo') && has('pdffonts') && has('pdftoppm');
export const POPPLER_MISSING = 'skipped: poppler-utils is not installed (apt-get install poppler-utils)';

/** Writes the PDF to a temporary folder, runs `fn` on its path and removes the folder. */
export function withPdf<T>(pdf: Buffer, fn: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'shikaku-pdf-'));
  try {
    const path = join(dir, 'doc.pdf');
    writeFileSync(path, pdf);
    return fn(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (tool: string, args: string[]): string => execFileSync(tool, args, { encoding: 'utf8' });

/** `pdftotext -layout`, of one page when `page` is given. */
export function pdfText(pdf: Buffer, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return withPdf(pdf, (path) => run('pdftotext', ['-layout', ...range, path, '-']));
}

export interface PdfInfo {
  pages: number;
  width: number;
  height: number;
  title: string;
  producer: string;
  fields: Record<string, string>;
}

export function pdfInfo(pdf: Buffer): PdfInfo {
  const out = withPdf(pdf, (path) => run('pdfinfo', [path]));
  const fields: Record<string, string> = {};
  for (const l of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(l);
    if (m) fields[m[1] as string] = m[2] as string;
  }
  const size = /([\d.]+) x ([\d.]+) pts/.exec(fields['Page size'] ?? '');
  return {
    pages: Number(fields.Pages),
    width: Number(size?.[1]),
    height: Number(size?.[2]),
    title: fields.Title ?? '',
    producer: fields.Producer ?? '',
    fields,
  };
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** The rows of `pdffonts`, cut at the column widths its dashed header line gives. */
export function pdfFonts(pdf: Buffer): PdfFont[] {
  const lines = withPdf(pdf, (path) => run('pdffonts', [path])).split('\n');
  const columns = [...(lines[1] ?? '').matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const cell = (l: string, i: number): string => {
    const [from, to] = columns[i] ?? [0, 0];
    return l.slice(from, to).trim();
  };
  return lines
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => ({
      name: cell(l, 0),
      type: cell(l, 1),
      embedded: cell(l, 3) === 'yes',
      subset: cell(l, 4) === 'yes',
      unicode: cell(l, 5) === 'yes',
    }));
}

/** `pdftoppm -png` of every page; returns the PNG files' bytes, in page order. */
export function pdfToPngs(pdf: Buffer, resolution = 100): Buffer[] {
  return withPdf(pdf, (path, dir) => {
    execFileSync('pdftoppm', ['-r', String(resolution), '-png', path, join(dir, 'page')]);
    const names = execFileSync('ls', [dir], { encoding: 'utf8' })
      .split('\n')
      .filter((n) => n.endsWith('.png'))
      .sort();
    return names.map((n) => readFileSync(join(dir, n)));
  });
}

/** Width and height of a PNG, read from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('ascii') !== 'PNG') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface GrayImage {
  width: number;
  height: number;
  /** 0 = black … 255 = white. */
  at(x: number, y: number): number;
}

/** One page as a grayscale bitmap (`pdftoppm -gray`, binary PGM), for checking what was drawn where. */
export function pdfPageGray(pdf: Buffer, page: number, resolution: number): GrayImage {
  const pgm = withPdf(pdf, (path) =>
    execFileSync('pdftoppm', ['-gray', '-r', String(resolution), '-f', String(page), '-l', String(page), path], {
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm -gray did not produce a binary PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  return { width, height, at: (x, y) => pgm[offset + Math.floor(y) * width + Math.floor(x)] as number };
}
