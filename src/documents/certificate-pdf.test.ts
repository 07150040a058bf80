import { describe, expect, it } from 'vitest';
import { ShikakuError } from '../domain/codes.js';
import type { CertificateDocument } from './certificate-pdf.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import { documentFont } from './fonts.js';
import { CARD_HEIGHT, CARD_WIDTH } from './layout.js';
import { HAS_POPPLER, POPPLER_MISSING, pdfFonts, pdfInfo, pdfText, pdfToPngs, pngSize } from './test-support.js';

const takahashi: CertificateDocument = {
  insurerNumber: '06139992',
  insurerName: 'シカク工業健康保険組合',
  symbol: '1234',
  number: '567',
  branch: '00',
  relationship: 'insured',
  name: '髙橋 﨑子',
  nameKana: 'タカハシ サキコ',
  birthDate: '1955-03-31',
  sex: 'female',
  issuedOn: '2025-12-02',
  validUntil: '2030-12-01',
  burdenRatio: 20,
  certificateId: 'cert-0001',
};

/** pdftotext -layout puts runs of spaces between fields; collapse them to compare. */
const squash = (s: string): string => s.replace(/[ \t]+/g, ' ');

describe('card geometry (no poppler needed)', () => {
  it('is 85.6 × 54 mm in points', () => {
    expect(CARD_WIDTH).toBeCloseTo(242.65, 2);
    expect(CARD_HEIGHT).toBeCloseTo(153.07, 2);
  });

  it('refuses an empty batch', async () => {
    await expect(renderCertificatePdf([])).rejects.toThrow(RangeError);
  });

  it('starts as a PDF and is byte-identical for the same input (CreationDate from issuedOn)', async () => {
    const a = await renderCertificatePdf([takahashi]);
    const b = await renderCertificatePdf([takahashi]);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
  });
});

