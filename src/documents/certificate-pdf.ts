/**
 * 資格確認書 as a card-size PDF (RULES.md §2 "Contents"; domain-research.md §5.2): one 85.6 × 54 mm
 * page per certificate, so the print shop can put a batch straight onto card stock.
 */
import type { IsoDate } from '../domain/dates.js';
import { type PrintedOnCertificate, SPECIFIC_DISEASE_CATEGORY_LABELS } from '../domain/paper-certificates.js';
import { toWareki } from '../domain/wareki.js';
import {
  addPage,
  assertPrintable,
  burdenLabel,
  CARD_HEIGHT,
  CARD_WIDTH,
  createDocument,
  finish,
  INK,
  LABEL_INK,
  line,
  relationshipLabel,
  sexLabel,
} from './layout.js';

/** What a 資格確認書 shows. Pure data: the service layer fills it from the registry. */
export interface CertificateDocument {
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  relationship: 'insured' | 'dependent';
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: 'male' | 'female';
  issuedOn: IsoDate;
  validUntil: IsoDate;
  /** 一部負担金の割合 in percent, printed when given (members aged 70–74, domain-research.md §5.2). */
  burdenRatio: 10 | 20 | 30 | null;
  /** Not printed: identifies the certificate in the registry (and in the PDF's page order). */
  certificateId: string;
  /**
   * 任意記載事項 printed on request where the association prints them on the 資格確認書 instead of
   * separate paper (domain/paper-certificates.ts `printed_on_certificate`): on a back page.
   */
  optionalItems?: Omit<PrintedOnCertificate, 'burdenRatio'>;
}

const PAD = 11; // inside the border
const LABEL = 5.6;
const VALUE = 7.6;
/** Label column: fits 「交付年月日」 at LABEL size with a gap. */
const COL = 37;

function drawCertificate(doc: PDFKit.PDFDocument, c: CertificateDocument): void {
  assertPrintable(doc, {
    insurerName: c.insurerName,
    insurerNumber: c.insurerNumber,
    symbol: c.symbol,
    number: c.number,
    branch: c.branch,
    name: c.name,
    nameKana: c.nameKana,
  });
  addPage(doc, CARD_WIDTH, CARD_HEIGHT);
  const W = CARD_WIDTH;
  const inner = W - 2 * PAD;

  // Thin border, inset so that a slightly off cut does not lose it on one side only.
  doc
    .save()
    .lineWidth(0.6)
    .strokeColor(INK)
    .roundedRect(4.5, 4.5, W - 9, CARD_HEIGHT - 9, 6)
    .stroke()
    .restore();

  // Title and 本人/家族.
  const boxW = 28;
  line(doc, '健康保険 資格確認書', PAD, 11, { size: 10.5, bold: true, width: inner - boxW - 6 });
  const rel = relationshipLabel(c.relationship);
  const boxX = W - PAD - boxW;
  doc.save().lineWidth(0.6).strokeColor(INK).rect(boxX, 10, boxW, 14).stroke().restore();
  line(doc, rel, boxX, 13, { size: 8, width: boxW, align: 'center' });

  // 有効期限 directly under the title: the first thing a reception desk checks.
  let y = 30;
  label(doc, '有効期限', PAD, y + 1.5);
  line(doc, toWareki(c.validUntil), PAD + COL, y, { size: VALUE + 0.6, bold: true, width: inner - COL });

  // 記号 1234 番号 567 （枝番）00
  y = 45;
  label(doc, '記号', PAD, y + 1.5);
  const symbolEnd = PAD + 16 + value(doc, c.symbol, PAD + 16, y, 66);
  label(doc, '番号', symbolEnd + 8, y + 1.5);
  const numberEnd = symbolEnd + 24 + value(doc, c.number, symbolEnd + 24, y, 66);
  label(doc, '（枝番）', numberEnd + 6, y + 1.5);
  value(doc, c.branch, numberEnd + 6 + 24, y, 20);

  // フリガナ over 氏名.
  y = 59;
  label(doc, 'フリガナ', PAD, y);
  line(doc, c.nameKana, PAD + COL, y - 0.4, { size: 6.4, width: inner - COL });
  label(doc, '氏名', PAD, y + 11.5);
  line(doc, c.name, PAD + COL, y + 8.5, { size: 11.5, width: inner - COL, minSize: 7 });

  // 生年月日, 性別.
  y = 83;
  label(doc, '生年月日', PAD, y + 1.5);
  value(doc, toWareki(c.birthDate), PAD + COL, y, 100);
  label(doc, '性別', PAD + 140, y + 1.5);
  value(doc, sexLabel(c.sex), PAD + 156, y, 20);

  // 交付年月日, 一部負担金の割合.
  y = 96;
  label(doc, '交付年月日', PAD, y + 1.5);
  value(doc, toWareki(c.issuedOn), PAD + COL, y, 100);
  if (c.burdenRatio !== null) {
    label(doc, '一部負担金の割合', PAD + 132, y + 1.5);
    value(doc, burdenLabel(c.burdenRatio), PAD + 180, y, inner - 180);
  }

  // Insurer, separated from the member's data.
  y = 111;
  doc
    .save()
    .lineWidth(0.4)
    .strokeColor(LABEL_INK)
    .moveTo(PAD, y)
    .lineTo(W - PAD, y)
    .stroke()
    .restore();
  label(doc, '保険者番号', PAD, y + 6.5);
  value(doc, c.insurerNumber, PAD + COL, y + 5, inner - COL);
  label(doc, '保険者名称', PAD, y + 19.5);
  value(doc, c.insurerName, PAD + COL, y + 18, inner - COL);
}

