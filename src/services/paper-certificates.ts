/**
 * The paper a 資格確認書 holder is given on approval of a certification (issue #16 point 8;
 * domain/paper-certificates.ts): 限度額適用認定証, 限度額適用・標準負担額減額認定証, 特定疾病療養受療証, issued
 * into `paper_certificates` in the approval's transaction when the association prints separate
 * documents. Under `printed_on_certificate` nothing is issued here: the 資格確認書 prints the 区分.
 * The 高齢受給者証 on application (`elderly_recipient_certificate`): judged at receipt and issued on approval.
 * Also the list of a member's paper and its A6 PDF, audited like the other downloads.
 */
import type { Kysely } from 'kysely';
import type { CertificationTerms } from '../contract/applications.js';
import type { PaperCertificateView } from '../contract/paper-certificates.js';
import { renderPaperCertificatePdf } from '../documents/paper-certificate-pdf.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { ElderlyIncomeFacts } from '../domain/elderly-income.js';
import { limitCategoryFor, type SpecificDisease } from '../domain/limits.js';
import {
  type CategoryPrintPolicy,
  type ElderlyRecipientRefusal,
  elderlyRecipientCertificateFor,
  type PaperApprovals,
  type PaperCertificate,
  type PaperCertificateFacts,
  type PrintedOnCertificate,
  paperCertificatesFor,
  paperProofOf,
} from '../domain/paper-certificates.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { type ApplicationRow, certificationsOf } from './applications.js';
import { appendAudit } from './audit.js';
import { newId, nowIso, type ServiceContext } from './context.js';
import { loadMemberFor, memberVisibleTo } from './document-scope.js';
import { auditDisclosure } from './documents/disclosure.js';
import { insurerNameOf, type PdfFile, printedMember } from './documents/printed.js';
import { gatherMemberFacts, type MemberRow } from './issuance-facts.js';
import { householdFactsFor } from './notices.js';

/** A certification as `paperCertificatesFor` needs it: its kind, first day and category or disease. */
type ApprovedTerms = Pick<CertificationTerms, 'validFrom' | 'category' | 'disease'> & { kind: string };

/** The approvals `paperCertificatesFor` reads; a 限度額 category not given is the member's own then. */
function approvalsFrom(
  certifications: readonly ApprovedTerms[],
  member: MemberRow,
  household: ElderlyIncomeFacts,
): PaperApprovals {
  const approvals: {
    limit: PaperApprovals['limit'];
    specificDiseases: Array<{ appliedOn: IsoDate; disease: SpecificDisease }>;
  } = {
    limit: null,
    specificDiseases: [],
  };
  for (const c of certifications) {
    if (c.kind === 'specific_disease') {
      if (c.disease !== null) approvals.specificDiseases.push({ appliedOn: c.validFrom, disease: c.disease });
      continue;
    }
    const category =
      c.category ??
      limitCategoryFor({
        birthDate: member.birth_date,
        asOf: c.validFrom < member.birth_date ? member.birth_date : c.validFrom,
        standardMonthlyRemuneration: household.insuredRemuneration,
        insuredBirthDate: household.insuredBirthDate,
        standardIncomeApprovedOn: household.standardIncomeApprovedOn,
      });
    if (category !== null) approvals.limit = { appliedOn: c.validFrom, category };
  }
  return approvals;
}

async function policyOf(db: Kysely<Database>, insurerNumber: string): Promise<CategoryPrintPolicy> {
  const insurer = await db
    .selectFrom('insurers')
    .select('category_print_policy')
    .where('insurer_number', '=', insurerNumber)
    .executeTakeFirst();
  return insurer?.category_print_policy ?? 'separate_documents';
}

/** The facts `paperCertificatesFor` reads for `member` on `asOf`, with the given certifications. */
async function paperFactsOf(
  db: Kysely<Database>,
  member: MemberRow,
  certifications: readonly ApprovedTerms[],
  asOf: IsoDate,
): Promise<PaperCertificateFacts> {
  const { facts } = await gatherMemberFacts(db, member, asOf);
  const household = (await householdFactsFor(db, [member])).get(member.id) ?? { insuredRemuneration: null };
  return {
    ...household,
    birthDate: member.birth_date,
    acquiredOn: member.acquired_on,
    lostOn: member.lost_on,
    insured: facts.insured ?? null,
    proof: paperProofOf(facts, asOf),
    approvals: approvalsFrom(certifications, member, household),
  };
}

