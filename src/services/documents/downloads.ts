/**
 * One document downloaded as a PDF (RULES.md §2, §3; DESIGN.md §5.2), each audited as a disclosure
 * (DESIGN.md §3.5): codes and ids only.
 */
import { renderCertificatePdf } from '../../documents/certificate-pdf.js';
import { renderNoticePdf } from '../../documents/notice-pdf.js';
import type { NoticeContents } from '../../domain/notice.js';
import type { Actor } from '../actor.js';
import { loadCertificateFor } from '../certificates/view.js';
import type { ServiceContext } from '../context.js';
import { householdFactsFor, loadNoticeFor } from '../notices.js';
import { optionalItemsFor } from '../paper-certificates.js';
import { auditDisclosure } from './disclosure.js';
import { certificateDocumentOf, insurerNameOf, noticeDocumentOf, type PdfFile } from './printed.js';

/** `GET /api/v1/certificates/{id}.pdf` (roles admin, member): the card-size 資格確認書, audited. */
export async function certificatePdf(ctx: ServiceContext, actor: Actor, certificateId: string): Promise<PdfFile> {
  const { db } = ctx.store;
  const { cert, member } = await loadCertificateFor(db, actor, certificateId, ['admin', 'member']);
  const household = (await householdFactsFor(db, [member])).get(member.id) ?? { insuredRemuneration: null };
  // Under printed_on_certificate the 区分 in force on the issue day go on its back (paper-certificates.ts).
  const optionalItems = await optionalItemsFor(db, member, cert.issued_on);
  const pdf = await renderCertificatePdf([
    {
      ...certificateDocumentOf(cert, member, await insurerNameOf(db, member.insurer_number), household),
      ...(optionalItems ? { optionalItems } : {}),
    },
  ]);
  await auditDisclosure(ctx, actor, 'certificate.pdf', member, { certificateId, bytes: pdf.length });
  return { pdf, filename: `shikaku-kakuninsho-${cert.issued_on}.pdf` };
}

/** `GET /api/v1/notices/{id}.pdf` (roles admin, member): the A4 お知らせ, audited. */
export async function noticePdf(ctx: ServiceContext, actor: Actor, noticeId: string): Promise<PdfFile> {
  const { notice, member } = await loadNoticeFor(ctx.store.db, actor, noticeId, ['admin', 'member']);
  const contents = JSON.parse(notice.contents) as NoticeContents;
  const pdf = await renderNoticePdf([noticeDocumentOf(contents, notice.id)]);
  await auditDisclosure(ctx, actor, 'notice.pdf', member, { noticeId, bytes: pdf.length });
  return { pdf, filename: `shikaku-oshirase-${notice.issued_on}.pdf` };
}
