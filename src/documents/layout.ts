/**
 * Drawing helpers shared by the 資格確認書 and お知らせ renderers (RULES.md §2, §3): units, the
 * document factory (one embedded Japanese font, fixed metadata), single-line text that shrinks to
 * fit, and the check that every character of the data has a glyph in the font.
 */
import PDFDocument from 'pdfkit';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { parts } from '../domain/dates.js';
import { type DocumentFont, documentFont } from './fonts.js';

export const PT_PER_MM = 72 / 25.4;
export const mm = (value: number): number => value * PT_PER_MM;

/** ID-1 card (ISO/IEC 7810): 85.6 × 54 mm = 242.65 × 153.07 pt. */
export const CARD_WIDTH = mm(85.6);
export const CARD_HEIGHT = mm(54);
/** A4 portrait: 210 × 297 mm. */
export const A4_WIDTH = mm(210);
export const A4_HEIGHT = mm(297);
/** A6 portrait: 105 × 148 mm (the paper certificates of a 資格確認書 holder). */
export const A6_WIDTH = mm(105);
export const A6_HEIGHT = mm(148);

export const FONT_NAME = 'jp';
export const INK = '#000000';
export const LABEL_INK = '#333333';

export interface DocumentOptions {
  title: string;
  subject: string;
  /** Fixed CreationDate (midnight JST of this day), so the same input gives byte-identical PDFs. */
  createdOn: IsoDate;
}

/** Midnight in Japan of `d`, as an instant. */
export function jstMidnight(d: IsoDate): Date {
  const { year, month, day } = parts(d);
  return new Date(Date.UTC(year, month - 1, day) - 9 * 3600_000);
}

/**
 * A PDFDocument with no page yet and the Japanese font registered under FONT_NAME. `font: null`
 * skips pdfkit's default Helvetica (an AFM file read per document), and registering the font by
 * name lets pdfkit cache the parsed face for the whole document: `doc.font(buffer)` without a name
 * would re-parse and re-embed it on each call.
 */
export function createDocument(options: DocumentOptions): PDFKit.PDFDocument {
  const font = documentFont();
  const doc = new PDFDocument({
    autoFirstPage: false,
    // Typed as string, but pdfkit takes null ("no default font"); see the note above.
    font: null as unknown as string,
    lang: 'ja-JP',
    displayTitle: true,
    info: {
      Title: options.title,
      Subject: options.subject,
      Author: 'Shikaku',
      Creator: 'Shikaku',
      Producer: 'Shikaku',
      CreationDate: jstMidnight(options.createdOn),
    },
  });
  // pdfkit takes a parsed fontkit face as well as a Buffer (typed as Buffer only).
  doc.registerFont(FONT_NAME, parsedFace(font) as Buffer);
  doc.font(FONT_NAME);
  return doc;
}

let shared: { font: DocumentFont; face: unknown } | undefined;

/**
 * The font parsed once and shared by every document of the process (docs/PERFORMANCE.md): registered
 * as a Buffer, pdfkit re-parses the 6 MB font for each document, ~3/4 of a one-page お知らせ's time.
 * The face is read-only for pdfkit (each document embeds its own subset of it). Keyed by the
 * DocumentFont, so resetDocumentFontCache() also drops it.
 */
function parsedFace(font: DocumentFont): unknown {
  if (shared?.font !== font) {
    const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
    if (font.family) probe.registerFont(FONT_NAME, font.buffer, font.family);
    else probe.registerFont(FONT_NAME, font.buffer);
    probe.font(FONT_NAME);
    shared = { font, face: (probe as unknown as { _font: { font: unknown } })._font.font };
  }
  return shared.face;
}

/** Ends the document and collects its bytes. */
/** A new page of the given size, edge to edge, in the document font. */
export function addPage(doc: PDFKit.PDFDocument, width: number, height: number): void {
  doc.addPage({ size: [width, height], margin: 0 });
  doc.font(FONT_NAME);
}

export function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

// ---------------------------------------------------------------------------------------------
// Glyph coverage

interface FontkitFace {
  hasGlyphForCodePoint(codePoint: number): boolean;
}

/** pdfkit keeps the parsed fontkit face on its (undocumented) `_font.font`. */
function currentFace(doc: PDFKit.PDFDocument): FontkitFace | undefined {
  const face = (doc as unknown as { _font?: { font?: Partial<FontkitFace> } })._font?.font;
  return typeof face?.hasGlyphForCodePoint === 'function' ? (face as FontkitFace) : undefined;
}

/** Code points already looked up, per font file (the font is process-wide, see fonts.ts). */
const coverage = new WeakMap<Buffer, Map<number, boolean>>();

/**
 * The characters of `text` the current font cannot draw (e.g. 𠮷 U+20BB7 with IPAexGothic),
 * each once. Spaces and line breaks are ignored.
 */
export function missingGlyphs(doc: PDFKit.PDFDocument, text: string): string[] {
  const face = currentFace(doc);
  if (!face) return [];
  const buffer = documentFont().buffer;
  let known = coverage.get(buffer);
  if (!known) {
    known = new Map();
    coverage.set(buffer, known);
  }
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp <= 0x20 || cp === 0x3000) continue;
    let has = known.get(cp);
    if (has === undefined) {
      has = face.hasGlyphForCodePoint(cp);
      known.set(cp, has);
    }
    if (!has) missing.add(ch);
  }
  return [...missing];
}