/** The domain's decision for `member` on `asOf` with the given certifications. */
async function decide(
  db: Kysely<Database>,
  member: MemberRow,
  policy: CategoryPrintPolicy,
  certifications: readonly ApprovedTerms[],
  asOf: IsoDate,
) {
  return paperCertificatesFor(await paperFactsOf(db, member, certifications, asOf), policy, asOf);
}

/**
 * Under `printed_on_certificate`, the 区分 the 資格確認書 printed on `asOf` carries (its 任意記載事項, on
 * the back page): the certifications in force then. Undefined under `separate_documents` or when there
 * is nothing to print.
 */
export async function optionalItemsFor(
  db: Kysely<Database>,
  member: MemberRow,
  asOf: IsoDate,
): Promise<Omit<PrintedOnCertificate, 'burdenRatio'> | undefined> {
  const policy = await policyOf(db, member.insurer_number);
  if (policy !== 'printed_on_certificate') return undefined;
  const certifications = await certificationsOf(db, [member.id], asOf);
  if (certifications.length === 0) return undefined;
  const { limitCategory, specificDiseases } = (await decide(db, member, policy, certifications, asOf))
    .printedOnCertificate;
  return limitCategory === null && specificDiseases.length === 0 ? undefined : { limitCategory, specificDiseases };
}

/** Stores one paper document issued on `issuedOn` for an approved application, audited. */
async function insertPaper(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  member: MemberRow,
  applicationId: string,
  issuedOn: IsoDate,
  d: PaperCertificate,
): Promise<string> {
  const id = newId();
  const at = nowIso(ctx);
  await trx
    .insertInto('paper_certificates')
    .values({
      id,
      member_id: member.id,
      insurer_number: member.insurer_number,
      kind: d.kind,
      issued_on: issuedOn,
      valid_from: d.validFrom,
      valid_until: d.validUntil,
      contents: JSON.stringify(d),
      application_id: applicationId,
      collected_on: null,
      created_at: at,
    })
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: 'paper_certificate.issue',
    insurerNumber: member.insurer_number,
    memberId: member.id,
    detail: { paperCertificateId: id, kind: d.kind, applicationId, validFrom: d.validFrom },
  });
  return id;
}

const NOT_NEEDED_MESSAGES = {
  not_certificate_holder: {
    ja: 'マイナ保険証を利用できるため（または資格確認書をお持ちでないため）、高齢受給者証は交付しません',
    en: 'the member can use a マイナ保険証 (or holds no 資格確認書): the hub carries the 高齢受給者 data',
  },
  printed_on_certificate: {
    ja: '負担割合は資格確認書に記載しています',
    en: 'the association prints the burden ratio on the 資格確認書',
  },
} as const;

/** The error that answers a refused 高齢受給者証の交付申請. */
export function elderlyRefusalError(refusal: ElderlyRecipientRefusal, details: Record<string, unknown>): ShikakuError {
  return refusal.code === 'NOT_ELDERLY_RECIPIENT'
    ? new ShikakuError(refusal.code, details)
    : new ShikakuError(refusal.code, { ...details, why: refusal.why }, NOT_NEEDED_MESSAGES[refusal.why]);
}

/** The 高齢受給者証 `member` who applies would be given on `on`, or why not (domain `elderlyRecipientCertificateFor`). */
export async function elderlyRecipientCertificateOn(db: Kysely<Database>, member: MemberRow, on: IsoDate) {
  const policy = await policyOf(db, member.insurer_number);
  return elderlyRecipientCertificateFor(await paperFactsOf(db, member, [], on), policy, on);
}

