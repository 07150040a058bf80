/**
 * Applications to the association other than the 資格確認書 itself (DESIGN.md §5.2; RULES.md §2, §3,
 * §7): 限度額適用認定, 限度額適用・標準負担額減額認定, 特定疾病, 利用登録解除 and the reissue of the
 * 資格情報のお知らせ. Once received (application-receive.ts), approved or refused by the association
 * (`applicationTransition`); approval does what `approvalFollowUp` says, in the same transaction:
 * - the certifications are recorded with their validity: the verification answer then carries them
 *   (limit category オ / 低所得, 特定疾病) and requires the separate certificates of a 資格確認書 holder;
 * - 利用登録解除 cancels the card registration at the card stand-in and issues a 資格確認書 (reason
 *   `registration_cancelled`) unless the member already holds one (RULES.md §2, seed 000);
 * - `notice_reissue` issues a new お知らせ;
 * - 基準収入額適用 records the approval day on the insured's facts (standard-income.ts);
 * - 高齢受給者証の交付申請 issues the 高齢受給者証 (paper-certificates.ts).
 *
 * Policies where the rules are silent:
 * - a certification is valid from the 1st of the month the application was received (認定は申請月の
 *   初日から), for at most one year for the limit certifications (協会けんぽ practice; the association
 *   may give other dates on approval) and open-ended for 特定疾病;
 * - an approved 減額認定 carries its category: オ under 70, 低所得Ⅱ (default) or 低所得Ⅰ for 70–74,
 *   judged on the first day of validity.
 */
import type { Kysely } from 'kysely';
import { cardSimulator } from '../cards/index.js';
import type { ApplicationView, ApproveInput, RefuseInput } from '../contract/applications.js';
import { applicationTransition, approvalFollowUp, specificDiseaseCertification } from '../domain/applications.js';
import { elderlyFrom } from '../domain/burden.js';
import { ShikakuError } from '../domain/codes.js';
import { addDays, addYears, type IsoDate, startOfMonth } from '../domain/dates.js';
import { CERTIFICATE_FIRST_ISSUE_DATE, decideExOfficio } from '../domain/issuance.js';
import type { LowIncomeCategory, SpecificDisease } from '../domain/limits.js';
import { certificateValidUntil } from '../domain/proofs.js';
import { exOfficioOptionsOn } from '../domain/transition-policy.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { type ApplicationRow, applicationView, loadApplicationFor, type Payload, payloadOf } from './applications.js';
import { appendAudit } from './audit.js';
import { insertCertificate } from './certificates/issue.js';
import { nowIso, type ServiceContext, today } from './context.js';
import { lockInsurer } from './document-scope.js';
import { gatherMemberFacts, type MemberRow, policyOfRow } from './issuance-facts.js';
import { issueNoticeFor } from './notices.js';
import { issuePaperOnApproval } from './paper-certificates.js';
import { recordStandardIncomeApproval } from './standard-income.js';

function invalid(field: string, ja: string, en: string): ShikakuError {
  return new ShikakuError('VALIDATION_FAILED', { field }, { ja, en });
}

/** The certification an approval gives (module note), validated against the member's age band. */
function certificationFor(row: ApplicationRow, member: MemberRow, remuneration: number | null, input: ApproveInput) {
  const validFrom = input.validFrom ?? startOfMonth(row.received_on);
  const validUntil = input.validUntil ?? (row.kind === 'specific_disease' ? null : addDays(addYears(validFrom, 1), -1));
  if (validUntil !== null && validUntil < validFrom) {
    throw invalid('validUntil', '有効期限が適用開始日より前です', 'validUntil is before validFrom');
  }
  if (input.category !== undefined && row.kind !== 'reduced_limit_certification') {
    throw invalid(
      'category',
      '区分は減額認定でのみ指定します',
      'category is given only for reduced_limit_certification',
    );
  }
  let category: LowIncomeCategory | null = null;
  if (row.kind === 'reduced_limit_certification') {
    const elderly = validFrom >= elderlyFrom(member.birth_date);
    category = input.category ?? (elderly ? '低所得Ⅱ' : 'オ');
    if (elderly === (category === 'オ')) {
      throw invalid(
        'category',
        '区分オは70歳未満、低所得Ⅱ・Ⅰは70〜74歳の区分です',
        'オ is the under-70 category, 低所得Ⅱ/Ⅰ those of 70–74',
      );
    }
  }
  const disease = row.kind === 'specific_disease' ? (row.reason as SpecificDisease) : null;
  const monthlyLimitYen =
    disease === null
      ? undefined
      : specificDiseaseCertification({
          disease,
          birthDate: member.birth_date,
          asOf: validFrom < member.birth_date ? member.birth_date : validFrom,
          standardMonthlyRemuneration: remuneration,
        }).monthlyLimit;
  return { validFrom, validUntil, category, disease, ...(monthlyLimitYen === undefined ? {} : { monthlyLimitYen }) };
}

