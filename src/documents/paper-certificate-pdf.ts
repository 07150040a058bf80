/**
 * The paper a 資格確認書 holder still needs (domain/paper-certificates.ts): 高齢受給者証, 限度額適用認定証,
 * 限度額適用・標準負担額減額認定証 and 特定疾病療養受療証, one A6 page each, dates in 和暦. A6 rather than
 * card size: the 認定疾病名 and the notice to the reception need the room (issue #16 allows either).
 */
import type { PaperCertificate } from '../domain/paper-certificates.js';
import { toWareki } from '../domain/wareki.js';
import type { CertificateDocument } from './certificate-pdf.js';
import {
  A6_HEIGHT,
  A6_WIDTH,
  addPage,
  assertPrintable,
  burdenLabel,
  createDocument,
  finish,
  INK,
  LABEL_INK,
  line,
  mm,
  paragraph,
  relationshipLabel,
  sexLabel,
  yenLabel,
} from './layout.js';

/** One paper certificate for one member: the member's printed identity, the domain's certificate. */
export interface PaperCertificateDocument
  extends Omit<CertificateDocument, 'validUntil' | 'burdenRatio' | 'certificateId'> {
  certificate: PaperCertificate;
  /** Not printed: identifies the document in the registry. */
  documentId: string;
}

const PAD = mm(8);
const COL = mm(27);
const LABEL = 7;
const VALUE = 9.5;
const STEP = 19;

/** What the reception is told, by kind (Japanese: the document is for a Japanese desk). */
const NOTES: Readonly<Record<PaperCertificate['kind'], string>> = {
  elderly_recipient: '医療機関・薬局の窓口で、資格確認書と一緒に提出してください。',
  limit_certification: '入院・外来の際に資格確認書と一緒に提出すると、窓口負担が自己負担限度額までとなります。',
  reduced_limit_certification:
    '入院・外来の際に資格確認書と一緒に提出すると、窓口負担が自己負担限度額までとなり、入院時の食事代が減額されます。',
  specific_disease: '認定疾病の診療を受けるときに、資格確認書と一緒に提出してください。',
};

/** The rows that differ by kind: [label, value]. */
function kindRows(c: PaperCertificate): Array<[string, string]> {
  switch (c.kind) {
    case 'elderly_recipient':
      return [['一部負担金の割合', burdenLabel(c.burdenRatio)]];
    case 'limit_certification':
    case 'reduced_limit_certification':
      return [['適用区分', c.category]];
    case 'specific_disease':
      return [['自己負担限度額', `月額 ${yenLabel(c.monthlyLimit)}`]];
  }
}

function row(doc: PDFKit.PDFDocument, label: string, value: string, y: number, bold = false): void {
  const width = A6_WIDTH - 2 * PAD - COL;
  line(doc, label, PAD, y + 2, { size: LABEL, color: LABEL_INK, width: COL - 4 });
  line(doc, value, PAD + COL, y, { size: VALUE, width, minSize: 5.5, bold });
}

function rule(doc: PDFKit.PDFDocument, y: number): void {
  doc
    .save()
    .lineWidth(0.4)
    .strokeColor(LABEL_INK)
    .moveTo(PAD, y)
    .lineTo(A6_WIDTH - PAD, y)
    .stroke()
    .restore();
}

function drawPaper(doc: PDFKit.PDFDocument, d: PaperCertificateDocument): void {
  const c = d.certificate;
  assertPrintable(doc, {
    insurerName: d.insurerName,
    insurerNumber: d.insurerNumber,
    symbol: d.symbol,
    number: d.number,
    branch: d.branch,
    name: d.name,
    nameKana: d.nameKana,
  });
  addPage(doc, A6_WIDTH, A6_HEIGHT);
  const inner = A6_WIDTH - 2 * PAD;
  doc
    .save()
    .lineWidth(0.8)
    .strokeColor(INK)
    .rect(mm(4), mm(4), A6_WIDTH - mm(8), A6_HEIGHT - mm(8))
    .stroke()
    .restore();

  const boxW = 30;
  line(doc, c.title, PAD, PAD + 2, { size: 12, bold: true, width: inner - boxW - 6, minSize: 7 });
  const boxX = A6_WIDTH - PAD - boxW;
  doc.save().lineWidth(0.6).strokeColor(INK).rect(boxX, PAD, boxW, 16).stroke().restore();
  line(doc, relationshipLabel(d.relationship), boxX, PAD + 4, { size: 8.5, width: boxW, align: 'center' });

  let y = PAD + 30;
  const rows: Array<[string, string, boolean?]> = [
    ['交付年月日', toWareki(d.issuedOn)],
    ['発効期日', toWareki(c.validFrom)],
    ['有効期限', toWareki(c.validUntil), true],
    ['記号・番号', `${d.symbol}・${d.number}（枝番 ${d.branch}）`],
    ['フリガナ', d.nameKana],
    ['氏名', d.name, true],
    ['生年月日', toWareki(d.birthDate)],
    ['性別', sexLabel(d.sex)],
    ...kindRows(c),
  ];
  for (const [label, value, bold] of rows) {
    row(doc, label, value, y, bold === true);
    y += STEP;
  }
  if (c.kind === 'specific_disease') {
    line(doc, '認定疾病名', PAD, y + 2, { size: LABEL, color: LABEL_INK });
    y = paragraph(doc, c.diseaseLabel, PAD + COL, y, inner - COL, 8) + 4;
  }

  rule(doc, y);
  y += 8;
  row(doc, '保険者番号', d.insurerNumber, y);
  row(doc, '保険者名称', d.insurerName, y + STEP);
  y += 2 * STEP + 4;
  rule(doc, y);
  paragraph(doc, NOTES[c.kind], PAD, y + 8, inner, 7.5, LABEL_INK);
}

/**
 * Renders paper certificates as one PDF, one A6 page each, in the order given. Throws INTERNAL when a
 * field has a character the font cannot draw (layout.ts), a RangeError for an empty batch.
 */
export async function renderPaperCertificatePdf(docs: PaperCertificateDocument[]): Promise<Buffer> {
  if (docs.length === 0) throw new RangeError('renderPaperCertificatePdf needs at least one document');
  const first = docs[0] as PaperCertificateDocument;
  const doc = createDocument({
    title: docs.length === 1 ? first.certificate.title : `健康保険 認定証等（${docs.length}件）`,
    subject: 'Certificates for members without a My Number insurance card (限度額適用認定証 etc.)',
    createdOn: first.issuedOn,
  });
  for (const d of docs) drawPaper(doc, d);
  return finish(doc);
}
