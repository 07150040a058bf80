import { describe, expect, it } from 'vitest';
import { A4_HEIGHT, A4_WIDTH, CARD_HEIGHT, CARD_WIDTH } from './layout.js';
import type { NoticeDocument } from './notice-pdf.js';
import { burdenWithDate, maskedMyNumber, NOTICE_GEOMETRY, renderNoticePdf } from './notice-pdf.js';
import { QR_QUIET_ZONE, qrMatrix } from './qr.js';
import {
  HAS_POPPLER,
  POPPLER_MISSING,
  pdfFonts,
  pdfInfo,
  pdfPageGray,
  pdfText,
  pdfToPngs,
  pngSize,
} from './test-support.js';

const yamasaki: NoticeDocument = {
  insurerNumber: '06139992',
  insurerName: 'シカク工業健康保険組合',
  symbol: '1234',
  number: '567',
  branch: '01',
  relationship: 'dependent',
  name: '山﨑 髙子',
  nameKana: 'ヤマサキ タカコ',
  birthDate: '2020-02-29',
  sex: 'female',
  acquiredOn: '2025-12-02',
  burdenRatio: 30,
  burdenRatioAsOf: '2026-11-23',
  myNumberLast4: '9018',
  issuedOn: '2025-12-02',
  portalUrl: 'https://portal.shikaku.example/me?a=06139992',
  noticeId: 'notice-0001',
};

const squash = (s: string): string => s.replace(/[ \t]+/g, ' ');
const asciiDigits = (s: string): string => s.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

describe('field formatting (no poppler needed)', () => {
  it('masks the My Number as 8 full-width asterisks and the last 4 digits, or 未登録', () => {
    expect(maskedMyNumber('1234')).toBe('＊＊＊＊＊＊＊＊1234');
    expect(maskedMyNumber(null)).toBe('未登録');
  });

  it('refuses anything but exactly 4 digits, so a full My Number can never reach the paper', () => {
    expect(() => maskedMyNumber('123456789018')).toThrow(RangeError);
    expect(() => maskedMyNumber('12345')).toThrow(RangeError);
    expect(() => maskedMyNumber('１２３４')).toThrow(RangeError);
    expect(() => maskedMyNumber('')).toThrow(RangeError);
  });

  it('prints the ratio with the date it was judged on', () => {
    expect(burdenWithDate(30, '2026-11-23')).toBe('3割（令和8年11月23日時点）');
    expect(burdenWithDate(10, '2019-05-01')).toBe('1割（令和元年5月1日時点）');
    expect(burdenWithDate(null, '2026-11-23')).toBe('－');
  });

  it('keeps the cut-out part card-size and inside the A4 page', () => {
    const c = NOTICE_GEOMETRY.cutout;
    expect(c.width).toBeCloseTo(CARD_WIDTH, 6);
    expect(c.height).toBeCloseTo(CARD_HEIGHT, 6);
    expect(c.x).toBeGreaterThan(0);
    expect(c.y + c.height).toBeLessThan(A4_HEIGHT);
    const q = NOTICE_GEOMETRY.qr;
    expect(q.x + q.side).toBeLessThan(A4_WIDTH);
    expect(q.y + q.side).toBeLessThan(c.y);
  });

  it('rejects an empty batch and a malformed last-4 before drawing anything', async () => {
    await expect(renderNoticePdf([])).rejects.toThrow(RangeError);
    await expect(renderNoticePdf([{ ...yamasaki, myNumberLast4: '123456789018' }])).rejects.toThrow(RangeError);
  });
});