async function remunerationOf(db: Kysely<Database>, member: MemberRow): Promise<number | null> {
  if (member.relationship === 'insured' || member.insured_member_id === null) {
    return member.standard_monthly_remuneration === null ? null : Number(member.standard_monthly_remuneration);
  }
  const insured = await db
    .selectFrom('members')
    .select('standard_monthly_remuneration')
    .where('id', '=', member.insured_member_id)
    .executeTakeFirst();
  return insured?.standard_monthly_remuneration == null ? null : Number(insured.standard_monthly_remuneration);
}

async function markDecided(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  row: ApplicationRow,
  state: 'approved' | 'refused',
  decidedOn: IsoDate,
  payload: Payload,
  refusalCode: string | null = null,
): Promise<ApplicationRow> {
  const updated: ApplicationRow = {
    ...row,
    state,
    decided_on: decidedOn,
    refusal_code: refusalCode,
    payload: JSON.stringify(payload),
  };
  await trx
    .updateTable('applications')
    .set({ state, decided_on: decidedOn, refusal_code: refusalCode, payload: updated.payload })
    .where('id', '=', row.id)
    .where('state', '=', 'received')
    .execute();
  const detail: Record<string, unknown> = { applicationId: row.id, kind: row.kind, decidedOn };
  if (refusalCode) detail.code = refusalCode;
  if (payload.certificateId) detail.certificateId = payload.certificateId;
  if (payload.noticeId) detail.noticeId = payload.noticeId;
  if (payload.certificateSkipped) detail.certificateSkipped = payload.certificateSkipped;
  if (payload.paperCertificateIds?.length) detail.paperCertificateIds = payload.paperCertificateIds;
  await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
    action: state === 'approved' ? 'application.approve' : 'application.refuse',
    insurerNumber: row.insurer_number,
    memberId: row.member_id,
    detail,
  });
  return updated;
}

/** An application the admin may decide now (still received), and the day of the decision. */
async function applicationToDecide(
  ctx: ServiceContext,
  actor: Actor,
  applicationId: string,
  action: 'approve' | 'refuse',
  given: IsoDate | undefined,
) {
  const first = await loadApplicationFor(ctx.store.db, actor, applicationId, ['admin']);
  applicationTransition(first.row.state, action);
  return { first, decidedOn: decidedOnFor(first.row, given, ctx) };
}

function decidedOnFor(row: ApplicationRow, given: IsoDate | undefined, ctx: ServiceContext): IsoDate {
  const decidedOn = given ?? today(ctx);
  if (decidedOn < row.received_on) {
    throw invalid('decidedOn', '決定日が受付日より前です', 'decidedOn is before the day the application was received');
  }
  return decidedOn;
}

/**
 * Approves a received application (role admin of the association) and does its follow-up in the same
 * transaction (module note). CONFLICT_APPLICATION_STATE when already decided.
 */
export async function approveApplication(
  ctx: ServiceContext,
  actor: Actor,
  applicationId: string,
  input: ApproveInput,
): Promise<ApplicationView> {
  const { db, dialect } = ctx.store;
  const { first, decidedOn } = await applicationToDecide(ctx, actor, applicationId, 'approve', input.decidedOn);
  const followUp = approvalFollowUp(first.row.kind);

  if (first.row.kind === 'registration_cancellation') return approveCancellation(ctx, actor, first, decidedOn);

  return db.transaction().execute(async (trx) => {
    const { row, member } = await loadApplicationFor(trx, actor, applicationId, ['admin'], {
      forUpdate: dialect === 'postgres',
    });
    applicationTransition(row.state, 'approve');
    const payload: Payload = payloadOf(row);
    if (followUp === 'issue_notice') {
      payload.noticeId = (await issueNoticeFor(trx, ctx, actor, member.id, decidedOn, 'reissue', row.id)).id;
    } else if (followUp === 'issue_paper') {
      payload.paperCertificateIds = await issuePaperOnApproval(trx, ctx, actor, row, member, decidedOn, null);
    } else if (followUp === 'record_standard_income') {
      payload.standardIncomeMemberId = await recordStandardIncomeApproval(trx, ctx, actor, member, decidedOn, row.id);
    } else {
      payload.certification = certificationFor(row, member, await remunerationOf(trx, member), input);
      // A 資格確認書 holder is given the paper 認定証 too (paper-certificates.ts).
      payload.paperCertificateIds = await issuePaperOnApproval(
        trx,
        ctx,
        actor,
        row,
        member,
        decidedOn,
        payload.certification,
      );
    }
    return applicationView(await markDecided(trx, ctx, actor, row, 'approved', decidedOn, payload));
  });
}