describe.skipIf(!HAS_POPPLER)(`資格確認書 PDF${HAS_POPPLER ? '' : ` (${POPPLER_MISSING})`}`, () => {
  it('prints every field of RULES.md §2, dates in 和暦', async () => {
    const text = squash(pdfText(await renderCertificatePdf([takahashi])));
    expect(text).toContain('健康保険 資格確認書');
    expect(text).toContain('本人');
    expect(text).toMatch(/記号 1234 番号 567 （枝番） 00/);
    expect(text).toContain('フリガナ タカハシ サキコ');
    expect(text).toContain('氏名 髙橋 﨑子');
    // 1955-03-31: 昭和30年.
    expect(text).toContain('生年月日 昭和30年3月31日');
    expect(text).toMatch(/性別 女/);
    expect(text).toContain('交付年月日 令和7年12月2日');
    expect(text).toContain('有効期限 令和12年12月1日');
    expect(text).toContain('一部負担金の割合 2割');
    expect(text).toContain('保険者番号 06139992');
    expect(text).toContain('保険者名称 シカク工業健康保険組合');
    // The registry id is not printed on the card.
    expect(text).not.toContain('cert-0001');
  });

  it('keeps variant kanji exactly as given (髙 U+9AD9, 﨑 U+FA11), never 高/崎', async () => {
    const text = pdfText(await renderCertificatePdf([takahashi, { ...takahashi, name: '山﨑 髙志' }]));
    expect(text).toContain('\u9AD9橋 \uFA11子');
    expect(text).toContain('山\uFA11 \u9AD9志');
    expect(text).not.toContain('高');
    expect(text).not.toContain('崎');
  });

  it('omits 一部負担金の割合 when no ratio is given, and prints 家族 and 男', async () => {
    const text = squash(
      pdfText(
        await renderCertificatePdf([{ ...takahashi, relationship: 'dependent', sex: 'male', burdenRatio: null }]),
      ),
    );
    expect(text).not.toContain('一部負担金の割合');
    expect(text).not.toContain('割');
    expect(text).toContain('家族');
    expect(text).not.toContain('本人');
    expect(text).toMatch(/性別 男/);
  });

  it('writes the first year of an era as 元年 and the last day of 昭和 as 昭和64年', async () => {
    const text = squash(
      pdfText(
        await renderCertificatePdf([
          { ...takahashi, birthDate: '1989-01-07', issuedOn: '2019-05-01', validUntil: '2024-12-01' },
        ]),
      ),
    );
    expect(text).toContain('生年月日 昭和64年1月7日');
    expect(text).toContain('交付年月日 令和元年5月1日');
    expect(text).toContain('有効期限 令和6年12月1日');
  });

  it('is one card-size page (85.6 × 54 mm ± 0.5 pt) with metadata', async () => {
    const info = pdfInfo(await renderCertificatePdf([takahashi]));
    expect(info.pages).toBe(1);
    expect(Math.abs(info.width - 242.65)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(info.height - 153.07)).toBeLessThanOrEqual(0.5);
    expect(info.title).toBe('健康保険 資格確認書');
    expect(info.producer).toBe('Shikaku');
    // Midnight JST of issuedOn.
    expect(info.fields.CreationDate).toMatch(/Dec\s+1 15:00:00 2025 UTC|2025-12-01T15:00:00/);
  });

  it('embeds one subset font with a Unicode map (so pdftotext can read it back)', async () => {
    const fonts = pdfFonts(await renderCertificatePdf([takahashi, takahashi, takahashi]));
    expect(fonts).toHaveLength(1);
    expect(fonts[0]).toMatchObject({ embedded: true, subset: true, unicode: true });
    expect(fonts[0]?.type).toMatch(/CID/);
  });

  it('puts N certificates on N pages of one PDF, in order', async () => {
    const batch = ['髙橋 一郎', '山﨑 二郎', '佐藤 三郎'].map((name, i) => ({
      ...takahashi,
      name,
      number: String(100 + i),
    }));
    const pdf = await renderCertificatePdf(batch);
    const info = pdfInfo(pdf);
    expect(info.pages).toBe(3);
    expect(info.title).toBe('健康保険 資格確認書（3件）');
    batch.forEach((c, i) => {
      const page = squash(pdfText(pdf, i + 1));
      expect(page).toContain(c.name);
      expect(page).toContain(`番号 ${c.number}`);
    });
  });

  it('rasterises without error at 100 dpi to 337 × 213 px per card', async () => {
    const pngs = pdfToPngs(await renderCertificatePdf([takahashi, { ...takahashi, burdenRatio: null }]), 100);
    expect(pngs).toHaveLength(2);
    for (const png of pngs) {
      const { width, height } = pngSize(png);
      expect(width).toBeGreaterThanOrEqual(336);
      expect(width).toBeLessThanOrEqual(338);
      expect(height).toBeGreaterThanOrEqual(212);
      expect(height).toBeLessThanOrEqual(214);
    }
  });

  it('shrinks a long name and insurer name onto one line instead of wrapping', async () => {
    const long = {
      ...takahashi,
      name: '山﨑 アレクサンドラ・エリザベス・マルガレーテ 花子',
      insurerName: '株式会社日本エンタープライズシステムズ関連企業連合健康保険組合',
    };
    const text = squash(pdfText(await renderCertificatePdf([long])));
    expect(text).toContain(`氏名 ${long.name}`);
    expect(text).toContain(`保険者名称 ${long.insurerName}`);
  });
});

describe('characters the font cannot draw', () => {
  it('refuses (INTERNAL, naming the code point) rather than print a blank box, or prints it when the font has it', async () => {
    const yoshida = { ...takahashi, name: '𠮷田 太郎' };
    if (/ipaex/i.test(documentFont().path)) {
      // IPAexGothic has no 𠮷 (U+20BB7, toolchain.md §5).
      const error = await renderCertificatePdf([yoshida]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShikakuError);
      expect((error as ShikakuError).code).toBe('INTERNAL');
      expect((error as ShikakuError).details).toMatchObject({ field: 'name', codePoints: ['U+20BB7'] });
      expect((error as ShikakuError).message).toContain('SHIKAKU_FONT');
    } else if (HAS_POPPLER) {
      expect(pdfText(await renderCertificatePdf([yoshida]))).toContain('𠮷田 太郎');
    }
  });
});