const codePoint = (ch: string): string =>
  `U+${(ch.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Refuses to print a field the font cannot draw: a name with a blank box (tofu) on an official
 * document is worse than no document, and a variant kanji must never be swapped for another
 * (RULES.md §8). The fix is a font that has the character (SHIKAKU_FONT, e.g. Noto Sans CJK JP).
 */
export function assertPrintable(doc: PDFKit.PDFDocument, fields: Record<string, string>): void {
  for (const [field, value] of Object.entries(fields)) {
    const missing = missingGlyphs(doc, value);
    if (missing.length > 0) {
      const cps = missing.map(codePoint);
      throw new ShikakuError(
        'INTERNAL',
        { field, codePoints: cps, font: documentFont().path },
        {
          ja: `文書用フォントにない文字があります（${field}: ${cps.join(', ')}）。SHIKAKU_FONT で対応するフォントを指定してください`,
          en: `the document font has no glyph for ${cps.join(', ')} in ${field}; point SHIKAKU_FONT at a font that has it`,
        },
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Text

export interface LineOptions {
  size: number;
  /** Available width; the text shrinks (down to minSize) to stay on one line inside it. */
  width?: number;
  minSize?: number;
  align?: 'left' | 'right' | 'center';
  color?: string;
  /** Faux bold (fill + thin stroke): IPAex has no bold face. */
  bold?: boolean;
}

/**
 * Draws one line of text at (x, y) (top of the line box) and returns the size used. Never wraps:
 * a long name or insurer name is made smaller instead of running into the next field.
 */
export function line(doc: PDFKit.PDFDocument, text: string, x: number, y: number, options: LineOptions): number {
  let size = options.size;
  const width = options.width;
  if (width !== undefined) {
    doc.fontSize(size);
    const natural = doc.widthOfString(text);
    if (natural > width) size = Math.max(options.minSize ?? size * 0.6, (size * width) / natural);
  }
  doc.fontSize(size).fillColor(options.color ?? INK);
  const textOptions: PDFKit.Mixins.TextOptions = { lineBreak: false };
  if (width !== undefined && options.align && options.align !== 'left') {
    // pdfkit aligns within `width` only when it may wrap; compute the offset ourselves instead.
    const w = doc.widthOfString(text);
    x += options.align === 'right' ? width - w : (width - w) / 2;
  }
  if (options.bold) {
    doc
      .save()
      .lineWidth(size * 0.035)
      .strokeColor(options.color ?? INK);
    doc.text(text, x, y, { ...textOptions, fill: true, stroke: true });
    doc.restore();
  } else {
    doc.text(text, x, y, textOptions);
  }
  return size;
}

/** Characters a line may not start with (行頭禁則): they hang past the right edge instead. */
const NO_LINE_START = new Set([
  ...'、。，．,.)）」』】〕〉》］｝・ー：；？！?!ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ',
]);
/** Characters a line may not end with (行末禁則): they move to the next line. */
const NO_LINE_END = new Set([...'(（「『【〔〈《［｛']);
/** ASCII runs (words, URLs) break only after a separator; everything else between any two characters. */
const TOKEN = /[A-Za-z0-9%._~+-]*[/?&=#:]+|[A-Za-z0-9%._~+-]+|[\s\S]/gu;

/**
 * Greedy line breaking for Japanese with the basic 禁則 rules. Used instead of pdfkit's wrapper
 * because the lines of the fixed texts can then be computed once per process (see `paragraph`).
 */
export function wrapLines(measure: (s: string) => number, text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  const push = () => {
    lines.push(current.trimEnd());
    current = '';
  };
  for (const token of text.match(TOKEN) ?? []) {
    if (token === '\n') {
      push();
      continue;
    }
    if (current === '' && /^\s+$/.test(token)) continue;
    if (measure(current + token) <= width || NO_LINE_START.has(token)) {
      current += token;
      continue;
    }
    if (current !== '') {
      const last = [...current].at(-1) as string;
      if (NO_LINE_END.has(last)) {
        current = current.slice(0, -last.length);
        push();
        current = last;
      } else {
        push();
      }
      if (/^\s+$/.test(token)) continue; // the space at a break is dropped
    }
    // A token wider than the line (a long URL) is cut between characters.
    for (const ch of token) {
      if (current !== '' && measure(current + ch) > width && !NO_LINE_START.has(ch)) push();
      current += ch;
    }
  }
  if (current !== '') push();
  return lines;
}

const wrapped = new Map<string, string[]>();
const WRAP_CACHE_LIMIT = 512;

/**
 * Wrapped paragraph inside `width`; returns the y just below it. The lines are cached by text,
 * size and width: the explanations are the same on every page of a batch.
 */
export function paragraph(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  width: number,
  size: number,
  color: string = INK,
): number {
  doc.fontSize(size).fillColor(color);
  const key = `${size}|${width}|${text}`;
  let lines = wrapped.get(key);
  if (!lines) {
    lines = wrapLines((s) => doc.widthOfString(s), text, width);
    if (wrapped.size >= WRAP_CACHE_LIMIT) wrapped.clear();
    wrapped.set(key, lines);
  }
  const step = doc.currentLineHeight(true) + size * 0.35;
  for (const l of lines) {
    doc.text(l, x, y, { lineBreak: false });
    y += step;
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// Field formatting shared by both documents

export const relationshipLabel = (r: 'insured' | 'dependent'): string => (r === 'insured' ? '本人' : '家族');
export const sexLabel = (s: 'male' | 'female'): string => (s === 'male' ? '男' : '女');

/** 30 → 「3割」 (負担割合 is stored in percent, RULES.md glossary). */
export function burdenLabel(ratio: 10 | 20 | 30): string {
  return `${ratio / 10}割`;
}

/** Yen as printed: 10000 → 10,000円. */
export function yenLabel(yen: number): string {
  return `${yen.toLocaleString('ja-JP')}円`;
}
