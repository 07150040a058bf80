/**
 * Documents as PDFs (RULES.md §2, §3; DESIGN.md §5.2, §5.4): the card-size 資格確認書, the A4 お知らせ,
 * the member portal's eligibility screen and its PDF, and bulk printing for the print shop. Rendering
 * is src/documents/; this module fills the renderers' inputs from the registry and records every
 * download, view and print as a disclosure in the audit trail (DESIGN.md §3.5) — codes and ids only.
 *
 * The QR code of a お知らせ links to the member portal: `SHIKAKU_PORTAL_URL` (default
 * http://localhost:8080/portal).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { QualificationEntry, QualificationScreen } from '../contract/portal.js';
import { type CertificateDocument, renderCertificatePdf } from '../documents/certificate-pdf.js';
import { type NoticeDocument, renderNoticePdf } from '../documents/notice-pdf.js';
import { burdenRatio } from '../domain/burden.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { NoticeContents } from '../domain/notice.js';
import { eligibilityCertificateProof } from '../domain/proofs.js';
import type { Database } from '../store/schema.js';
import { type Actor, requireInsurerScope, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { loadCertificateFor } from './certificates/view.js';
import { nowIso, type ServiceContext, today } from './context.js';
import type { CertificateRow, MemberRow } from './issuance-facts.js';
import { loadNoticeFor, type NoticeRow, noticeContentsFor, remunerationsFor } from './notices.js';

export const DEFAULT_PORTAL_URL = 'http://localhost:8080/portal';

export function portalUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHIKAKU_PORTAL_URL?.trim() || DEFAULT_PORTAL_URL;
}

export interface PdfFile {
  pdf: Buffer;
  filename: string;
}

// --- renderer inputs ---------------------------------------------------------------------------------

/**
 * A 資格確認書 as printed (RULES.md §2 contents). 一部負担金の割合 is printed for 70–74 only (the
 * 高齢受給者 ratio it replaces the 高齢受給者証 for; domain-research.md §5.2), judged on the issue date.
 */
export function certificateDocumentOf(
  cert: CertificateRow,
  member: MemberRow,
  insurerName: string,
  insuredRemuneration: number | null,
): CertificateDocument {
  const on = cert.issued_on < member.birth_date ? member.birth_date : cert.issued_on;
  const burden = burdenRatio({ birthDate: member.birth_date, asOf: on, insuredRemuneration });
  const elderly = burden.band === 'elderly' || burden.band === 'elderly_high_income';
  return {
    insurerNumber: member.insurer_number,
    insurerName,
    symbol: member.symbol,
    number: member.number,
    branch: member.branch,
    relationship: member.relationship,
    name: member.name,
    nameKana: member.name_kana,
    birthDate: member.birth_date,
    sex: member.sex,
    issuedOn: cert.issued_on,
    validUntil: cert.valid_until,
    burdenRatio: elderly ? burden.ratio : null,
    certificateId: cert.id,
  };
}

/** A お知らせ as printed, from its stored contents (only the last 4 digits of the My Number). */
export function noticeDocumentOf(contents: NoticeContents, noticeId: string, portal = portalUrl()): NoticeDocument {
  return {
    insurerNumber: contents.insurerNumber,
    insurerName: contents.insurerName,
    symbol: contents.symbol,
    number: contents.number,
    branch: contents.branch,
    relationship: contents.relationship,
    name: contents.name,
    nameKana: contents.nameKana,
    birthDate: contents.birthDate,
    sex: contents.sex,
    acquiredOn: contents.acquiredOn,
    burdenRatio: contents.burdenRatio,
    burdenRatioAsOf: contents.burdenRatioAsOf,
    myNumberLast4: contents.myNumberLast4,
    issuedOn: contents.issuedOn,
    portalUrl: portal,
    noticeId,
  };
}

async function insurerNameOf(db: Kysely<Database>, insurerNumber: string): Promise<string> {
  const row = await db
    .selectFrom('insurers')
    .select('name')
    .where('insurer_number', '=', insurerNumber)
    .executeTakeFirst();
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber });
  return row.name;
}

async function auditDisclosure(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  member: Pick<MemberRow, 'id' | 'insurer_number'>,
  detail: Record<string, unknown>,
): Promise<void> {
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action,
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail,
    }).then(() => undefined),
  );
}

// --- single downloads -------------------------------------------------------------------------------

