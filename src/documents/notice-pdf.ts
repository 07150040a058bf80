/**
 * 資格情報のお知らせ as an A4 PDF (RULES.md §3; domain-research.md §5.3): the member's 記号・番号,
 * 負担割合 and the last 4 digits of the My Number held by the association, a QR link to the portal,
 * and a card-size part to cut out and carry with the マイナ保険証.
 */
import type { IsoDate } from '../domain/dates.js';
import type { NoticePerson } from '../domain/notice.js';
import { toWareki } from '../domain/wareki.js';
import {
  A4_HEIGHT,
  A4_WIDTH,
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
  paragraph,
  relationshipLabel,
} from './layout.js';
import { drawQr } from './qr.js';

/** What a お知らせ shows. Pure data: the service layer fills it from the registry. */
export interface NoticeDocument extends NoticePerson {
  // sex is not printed: the sample お知らせ (RULES.md §3) has no 性別.
  burdenRatio: 10 | 20 | 30 | null;
  /** The day the 負担割合 was judged on (it changes with age and income). */
  burdenRatioAsOf: IsoDate;
  issuedOn: IsoDate;
  /** The QR code links here. */
  portalUrl: string;
  /** Printed small in the footer, so a member who calls can be found. */
  noticeId: string;
}

const MARGIN = 48;
const CONTENT = A4_WIDTH - 2 * MARGIN;

/** Where the QR code and the cut-out part sit on the page (exported for the tests). */
export const NOTICE_GEOMETRY = {
  qr: { x: A4_WIDTH - MARGIN - 112, y: 228, side: 112 },
  cutout: { x: MARGIN, y: A4_HEIGHT - MARGIN - CARD_HEIGHT, width: CARD_WIDTH, height: CARD_HEIGHT },
} as const;

/** 「3割（令和8年11月23日時点）」, or 「－」 when no ratio is given. */
export function burdenWithDate(ratio: 10 | 20 | 30 | null, asOf: IsoDate): string {
  return ratio === null ? '－' : `${burdenLabel(ratio)}（${toWareki(asOf)}時点）`;
}

/**
 * 「＊＊＊＊＊＊＊＊1234」 or 「未登録」. Anything but exactly 4 ASCII digits is refused: the renderer
 * must never be the place where more of a My Number leaks onto paper.
 */
export function maskedMyNumber(last4: string | null): string {
  if (last4 === null) return '未登録';
  if (!/^[0-9]{4}$/.test(last4)) throw new RangeError('myNumberLast4 must be exactly 4 digits');
  return `${'＊'.repeat(8)}${last4}`;
}

const EXPLANATION =
  'あなたの健康保険の資格情報をお知らせします。' +
  'このお知らせだけでは、医療機関・薬局で保険診療を受けることはできません。' +
  '受診の際はマイナ保険証（健康保険証として利用登録したマイナンバーカード）を提示してください。' +
  'マイナ保険証を読み取れない場合などは、マイナ保険証とあわせてこのお知らせ（または下の切り取り部分）を窓口で提示してください。';

const NOTES = [
  'マイナンバー（下4桁）は、当組合に登録されている個人番号の下4桁です。ご自身の個人番号と異なる場合や「未登録」の場合は、当組合までご連絡ください。',
  '負担割合は記載の日時点のものです。年齢や所得により変わることがあります。',
  '資格情報はマイナポータルまたは右のQRコードの加入者ポータルでも確認できます。',
];

