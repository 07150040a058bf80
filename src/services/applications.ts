/**
 * Applications as the association and the member read them: the answer shape, one application in
 * scope, and the certifications (限度額, 減額, 特定疾病) approved ones carry, which the verification
 * answer uses. Receiving is application-receive.ts, deciding application-decide.ts.
 */
import type { Kysely, Selectable } from 'kysely';
import type { ApplicationView, CertificationTerms } from '../contract/applications.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { StandardIncomeDeclaration } from '../domain/elderly-income.js';
import type { ApplicationsTable, Database } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import type { ServiceContext } from './context.js';
import { type DocumentRole, memberVisibleTo } from './document-scope.js';
import type { MemberRow } from './issuance-facts.js';

export type ApplicationRow = Selectable<ApplicationsTable>;

/** A certification as the verification answer uses it. */
export interface Certification extends CertificationTerms {
  memberId: string;
  kind: 'limit_certification' | 'reduced_limit_certification' | 'specific_disease';
  decidedOn: IsoDate;
}

export interface Payload {
  recordedOn?: IsoDate;
  portalUsable?: boolean;
  certification?: CertificationTerms & { monthlyLimitYen?: number };
  certificateId?: string | null;
  noticeId?: string | null;
  certificateSkipped?: string;
  registrationId?: string;
  /** 基準収入額適用申請: what was declared. */
  declaration?: StandardIncomeDeclaration;
  /** 基準収入額適用 approved: the insured whose facts now carry the approval. */
  standardIncomeMemberId?: string;
  /** Certifications: the paper 認定証 issued to a 資格確認書 holder (paper-certificates.ts). */
  paperCertificateIds?: string[];
}

export function payloadOf(row: Pick<ApplicationRow, 'payload'>): Payload {
  return JSON.parse(row.payload) as Payload;
}

export function applicationView(row: ApplicationRow): ApplicationView {
  const p = payloadOf(row);
  return {
    applicationId: row.id,
    memberId: row.member_id,
    kind: row.kind,
    reason: row.reason,
    state: row.state,
    receivedOn: row.received_on,
    decidedOn: row.decided_on,
    refusalCode: row.refusal_code,
    certification: p.certification
      ? {
          validFrom: p.certification.validFrom,
          validUntil: p.certification.validUntil,
          category: p.certification.category,
          disease: p.certification.disease,
        }
      : null,
    certificateId: p.certificateId ?? null,
    noticeId: p.noticeId ?? null,
  };
}

const CERTIFICATION_KINDS = ['limit_certification', 'reduced_limit_certification', 'specific_disease'] as const;

/** The certification an approved application carries, or null. */
export function certificationOf(
  row: Pick<ApplicationRow, 'member_id' | 'kind' | 'state' | 'decided_on' | 'payload'>,
): Certification | null {
  if (row.state !== 'approved' || row.decided_on === null) return null;
  if (!(CERTIFICATION_KINDS as readonly string[]).includes(row.kind)) return null;
  const c = payloadOf(row).certification;
  if (!c) return null;
  return {
    memberId: row.member_id,
    kind: row.kind as Certification['kind'],
    decidedOn: row.decided_on,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    category: c.category,
    disease: c.disease,
  };
}

/** Known on `asOf` (approved by then) and in force that day. */
export function certificationInForce(c: Certification, asOf: IsoDate): boolean {
  return c.decidedOn <= asOf && c.validFrom <= asOf && (c.validUntil === null || asOf <= c.validUntil);
}

/** The certifications of `memberIds` in force on `asOf` (one query). */
export async function certificationsOf(
  db: Kysely<Database>,
  memberIds: readonly string[],
  asOf: IsoDate,
): Promise<Certification[]> {
  if (memberIds.length === 0) return [];
  const rows = await db
    .selectFrom('applications')
    .select(['member_id', 'kind', 'state', 'decided_on', 'payload'])
    .where('member_id', 'in', [...memberIds])
    .where('state', '=', 'approved')
    .where('kind', 'in', [...CERTIFICATION_KINDS])
    .where('decided_on', '<=', asOf)
    .execute();
  return rows.map(certificationOf).filter((c): c is Certification => c !== null && certificationInForce(c, asOf));
}

/** An application if `actor` may see its member (admin of the association; the member), else APPLICATION_NOT_FOUND. */
export async function loadApplicationFor(
  db: Kysely<Database>,
  actor: Actor,
  applicationId: string,
  roles: readonly DocumentRole[],
  options: { forUpdate?: boolean } = {},
): Promise<{ row: ApplicationRow; member: MemberRow }> {
  requireRole(actor, ...roles);
  let query = db.selectFrom('applications').selectAll().where('id', '=', applicationId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  const member = row
    ? await db.selectFrom('members').selectAll().where('id', '=', row.member_id).executeTakeFirst()
    : undefined;
  if (!row || !member || !memberVisibleTo(actor, member)) throw new ShikakuError('APPLICATION_NOT_FOUND');
  return { row, member };
}

export async function getApplication(
  ctx: ServiceContext,
  actor: Actor,
  applicationId: string,
): Promise<ApplicationView> {
  return applicationView((await loadApplicationFor(ctx.store.db, actor, applicationId, ['admin', 'member'])).row);
}