/**
 * 利用登録解除 approved: the registration is cancelled at the card stand-in and, in the same
 * transaction (the simulator's change listener), the application is approved and a 資格確認書 issued
 * with reason `registration_cancelled` unless `decideExOfficio` says the member already has a proof.
 */
async function approveCancellation(
  ctx: ServiceContext,
  actor: Actor,
  loaded: { row: ApplicationRow; member: MemberRow },
  decidedOn: IsoDate,
): Promise<ApplicationView> {
  const { db, dialect } = ctx.store;
  const index = loaded.member.my_number_index;
  const latest =
    index === null
      ? undefined
      : await db
          .selectFrom('card_registrations')
          .select(['card_id'])
          .where('my_number_index', '=', index)
          .where('kind', '=', 'registered')
          .where('recorded_on', '<=', decidedOn)
          .orderBy('recorded_on', 'desc')
          .orderBy('id', 'desc')
          .executeTakeFirst();
  if (!latest) {
    throw new ShikakuError(
      'CONFLICT_CARD_STATE',
      { applicationId: loaded.row.id },
      {
        ja: '解除する利用登録がありません',
        en: 'there is no registration to cancel',
      },
    );
  }
  let view: ApplicationView | null = null;
  await cardSimulator(ctx, async (trx, change) => {
    await appendAudit(trx, dialect, actor, nowIso(ctx), { action: change.action, detail: change.detail });
    const { row, member } = await loadApplicationFor(trx, actor, loaded.row.id, ['admin'], {
      forUpdate: dialect === 'postgres',
    });
    applicationTransition(row.state, 'approve');
    const policy = policyOfRow(await lockInsurer(trx, dialect, member.insurer_number));
    const { facts } = await gatherMemberFacts(trx, member, decidedOn);
    // Before 2024-12-02 there was no 資格確認書 to issue: the legacy card stayed the proof.
    const decision =
      decidedOn < CERTIFICATE_FIRST_ISSUE_DATE
        ? ({ issue: false, reason: 'valid_legacy_card' } as const)
        : decideExOfficio(
            { ...facts, newMemberPolicy: policy.newMemberCertificate },
            decidedOn,
            exOfficioOptionsOn(policy.transitionPolicy, decidedOn),
          );
    const payload: Payload = { ...payloadOf(row), registrationId: String(change.detail.registrationId ?? '') };
    if (decision.issue) {
      const cert = await insertCertificate(trx, ctx, actor, {
        member,
        issuedOn: decidedOn,
        validUntil: certificateValidUntil(policy.certificatePolicy, decidedOn),
        reason: decision.reason,
        kind: 'on_application',
        applicationId: row.id,
      });
      payload.certificateId = cert.id;
    } else {
      payload.certificateId = null;
      payload.certificateSkipped = decision.reason;
    }
    view = applicationView(await markDecided(trx, ctx, actor, row, 'approved', decidedOn, payload));
  }).cancel(latest.card_id, { recordedOn: decidedOn });
  if (view === null) throw new Error('the cancellation did not run its listener');
  return view;
}

/** Refuses a received application (role admin). CONFLICT_APPLICATION_STATE when already decided. */
export async function refuseApplication(
  ctx: ServiceContext,
  actor: Actor,
  applicationId: string,
  input: RefuseInput,
): Promise<ApplicationView> {
  const { db, dialect } = ctx.store;
  const { decidedOn } = await applicationToDecide(ctx, actor, applicationId, 'refuse', input.decidedOn);
  return db.transaction().execute(async (trx) => {
    const { row } = await loadApplicationFor(trx, actor, applicationId, ['admin'], {
      forUpdate: dialect === 'postgres',
    });
    applicationTransition(row.state, 'refuse');
    const code = input.refusalCode ?? 'REFUSED_BY_INSURER';
    return applicationView(await markDecided(trx, ctx, actor, row, 'refused', decidedOn, payloadOf(row), code));
  });
}