/** `GET /api/v1/certificates/{id}.pdf` (roles admin, member): the card-size 資格確認書, audited. */
export async function certificatePdf(ctx: ServiceContext, actor: Actor, certificateId: string): Promise<PdfFile> {
  const { db } = ctx.store;
  const { cert, member } = await loadCertificateFor(db, actor, certificateId, ['admin', 'member']);
  const remuneration = (await remunerationsFor(db, [member])).get(member.id) ?? null;
  const pdf = await renderCertificatePdf([
    certificateDocumentOf(cert, member, await insurerNameOf(db, member.insurer_number), remuneration),
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

// --- the member portal (DESIGN.md §5.4) -------------------------------------------------------------

async function household(db: Kysely<Database>, actor: Actor, asOf: IsoDate): Promise<MemberRow[]> {
  requireRole(actor, 'member');
  if (actor.memberId === null) throw new ShikakuError('FORBIDDEN', { scope: 'member' });
  const self = await db.selectFrom('members').selectAll().where('id', '=', actor.memberId).executeTakeFirst();
  if (!self) throw new ShikakuError('MEMBER_NOT_FOUND');
  if (self.relationship !== 'insured') return [self];
  const dependents = await db
    .selectFrom('members')
    .selectAll()
    .where('insured_member_id', '=', self.id)
    .where((eb) => eb.or([eb('lost_on', 'is', null), eb('lost_on', '>', asOf)]))
    .orderBy('branch')
    .execute();
  return [self, ...dependents];
}

async function screenOf(
  ctx: ServiceContext,
  actor: Actor,
  asOf: IsoDate,
): Promise<{ screen: QualificationScreen; rows: MemberRow[]; contents: Map<string, NoticeContents> }> {
  const { db } = ctx.store;
  const rows = await household(db, actor, asOf);
  const first = rows[0] as MemberRow;
  const insurerName = await insurerNameOf(db, first.insurer_number);
  const ids = rows.map((r) => r.id);
  const [contents, certificates, notices] = await Promise.all([
    noticeContentsFor(db, rows, insurerName, asOf),
    db
      .selectFrom('eligibility_certificates')
      .selectAll()
      .where('member_id', 'in', ids)
      .orderBy('issued_on')
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('notices')
      .select(['id', 'member_id'])
      .where('member_id', 'in', ids)
      .orderBy('issued_on')
      .orderBy('created_at')
      .execute(),
  ]);
  const members = rows.map((m): QualificationEntry => {
    const c = contents.get(m.id) as NoticeContents;
    const usable = certificates
      .filter((x) => x.member_id === m.id)
      .filter(
        (x) =>
          eligibilityCertificateProof(
            {
              issuedOn: x.issued_on,
              validUntil: x.valid_until,
              collectedOn: x.collected_on,
              reportedLostOn: x.reported_lost_on,
            },
            asOf,
          ).usable,
      )
      .at(-1);
    return {
      memberId: m.id,
      relationship: m.relationship,
      insurerNumber: m.insurer_number,
      insurerName,
      symbol: m.symbol,
      number: m.number,
      branch: m.branch,
      name: m.name,
      nameKana: m.name_kana,
      birthDate: m.birth_date,
      sex: m.sex,
      acquiredOn: m.acquired_on,
      lostOn: m.lost_on,
      burdenRatio: c.burdenRatio,
      burdenRatioAsOf: c.burdenRatioAsOf,
      myNumber: m.my_number_last4 === null ? null : `********${m.my_number_last4}`,
      certificate: usable
        ? { certificateId: usable.id, issuedOn: usable.issued_on, validUntil: usable.valid_until }
        : null,
      noticeId: notices.filter((n) => n.member_id === m.id).at(-1)?.id ?? null,
    };
  });
  return { screen: { asOf, members }, rows, contents };
}

/**
 * `GET /api/v1/me/qualification` (role member): the eligibility screen — the fields of the お知らせ —
 * for the member and, for the insured, their dependents; each person shown is audited (`portal.view`).
 */
export async function myQualification(ctx: ServiceContext, actor: Actor, asOf?: IsoDate): Promise<QualificationScreen> {
  const day = asOf ?? today(ctx);
  const { screen, rows } = await screenOf(ctx, actor, day);
  await ctx.store.db.transaction().execute(async (trx) => {
    const at = nowIso(ctx);
    for (const m of rows) {
      await appendAudit(trx, ctx.store.dialect, actor, at, {
        action: 'portal.view',
        insurerNumber: m.insurer_number,
        memberId: m.id,
        detail: { asOf: day },
      });
    }
  });
  return screen;
}

/** `GET /api/v1/me/qualification.pdf`: the same screen as a PDF (one お知らせ-style page a person), audited. */
export async function myQualificationPdf(ctx: ServiceContext, actor: Actor, asOf?: IsoDate): Promise<PdfFile> {
  const day = asOf ?? today(ctx);
  const { rows, contents } = await screenOf(ctx, actor, day);
  const portal = portalUrl();
  const pdf = await renderNoticePdf(
    rows.map((m) => noticeDocumentOf(contents.get(m.id) as NoticeContents, `portal-${m.id.slice(0, 8)}`, portal)),
  );
  await ctx.store.db.transaction().execute(async (trx) => {
    const at = nowIso(ctx);
    for (const m of rows) {
      await appendAudit(trx, ctx.store.dialect, actor, at, {
        action: 'portal.pdf',
        insurerNumber: m.insurer_number,
        memberId: m.id,
        detail: { asOf: day, bytes: pdf.length },
      });
    }
  });
  return { pdf, filename: `shikaku-shikaku-joho-${day}.pdf` };
}

// --- bulk printing ------------------------------------------------------------------------------------

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
  const remunerations =
    request.kind === 'certificates'
      ? await remunerationsFor(
          db,
          members.filter((m) => newest.has(m.id)),
        )
      : new Map<string, number | null>();
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
        build: () => certificateDocumentOf(cert, m, insurerName, remunerations.get(m.id) ?? null),
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
      for (const item of part) {
        await appendAudit(trx, ctx.store.dialect, actor, at, {
          action,
          insurerNumber: request.insurerNumber,
          memberId: item.member.id,
          detail: { [idKey]: item.id, merged: request.merged === true },
        });
      }
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