describe.skipIf(!HAS_POPPLER)(`資格情報のお知らせ PDF${HAS_POPPLER ? '' : ` (${POPPLER_MISSING})`}`, () => {
  it('prints every field of RULES.md §3 in 和暦, with the explanation', async () => {
    const text = squash(pdfText(await renderNoticePdf([yamasaki])));
    expect(text).toContain('資格情報のお知らせ');
    expect(text).toContain('山﨑 髙子 様');
    expect(text).toContain('発行日 令和7年12月2日');
    expect(text).toContain('このお知らせだけでは');
    expect(text).toContain('マイナ保険証');
    expect(text).toMatch(/記号 1234\n/);
    expect(text).toMatch(/番号 567\n/);
    expect(text).toMatch(/枝番 01\n/);
    expect(text).toMatch(/本人・家族の別 家族\n/);
    expect(text).toContain('フリガナ ヤマサキ タカコ');
    expect(text).toContain('氏名 山﨑 髙子');
    // 2020-02-29: leap day, 令和2年.
    expect(text).toContain('生年月日 令和2年2月29日');
    expect(text).toContain('資格取得年月日 令和7年12月2日');
    expect(text).toContain('負担割合 3割（令和8年11月23日時点）');
    expect(text).toContain('保険者番号 06139992');
    expect(text).toContain('保険者名 シカク工業健康保険組合');
    expect(text).toContain('マイナンバー（下4桁） ＊＊＊＊＊＊＊＊9018');
    // The address under the QR code wraps after a '/' (layout.ts wrapLines).
    expect(text).toContain('https://portal.shikaku.example/\n');
    expect(text).toMatch(/ me\?a=06139992\n/);
    expect(text).toContain('管理番号 notice-0001');
  });

  it('shows only the last 4 digits of the My Number: no run of 12 digits anywhere on the page', async () => {
    const text = asciiDigits(pdfText(await renderNoticePdf([yamasaki])));
    expect(text).not.toMatch(/\d{12}/);
    // The masked form appears once, in the table: not in the cut-out part that is carried around.
    expect(text.match(/＊{8}9018/g)).toHaveLength(1);
    expect(text).not.toMatch(/\d9018/);
  });

  it('prints 未登録 when the association holds no My Number, and － without a ratio', async () => {
    const text = squash(pdfText(await renderNoticePdf([{ ...yamasaki, myNumberLast4: null, burdenRatio: null }])));
    expect(text).toContain('マイナンバー（下4桁） 未登録');
    expect(text).not.toContain('＊');
    expect(text).toMatch(/負担割合 －/);
    expect(text).not.toContain('時点）');
  });

  it('repeats the key fields in the cut-out part below the dashed line', async () => {
    const text = squash(pdfText(await renderNoticePdf([yamasaki])));
    const cutout = text.slice(text.indexOf('切り取り線'));
    expect(cutout).toContain('記号・番号 1234・567（枝番）01');
    expect(cutout).toContain('氏名 山﨑 髙子');
    expect(cutout).toContain('生年月日 令和2年2月29日');
    expect(cutout).toContain('資格取得年月日 令和7年12月2日');
    expect(cutout).toContain('負担割合 3割（令和8年11月23日時点）');
    expect(cutout).toContain('保険者番号 06139992');
    expect(cutout).toContain('保険者名 シカク工業健康保険組合');
  });

  it('keeps variant kanji as given (﨑 U+FA11, 髙 U+9AD9)', async () => {
    const text = pdfText(await renderNoticePdf([yamasaki]));
    expect(text).toContain('山\uFA11 \u9AD9子');
    expect(text).not.toContain('崎');
    expect(text).not.toContain('高');
  });

  it('is A4 with metadata and one embedded subset font, however many pages', async () => {
    const pdf = await renderNoticePdf(Array.from({ length: 25 }, (_, i) => ({ ...yamasaki, noticeId: `n-${i}` })));
    const info = pdfInfo(pdf);
    expect(info.pages).toBe(25);
    expect(Math.abs(info.width - 595.28)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(info.height - 841.89)).toBeLessThanOrEqual(0.5);
    expect(info.title).toBe('資格情報のお知らせ（25件）');
    expect(info.producer).toBe('Shikaku');
    const fonts = pdfFonts(pdf);
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatchObject({ embedded: true, subset: true, unicode: true });
  });

  it('puts each notice on its own page, in order', async () => {
    const pdf = await renderNoticePdf([
      { ...yamasaki, name: '髙橋 一郎', noticeId: 'a' },
      { ...yamasaki, name: '山﨑 二郎', noticeId: 'b' },
    ]);
    expect(squash(pdfText(pdf, 1))).toContain('髙橋 一郎 様');
    expect(squash(pdfText(pdf, 1))).not.toContain('山﨑 二郎');
    expect(squash(pdfText(pdf, 2))).toContain('山﨑 二郎 様');
  });

  it('rasterises without error at 100 dpi (827 × 1169 px)', async () => {
    const [png, ...rest] = pdfToPngs(await renderNoticePdf([yamasaki]), 100);
    expect(rest).toHaveLength(0);
    const { width, height } = pngSize(png as Buffer);
    expect(Math.abs(width - 827)).toBeLessThanOrEqual(1);
    expect(Math.abs(height - 1169)).toBeLessThanOrEqual(1);
  });

  it('draws the QR code of the portal URL: every module matches when read back from the raster', async () => {
    const dpi = 200;
    const page = pdfPageGray(await renderNoticePdf([yamasaki]), 1, dpi);
    const { x, y, side } = NOTICE_GEOMETRY.qr;
    const expected = qrMatrix(yamasaki.portalUrl);
    const module = side / (expected.size + 2 * QR_QUIET_ZONE);
    const px = (pt: number): number => (pt * dpi) / 72;
    const read = (row: number, col: number): boolean =>
      page.at(px(x + (QR_QUIET_ZONE + col + 0.5) * module), px(y + (QR_QUIET_ZONE + row + 0.5) * module)) < 128;

    let mismatches = 0;
    for (let r = 0; r < expected.size; r++) {
      for (let c = 0; c < expected.size; c++) if (read(r, c) !== expected.isDark(r, c)) mismatches++;
    }
    expect(mismatches).toBe(0);

    // The quiet zone is blank, and another URL's code would not match what is printed.
    expect(read(-2, -2) || read(expected.size + 1, expected.size + 1)).toBe(false);
    const other = qrMatrix('https://portal.shikaku.example/me?a=06139993');
    let differences = 0;
    for (let r = 0; r < other.size; r++) {
      for (let c = 0; c < other.size; c++) if (read(r, c) !== other.isDark(r, c)) differences++;
    }
    expect(differences).toBeGreaterThan(20);
  });
});
