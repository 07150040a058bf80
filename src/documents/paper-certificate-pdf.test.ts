import { describe, expect, it } from 'vitest';
import { paperCertificatesFor } from '../domain/paper-certificates.js';
import { renderCertificatePdf } from './certificate-pdf.js';
import { A6_HEIGHT, A6_WIDTH } from './layout.js';
import { type PaperCertificateDocument, renderPaperCertificatePdf } from './paper-certificate-pdf.js';
import { HAS_POPPLER, POPPLER_MISSING, pdfInfo, pdfText } from './test-support.js';

const member = {
  insurerNumber: '06139992',
  insurerName: 'シカク工業健康保険組合',
  symbol: '1234',
  number: '567',
  branch: '01',
  relationship: 'dependent' as const,
  name: '髙橋 﨑子',
  nameKana: 'タカハシ サキコ',
  birthDate: '1956-05-02',
  sex: 'female' as const,
  issuedOn: '2026-05-11',
};

/** The domain decides the paper: a 70–74 holder with a 限度額 and a 特定疾病 approval. */
const { documents } = paperCertificatesFor(
  {
    proof: 'eligibility_certificate',
    birthDate: member.birthDate,
    acquiredOn: '2000-04-01',
    lostOn: null,
    insuredRemuneration: 200_000,
    approvals: { specificDiseases: [{ appliedOn: '2026-05-11', disease: 'dialysis' }] },
  },
  'separate_documents',
  '2026-05-11',
);
const papers: PaperCertificateDocument[] = documents.map((certificate, i) => ({
  ...member,
  certificate,
  documentId: `paper-${i}`,
}));
const squash = (s: string): string => s.replace(/[ \t]+/g, ' ');

describe('paper certificates (no poppler needed)', () => {
  it('refuses an empty batch and is byte-identical for the same input', async () => {
    await expect(renderPaperCertificatePdf([])).rejects.toThrow(RangeError);
    const a = await renderPaperCertificatePdf(papers);
    expect(a.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(a.equals(await renderPaperCertificatePdf(papers))).toBe(true);
  });
});

describe.skipIf(!HAS_POPPLER)(`paper certificates PDF${HAS_POPPLER ? '' : ` (${POPPLER_MISSING})`}`, () => {
  it('prints the 高齢受給者証 with its ratio and validity in 和暦, one A6 page each', async () => {
    const pdf = await renderPaperCertificatePdf(papers);
    const info = pdfInfo(pdf);
    expect(info.pages).toBe(2);
    expect(Math.abs(info.width - A6_WIDTH)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(info.height - A6_HEIGHT)).toBeLessThanOrEqual(0.5);
    expect(info.title).toBe('健康保険 認定証等（2件）');
    const text = squash(pdfText(pdf, 1));
    expect(text).toContain('健康保険高齢受給者証');
    expect(text).toContain('家族');
    expect(text).toContain('交付年月日 令和8年5月11日');
    // Born on the 2nd: 70–74 from the 1st of the next month, to the day before the 75th birthday.
    expect(text).toContain('発効期日 令和8年6月1日');
    expect(text).toContain('有効期限 令和13年5月1日');
    expect(text).toContain('記号・番号 1234・567（枝番 01）');
    expect(text).toContain('氏名 髙橋 﨑子');
    expect(text).toContain('生年月日 昭和31年5月2日');
    expect(text).toContain('一部負担金の割合 2割');
    expect(text).toContain('保険者番号 06139992');
    expect(text).toContain('資格確認書と一緒に提出してください');
    expect(text).not.toContain('paper-0');
  });

  it('prints the 特定疾病療養受療証 with the disease and the monthly limit', async () => {
    const text = squash(pdfText(await renderPaperCertificatePdf(papers), 2));
    expect(text).toContain('健康保険特定疾病療養受療証');
    expect(text).toContain('発効期日 令和8年5月1日');
    expect(text).toContain('自己負担限度額 月額 10,000円');
    expect(text).toContain('人工腎臓を実施している慢性腎不全');
  });

  it('prints a 限度額適用・標準負担額減額認定証 with its category', async () => {
    const reduced: PaperCertificateDocument = {
      ...member,
      documentId: 'paper-x',
      certificate: {
        kind: 'reduced_limit_certification',
        title: '健康保険限度額適用・標準負担額減額認定証',
        category: 'オ',
        oqsCode: 'A05',
        validFrom: '2025-12-01',
        validUntil: '2026-11-30',
      },
    };
    const text = squash(pdfText(await renderPaperCertificatePdf([reduced])));
    expect(text).toContain('健康保険限度額適用・標準負担額減額認定証');
    expect(text).toContain('適用区分 オ');
    expect(text).toContain('有効期限 令和8年11月30日');
  });

  it('prints the 区分 on the back of the 資格確認書 where the association chooses so', async () => {
    const pdf = await renderCertificatePdf([
      {
        ...member,
        validUntil: '2030-12-01',
        burdenRatio: 20,
        certificateId: 'c1',
        optionalItems: {
          limitCategory: { category: 'イ', validFrom: '2025-12-01' },
          specificDiseases: [{ disease: 'dialysis', validFrom: '2025-12-01' }],
        },
      },
    ]);
    expect(pdfInfo(pdf).pages).toBe(2);
    const back = squash(pdfText(pdf, 2));
    expect(back).toContain('任意記載事項');
    expect(back).toContain('適用区分 イ');
    expect(back).toContain('発効期日 令和7年12月1日');
    expect(back).toContain('特定疾病区分 人工透析を必要とする慢性腎不全');
  });
});
