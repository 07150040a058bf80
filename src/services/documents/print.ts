/**
 * Bulk printing for the print shop (`shikaku print`): the newest 資格確認書 or お知らせ of each member,
 * one PDF per member or one merged PDF, every print audited.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CertificateDocument, renderCertificatePdf } from '../../documents/certificate-pdf.js';
import { type NoticeDocument, renderNoticePdf } from '../../documents/notice-pdf.js';
import type { IsoDate } from '../../domain/dates.js';
import type { ElderlyIncomeFacts } from '../../domain/elderly-income.js';
import type { NoticeContents } from '../../domain/notice.js';
import { eligibilityCertificateProof } from '../../domain/proofs.js';
import { type Actor, requireInsurerScope } from '../actor.js';
import { appendAuditBatch } from '../audit.js';
import { nowIso, type ServiceContext, today } from '../context.js';
import type { CertificateRow, MemberRow } from '../issuance-facts.js';
import { householdFactsFor, type NoticeRow } from '../notices.js';
import { certificateDocumentOf, insurerNameOf, noticeDocumentOf, portalUrl } from './printed.js';

export interface PrintRequest {
  kind: 'notices' | 'certificates';
  insurerNumber: string;
  /** Folder the PDFs are written to (created). */
  outDir: string;
  /** One PDF with every document (for the print shop) instead of one per member. */
  merged?: boolean;
  /** Certificates usable on this day, notices of members covered on it (default today). */
  asOf?: IsoDate;
  /** Only the documents issued on this day (e.g. the day of an ex-officio run). */
  issuedOn?: IsoDate;
  onProgress?: (done: number, total: number) => void;
}

export interface PrintReport {
  kind: PrintRequest['kind'];
  documents: number;
  files: string[];
  bytes: number;
  seconds: number;
}

interface Printable {
  member: MemberRow;
  id: string;
  build: () => CertificateDocument | NoticeDocument;
}

/** The documents a print covers, in 記号・番号・枝番 order: the newest per member. */
async function printables(ctx: ServiceContext, request: PrintRequest, asOf: IsoDate): Promise<Printable[]> {
  const { db } = ctx.store;
  const insurerName = await insurerNameOf(db, request.insurerNumber);
  const members = await db
    .selectFrom('members')
    .selectAll()
    .where('insurer_number', '=', request.insurerNumber)
    .orderBy('symbol')
    .orderBy('number')
    .orderBy('branch')
    .execute();
  const byId = new Map(members.map((m) => [m.id, m]));
  const newest = new Map<string, CertificateRow | NoticeRow>();
  if (request.kind === 'certificates') {
    let q = db.selectFrom('eligibility_certificates').selectAll().where('insurer_number', '=', request.insurerNumber);
    if (request.issuedOn) q = q.where('issued_on', '=', request.issuedOn);
    for (const c of await q.orderBy('issued_on').orderBy('created_at').execute()) {
      const usable = eligibilityCertificateProof(
        {
          issuedOn: c.issued_on,
          validUntil: c.valid_until,
          collectedOn: c.collected_on,
          reportedLostOn: c.reported_lost_on,
        },
        asOf,
      ).usable;
      if (usable) newest.set(c.member_id, c);
    }
  } else {
    let q = db.selectFrom('notices').selectAll().where('insurer_number', '=', request.insurerNumber);
    if (request.issuedOn) q = q.where('issued_on', '=', request.issuedOn);
    for (const n of await q.orderBy('issued_on').orderBy('created_at').execute()) {
      const m = byId.get(n.member_id);
      if (m && (m.lost_on === null || m.lost_on > asOf)) newest.set(n.member_id, n);
    }
  }
  const households =
    request.kind === 'certificates'
      ? await householdFactsFor(
          db,
          members.filter((m) => newest.has(m.id)),
        )
      : new Map<string, ElderlyIncomeFacts>();
  const portal = portalUrl();
  const out: Printable[] = [];
  for (const m of members) {
    const doc = newest.get(m.id);
    if (!doc) continue;
    if (request.kind === 'certificates') {
      const cert = doc as CertificateRow;
      out.push({
        member: m,
        id: cert.id,
        build: () => certificateDocumentOf(cert, m, insurerName, households.get(m.id) ?? { insuredRemuneration: null }),
      });
    } else {
      const notice = doc as NoticeRow;
      out.push({
        member: m,
        id: notice.id,
        build: () => noticeDocumentOf(JSON.parse(notice.contents) as NoticeContents, notice.id, portal),
      });
    }
  }
  return out;
}

function fileSafe(s: string): string {
  return s.replace(/[^0-9A-Za-z_-]/g, '_');
}

async function render(kind: PrintRequest['kind'], docs: Array<CertificateDocument | NoticeDocument>): Promise<Buffer> {
  return kind === 'certificates'
    ? renderCertificatePdf(docs as CertificateDocument[])
    : renderNoticePdf(docs as NoticeDocument[]);
}

const AUDIT_BATCH = 500;

/**
 * Bulk print (role admin of the association): one PDF per member (`<記号>-<番号>-<枝番>.pdf`) or one
 * merged PDF for the print shop; each document printed is audited (`certificate.print` /
 * `notice.print`), in batches of 500 per transaction.
 */
export async function printDocuments(ctx: ServiceContext, actor: Actor, request: PrintRequest): Promise<PrintReport> {
  requireInsurerScope(actor, request.insurerNumber, ['admin']);
  const started = process.hrtime.bigint();
  const asOf = request.asOf ?? today(ctx);
  const items = await printables(ctx, request, asOf);
  // The disclosure is on record before any file exists.
  const action = request.kind === 'certificates' ? 'certificate.print' : 'notice.print';
  const idKey = request.kind === 'certificates' ? 'certificateId' : 'noticeId';
  for (let i = 0; i < items.length; i += AUDIT_BATCH) {
    const part = items.slice(i, i + AUDIT_BATCH);
    await ctx.store.db.transaction().execute(async (trx) => {
      const at = nowIso(ctx);
      // One chain (the association's), sealed once per batch: a few statements, not three per document.
      await appendAuditBatch(
        trx,
        ctx.store.dialect,
        part.map((item) => ({
          actor,
          at,
          entry: {
            action,
            insurerNumber: request.insurerNumber,
            memberId: item.member.id,
            detail: { [idKey]: item.id, merged: request.merged === true },
          },
        })),
      );
    });
  }
  mkdirSync(request.outDir, { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const prefix = request.kind === 'certificates' ? 'kakuninsho' : 'oshirase';
  if (request.merged) {
    if (items.length > 0) {
      const docs = items.map((i, n) => {
        request.onProgress?.(n + 1, items.length);
        return i.build();
      });
      const pdf = await render(request.kind, docs);
      const file = join(request.outDir, `${prefix}-${request.insurerNumber}-${asOf}.pdf`);
      writeFileSync(file, pdf);
      files.push(file);
      bytes += pdf.length;
    }
  } else {
    for (const [n, item] of items.entries()) {
      const pdf = await render(request.kind, [item.build()]);
      const m = item.member;
      const file = join(
        request.outDir,
        `${prefix}-${fileSafe(m.symbol)}-${fileSafe(m.number)}-${fileSafe(m.branch)}.pdf`,
      );
      writeFileSync(file, pdf);
      files.push(file);
      bytes += pdf.length;
      request.onProgress?.(n + 1, items.length);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { kind: request.kind, documents: items.length, files, bytes, seconds };
}