/** The 認定証 an approved certification calls for: none for a マイナ保険証 user, under `printed_on_certificate`, or for a 区分 that needs none. */
async function certificationPaper(
  trx: Kysely<Database>,
  row: ApplicationRow,
  member: MemberRow,
  decidedOn: IsoDate,
  terms: CertificationTerms,
): Promise<PaperCertificate[]> {
  const policy = await policyOf(trx, member.insurer_number);
  if (policy !== 'separate_documents') return [];
  const decision = await decide(trx, member, policy, [{ ...terms, kind: row.kind }], decidedOn);
  // Only the paper of this approval: the 高齢受給者証 has its own application.
  return decision.documents.filter((d) => d.kind !== 'elderly_recipient');
}

/** The 高齢受給者証 an approved 交付申請 gives; throws the refusal when the facts changed since receipt. */
async function elderlyPaper(
  trx: Kysely<Database>,
  row: ApplicationRow,
  member: MemberRow,
  decidedOn: IsoDate,
): Promise<PaperCertificate[]> {
  const decision = await elderlyRecipientCertificateOn(trx, member, decidedOn);
  if ('refused' in decision) throw elderlyRefusalError(decision.refused, { applicationId: row.id, on: decidedOn });
  return [decision.issue];
}

/**
 * Issues the paper an approval calls for (module note) in the approval's transaction: the 認定証 of a
 * certification (`terms`), or the 高齢受給者証 of a 交付申請 (`terms` null; a refusal is thrown, and the
 * application stays received, to be refused). Returns the ids issued.
 */
export async function issuePaperOnApproval(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  row: ApplicationRow,
  member: MemberRow,
  decidedOn: IsoDate,
  terms: CertificationTerms | null,
): Promise<string[]> {
  const documents =
    terms === null
      ? await elderlyPaper(trx, row, member, decidedOn)
      : await certificationPaper(trx, row, member, decidedOn, terms);
  const ids: string[] = [];
  for (const d of documents) ids.push(await insertPaper(trx, ctx, actor, member, row.id, decidedOn, d));
  return ids;
}

/** `GET /api/v1/members/{id}/paper-certificates` (roles admin, member): newest first. */
export async function listPaperCertificates(
  ctx: ServiceContext,
  actor: Actor,
  memberId: string,
): Promise<PaperCertificateView[]> {
  const { db } = ctx.store;
  const member = await loadMemberFor(db, actor, memberId, ['admin', 'member']);
  const rows = await db
    .selectFrom('paper_certificates')
    .selectAll()
    .where('member_id', '=', member.id)
    .orderBy('issued_on', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => {
    const c = JSON.parse(r.contents) as PaperCertificate;
    return {
      paperCertificateId: r.id,
      memberId: r.member_id,
      kind: r.kind,
      title: c.title,
      issuedOn: r.issued_on,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
      applicationId: r.application_id,
      collectedOn: r.collected_on,
    };
  });
}

/** `GET /api/v1/paper-certificates/{id}.pdf` (roles admin, member): the A6 page, audited. */
export async function paperCertificatePdf(ctx: ServiceContext, actor: Actor, id: string): Promise<PdfFile> {
  const { db } = ctx.store;
  if (!['admin', 'member'].includes(actor.role)) throw new ShikakuError('FORBIDDEN', { role: actor.role });
  const row = await db.selectFrom('paper_certificates').selectAll().where('id', '=', id).executeTakeFirst();
  const member = row
    ? await db.selectFrom('members').selectAll().where('id', '=', row.member_id).executeTakeFirst()
    : undefined;
  // Out of scope reads as absent, like the other documents.
  if (!row || !member || !memberVisibleTo(actor, member)) {
    throw new ShikakuError(
      'NOT_FOUND',
      { paperCertificateId: id },
      { ja: '認定証が見つかりません', en: 'No such paper certificate' },
    );
  }
  const pdf = await renderPaperCertificatePdf([
    {
      ...printedMember(member, await insurerNameOf(db, member.insurer_number)),
      issuedOn: row.issued_on,
      certificate: JSON.parse(row.contents) as PaperCertificate,
      documentId: row.id,
    },
  ]);
  await auditDisclosure(ctx, actor, 'paper_certificate.pdf', member, { paperCertificateId: id, bytes: pdf.length });
  return { pdf, filename: `shikaku-${row.kind.replaceAll('_', '-')}-${row.issued_on}.pdf` };
}