function drawNotice(doc: PDFKit.PDFDocument, n: NoticeDocument): void {
  const myNumber = maskedMyNumber(n.myNumberLast4);
  assertPrintable(doc, {
    insurerName: n.insurerName,
    insurerNumber: n.insurerNumber,
    symbol: n.symbol,
    number: n.number,
    branch: n.branch,
    name: n.name,
    nameKana: n.nameKana,
  });
  addPage(doc, A4_WIDTH, A4_HEIGHT);

  // Header: addressee and issue date.
  line(doc, `${n.name} 様`, MARGIN, 48, { size: 12, width: CONTENT * 0.6, minSize: 8 });
  line(doc, `発行日 ${toWareki(n.issuedOn)}`, MARGIN, 48, { size: 9.5, width: CONTENT, align: 'right' });
  line(doc, n.insurerName, MARGIN, 63, { size: 9.5, width: CONTENT, align: 'right', minSize: 6 });

  line(doc, '資格情報のお知らせ', MARGIN, 96, { size: 20, width: CONTENT, align: 'center', bold: true });
  paragraph(doc, EXPLANATION, MARGIN, 136, CONTENT, 9.5);

  // Table of the member's data, with the QR code to its right.
  const rows: Array<[string, string]> = [
    ['記号', n.symbol],
    ['番号', n.number],
    ['枝番', n.branch],
    ['本人・家族の別', relationshipLabel(n.relationship)],
    ['フリガナ', n.nameKana],
    ['氏名', n.name],
    ['生年月日', toWareki(n.birthDate)],
    ['資格取得年月日', toWareki(n.acquiredOn)],
    ['負担割合', burdenWithDate(n.burdenRatio, n.burdenRatioAsOf)],
    ['保険者番号', n.insurerNumber],
    ['保険者名', n.insurerName],
    ['マイナンバー（下4桁）', myNumber],
  ];
  const tableX = MARGIN;
  const tableY = 214;
  const labelW = 112;
  const tableW = NOTICE_GEOMETRY.qr.x - 16 - tableX;
  const rowH = 23;
  const tableH = rows.length * rowH;
  doc.save().rect(tableX, tableY, labelW, tableH).fill('#ececec').restore();
  doc.save().lineWidth(0.6).strokeColor(INK);
  doc.rect(tableX, tableY, tableW, tableH).stroke();
  doc
    .moveTo(tableX + labelW, tableY)
    .lineTo(tableX + labelW, tableY + tableH)
    .stroke();
  for (let i = 1; i < rows.length; i++) {
    doc
      .moveTo(tableX, tableY + i * rowH)
      .lineTo(tableX + tableW, tableY + i * rowH)
      .stroke();
  }
  doc.restore();
  rows.forEach(([label, value], i) => {
    const y = tableY + i * rowH;
    line(doc, label, tableX + 8, y + 7, { size: 9, width: labelW - 12, color: LABEL_INK });
    const size = label === '氏名' ? 13 : 11;
    line(doc, value, tableX + labelW + 10, y + (rowH - size) / 2 + 0.5, {
      size,
      width: tableW - labelW - 18,
      minSize: 6,
    });
  });

  // QR code to the portal, with a caption and the address for those who cannot scan it.
  const qr = NOTICE_GEOMETRY.qr;
  line(doc, '加入者ポータル', qr.x, tableY, { size: 9, width: qr.side, align: 'center', bold: true });
  drawQr(doc, n.portalUrl, qr);
  const captionEnd = paragraph(
    doc,
    'スマートフォン等で読み取ると、最新の資格情報を確認できます。',
    qr.x + 4,
    qr.y + qr.side + 2,
    qr.side - 8,
    7.5,
  );
  paragraph(doc, n.portalUrl, qr.x + 4, captionEnd + 2, qr.side - 8, 6.5, LABEL_INK);

  // Notes.
  let y = tableY + tableH + 14;
  for (const note of NOTES) {
    line(doc, '※', MARGIN, y, { size: 8.5 });
    y = paragraph(doc, note, MARGIN + 12, y, CONTENT - 12, 8.5) + 3;
  }

  drawCutout(doc, n);

  line(doc, `管理番号 ${n.noticeId}`, MARGIN, A4_HEIGHT - 30, {
    size: 6.5,
    width: CONTENT,
    align: 'right',
    color: LABEL_INK,
  });
}

/** The card-size part (85.6 × 54 mm) inside a dashed cutting line, repeating the key fields. */
function drawCutout(doc: PDFKit.PDFDocument, n: NoticeDocument): void {
  const { x, y, width: W, height: H } = NOTICE_GEOMETRY.cutout;

  line(doc, '－－ 切り取り線 －－', x, y - 16, { size: 8, color: LABEL_INK });
  doc.save().lineWidth(0.7).strokeColor(INK).dash(4, { space: 3 }).rect(x, y, W, H).stroke().undash().restore();

  const side = x + W + 18;
  paragraph(
    doc,
    '点線に沿って切り取り、マイナ保険証と一緒にお持ちください。切り取り部分だけでは受診できません。',
    side,
    y + 4,
    A4_WIDTH - MARGIN - side,
    8.5,
  );

  const pad = 9;
  const col = 48;
  const inner = W - 2 * pad;
  line(doc, '資格情報のお知らせ', x + pad, y + 8, { size: 9, bold: true, width: inner - 30 });
  line(doc, relationshipLabel(n.relationship), x + pad, y + 9, { size: 7.5, width: inner, align: 'right' });
  const fields: Array<[string, string, number]> = [
    ['記号・番号', `${n.symbol}・${n.number}（枝番）${n.branch}`, 7.5],
    ['フリガナ', n.nameKana, 6.2],
    ['氏名', n.name, 9.5],
    ['生年月日', toWareki(n.birthDate), 7.5],
    ['資格取得年月日', toWareki(n.acquiredOn), 7.5],
    ['負担割合', burdenWithDate(n.burdenRatio, n.burdenRatioAsOf), 7.5],
    ['保険者番号', n.insurerNumber, 7.5],
    ['保険者名', n.insurerName, 7.5],
  ];
  let fy = y + 25;
  for (const [label, value, size] of fields) {
    line(doc, label, x + pad, fy + (size - 5.5) / 2 + 0.5, { size: 5.5, color: LABEL_INK });
    line(doc, value, x + pad + col, fy, { size, width: inner - col, minSize: 4.5 });
    fy += size + 5.6;
  }
  // The issue date tells which お知らせ a cut-out part came from once it is separated.
  line(doc, 'マイナ保険証とあわせて提示してください', x + pad, y + H - 12, { size: 5.5, color: LABEL_INK });
  line(doc, `発行日 ${toWareki(n.issuedOn)}`, x + pad, y + H - 12, {
    size: 5.5,
    width: inner,
    align: 'right',
    color: LABEL_INK,
  });
}

/**
 * Renders 資格情報のお知らせ as one PDF with one A4 page per notice, in the order given
 * (RULES.md §3). Throws INTERNAL when a field has a character the font cannot draw (layout.ts),
 * RangeError when myNumberLast4 is not 4 digits.
 */
export async function renderNoticePdf(docs: NoticeDocument[]): Promise<Buffer> {
  if (docs.length === 0) throw new RangeError('renderNoticePdf needs at least one notice');
  const first = docs[0] as NoticeDocument;
  const doc = createDocument({
    title: docs.length === 1 ? '資格情報のお知らせ' : `資格情報のお知らせ（${docs.length}件）`,
    subject: 'Notice of health insurance eligibility (資格情報のお知らせ)',
    createdOn: first.issuedOn,
  });
  for (const n of docs) drawNotice(doc, n);
  return finish(doc);
}