/** The back page with the 任意記載事項 (適用区分, 特定疾病区分 and their 発効期日), when any is given. */
function drawOptionalItems(doc: PDFKit.PDFDocument, items: Omit<PrintedOnCertificate, 'burdenRatio'>): void {
  if (items.limitCategory === null && items.specificDiseases.length === 0) return;
  addPage(doc, CARD_WIDTH, CARD_HEIGHT);
  const inner = CARD_WIDTH - 2 * PAD;
  line(doc, '任意記載事項', PAD, 11, { size: 9, bold: true, width: inner });
  let y = 30;
  if (items.limitCategory !== null) {
    label(doc, '適用区分', PAD, y + 1.5);
    value(doc, items.limitCategory.category, PAD + COL, y, 40);
    label(doc, '発効期日', PAD + 90, y + 1.5);
    value(doc, toWareki(items.limitCategory.validFrom), PAD + 90 + 28, y, inner - 118);
    y += 15;
  }
  for (const d of items.specificDiseases) {
    label(doc, '特定疾病区分', PAD, y + 1.5);
    value(doc, SPECIFIC_DISEASE_CATEGORY_LABELS[d.disease], PAD + COL, y, inner - COL);
    label(doc, '発効期日', PAD + COL, y + 12.5);
    value(doc, toWareki(d.validFrom), PAD + COL + 28, y + 11, inner - COL - 28);
    y += 26;
  }
}

function label(doc: PDFKit.PDFDocument, text: string, x: number, y: number): void {
  line(doc, text, x, y, { size: LABEL, color: LABEL_INK });
}

/** Draws a value and returns its width. */
function value(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): number {
  const size = line(doc, text, x, y, { size: VALUE, width, minSize: 5 });
  return doc.fontSize(size).widthOfString(text);
}

/**
 * Renders 資格確認書 as one PDF with one card-size page per certificate, in the order given
 * (RULES.md §2), followed by its back page when it carries 任意記載事項. Throws INTERNAL when a field has a character the font cannot draw (layout.ts).
 */
export async function renderCertificatePdf(docs: CertificateDocument[]): Promise<Buffer> {
  if (docs.length === 0) throw new RangeError('renderCertificatePdf needs at least one certificate');
  const first = docs[0] as CertificateDocument;
  const doc = createDocument({
    title: docs.length === 1 ? '健康保険 資格確認書' : `健康保険 資格確認書（${docs.length}件）`,
    subject: 'Health insurance eligibility certificate (資格確認書)',
    createdOn: first.issuedOn,
  });
  for (const c of docs) {
    drawCertificate(doc, c);
    if (c.optionalItems !== undefined) drawOptionalItems(doc, c.optionalItems);
  }
  return finish(doc);
}
