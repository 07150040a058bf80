/**
 * The member portal's eligibility screen (DESIGN.md §5.4) and its PDF: the お知らせ fields for the
 * member and, for the insured, the dependents. Every person shown is audited.
 */
import type { Kysely } from 'kysely';
import type { QualificationEntry, QualificationScreen } from '../../contract/portal.js';
import { renderNoticePdf } from '../../documents/notice-pdf.js';
import { ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import type { NoticeContents } from '../../domain/notice.js';
import { eligibilityCertificateProof } from '../../domain/proofs.js';
import type { Database } from '../../store/schema.js';
import { type Actor, requireRole } from '../actor.js';
import { type ServiceContext, today } from '../context.js';
import type { MemberRow } from '../issuance-facts.js';
import { noticeContentsFor } from '../notices.js';
import { auditEach } from './audit-each.js';
import { insurerNameOf, noticeDocumentOf, type PdfFile, portalUrl } from './printed.js';

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

/** One audit record per person shown, in one transaction. */
async function auditShown(
  ctx: ServiceContext,
  actor: Actor,
  rows: readonly MemberRow[],
  action: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await auditEach(ctx, actor, rows, (m) => ({ action, insurerNumber: m.insurer_number, memberId: m.id, detail }));
}

/**
 * `GET /api/v1/me/qualification` (role member): the eligibility screen — the fields of the お知らせ —
 * for the member and, for the insured, their dependents; each person shown is audited (`portal.view`).
 */
export async function myQualification(ctx: ServiceContext, actor: Actor, asOf?: IsoDate): Promise<QualificationScreen> {
  const day = asOf ?? today(ctx);
  const { screen, rows } = await screenOf(ctx, actor, day);
  await auditShown(ctx, actor, rows, 'portal.view', { asOf: day });
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
  await auditShown(ctx, actor, rows, 'portal.pdf', { asOf: day, bytes: pdf.length });
  return { pdf, filename: `shikaku-shikaku-joho-${day}.pdf` };
}
