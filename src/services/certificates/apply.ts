/**
 * A 資格確認書 on application (one of the 8 reasons) and the reissue of one held (certificate_lost,
 * with the association's fee). Policies where the rules are silent:
 * - a certificate is issued on the application's `recordedOn`, valid per the association's policy
 *   from that day (`certificateValidUntil`);
 * - a refused application is still recorded (state `refused`, its code) and answered with the code and
 *   the application id, so every refusal can be explained later;
 * - a reissue supersedes the old certificate: one not reported lost is marked collected on the reissue
 *   day (reason `superseded`: a damaged one is handed back, き損), one reported lost stays so.
 */
import type { Kysely } from 'kysely';
import type { CertificateApplicationInput, CertificateIssued, ReissueInput } from '../../contract/certificates.js';
import type { CertificateApplicationDecision, CertificateRefusalWhy } from '../../domain/applications.js';
import {
  CERTIFICATE_APPLICATION_REASONS,
  decideCertificateApplication,
  type LegacyCardLossEffects,
  legacyCardLossEffects,
} from '../../domain/applications.js';
import { ShikakuError } from '../../domain/codes.js';
import type { IsoDate } from '../../domain/dates.js';
import { assertCertificateDate } from '../../domain/issuance.js';
import { certificateValidUntil } from '../../domain/proofs.js';
import { exOfficioOptionsOn } from '../../domain/transition-policy.js';
import type { CertificateKind, Database } from '../../store/schema.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { newId, nowIso, type ServiceContext, today } from '../context.js';
import { type DocumentRole, loadMemberFor, lockInsurer } from '../document-scope.js';
import {
  type CertificateRow,
  gatherMemberFacts,
  type IssuancePolicy,
  type MemberRow,
  policyOfRow,
} from '../issuance-facts.js';
import { markCollected } from './collect.js';
import { insertCertificate } from './issue.js';
import { certificateState, loadCertificateFor, reissuable } from './view.js';

const WHY: Readonly<Record<CertificateRefusalWhy, { ja: string; en: string }>> = {
  unknown_reason: {
    ja: `申請理由は ${CERTIFICATE_APPLICATION_REASONS.join('・')} のいずれかです`,
    en: `the reason must be one of ${CERTIFICATE_APPLICATION_REASONS.join(', ')}`,
  },
  not_eligible: { ja: '申請日に資格がありません', en: 'the member is not covered on recordedOn' },
  certificate_held: {
    ja: '有効な資格確認書を既に交付しています',
    en: 'the member already holds a usable eligibility certificate',
  },
  valid_legacy_card: {
    ja: '有効な健康保険証をお持ちのため、移行期間前は交付しません',
    en: 'the member holds a valid legacy card (before the transition window)',
  },
  usable_myna_card: {
    ja: 'マイナ保険証を利用できるため、「念のため」の交付はできません',
    en: 'the member can use a My Number insurance card: no certificate "just in case"',
  },
  reissue_required: {
    ja: '紛失届の出ている資格確認書は再交付（certificate_lost・手数料あり）で申請してください',
    en: 'the certificate held was reported lost: apply for a reissue (certificate_lost, fee applies)',
  },
  reason_not_applicable: {
    ja: '申請理由が加入者の状況に当てはまりません',
    en: "the reason given does not match the member's situation",
  },
};

type Refused = Extract<CertificateApplicationDecision, { accepted: false }>;

function refusalError(
  refused: Refused,
  applicationId: string,
  lossEffects: LegacyCardLossEffects | null,
): ShikakuError {
  return new ShikakuError(
    refused.code,
    {
      applicationId,
      why: refused.why,
      ...(refused.suggestedReason ? { suggestedReason: refused.suggestedReason } : {}),
      // The 滅失・き損届 stands even when no certificate is issued: say so, and what to tell the member.
      ...(lossEffects ? { legacyCardLost: legacyCardLostAnswer(lossEffects) } : {}),
    },
    WHY[refused.why],
  );
}

type ApplicationOutcome =
  | { issued: CertificateIssued }
  | { refused: Refused; applicationId: string; lossEffects: LegacyCardLossEffects | null };

function legacyCardLostAnswer(effects: LegacyCardLossEffects): NonNullable<CertificateIssued['legacyCardLost']> {
  return { recordedLostOn: effects.recordLegacyCardLostOn, advice: effects.advice };
}

/**
 * Records the legacy card(s) still in use as lost on `on` (reason legacy_card_lost, issue #16 point 4):
 * from that day they no longer verify (LEGACY_CARD_REPORTED_LOST).
 */
async function recordLegacyCardLost(trx: Kysely<Database>, memberId: string, on: IsoDate): Promise<void> {
  await trx
    .updateTable('legacy_cards')
    .set({ reported_lost_on: on })
    .where('member_id', '=', memberId)
    .where('issued_on', '<=', on)
    .where('reported_lost_on', 'is', null)
    .where('returned_on', 'is', null)
    .where('disposed_on', 'is', null)
    .execute();
}

/**
 * Decides and records one application inside `trx` (insurer locked by the caller): the application
 * row, then either the certificate (superseding `target` on a reissue) or the refusal.
 */
async function decideAndRecord(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  member: MemberRow,
  policy: IssuancePolicy,
  reason: string,
  recordedOn: IsoDate,
  target: CertificateRow | null,
): Promise<ApplicationOutcome> {
  const { facts } = await gatherMemberFacts(trx, member, recordedOn);
  const applicationFacts = { ...facts, reissueFeeYen: policy.reissueFeeYen };
  const decision = decideCertificateApplication(
    reason,
    applicationFacts,
    recordedOn,
    exOfficioOptionsOn(policy.transitionPolicy, recordedOn),
  );
  const lossEffects =
    reason === 'legacy_card_lost' ? legacyCardLossEffects(applicationFacts, decision, recordedOn) : null;
  if (lossEffects?.recordLegacyCardLostOn) {
    await recordLegacyCardLost(trx, member.id, lossEffects.recordLegacyCardLostOn);
  }
  const applicationId = newId();
  const at = nowIso(ctx);
  // The application is decided on receipt: refused or approved, only its code and payload differ.
  const recordApplication = (state: 'refused' | 'approved', refusalCode: string | null, payload: object) =>
    trx
      .insertInto('applications')
      .values({
        id: applicationId,
        member_id: member.id,
        insurer_number: member.insurer_number,
        kind: 'certificate',
        reason,
        received_on: recordedOn,
        decided_on: recordedOn,
        created_at: at,
        state,
        refusal_code: refusalCode,
        payload: JSON.stringify(payload),
      })
      .execute();
  if (!decision.accepted) {
    await recordApplication('refused', decision.code, {
      recordedOn,
      why: decision.why,
      suggestedReason: decision.suggestedReason ?? null,
    });
    await appendAudit(trx, ctx.store.dialect, actor, at, {
      action: 'application.refuse',
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { applicationId, kind: 'certificate', reason, code: decision.code, why: decision.why },
    });
    return { refused: decision, applicationId, lossEffects };
  }

  let superseded: CertificateRow | null = null;
  if (decision.supersedes === 'previous_certificate') {
    // The newest certificate still held, unless the caller named one (POST …/{id}:reissue).
    superseded = target ?? (await heldCertificate(trx, member.id, recordedOn));
    if (superseded && superseded.reported_lost_on === null) {
      superseded = await markCollected(trx, ctx, actor, superseded, 'superseded', recordedOn, recordedOn);
    }
  }
  const validUntil = certificateValidUntil(policy.certificatePolicy, recordedOn);
  const kind: CertificateKind = superseded ? 'reissue' : 'on_application';
  const approved = { recordedOn, feeYen: decision.fee, supersedesId: superseded?.id ?? null };
  await recordApplication('approved', null, approved);
  const cert = await insertCertificate(trx, ctx, actor, {
    member,
    issuedOn: recordedOn,
    validUntil,
    reason,
    kind,
    feeYen: decision.fee,
    supersedesId: superseded?.id ?? null,
    applicationId,
  });
  await trx
    .updateTable('applications')
    .set({ payload: JSON.stringify({ ...approved, certificateId: cert.id }) })
    .where('id', '=', applicationId)
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: 'application.approve',
    insurerNumber: member.insurer_number,
    memberId: member.id,
    detail: { applicationId, kind: 'certificate', reason, certificateId: cert.id, feeYen: decision.fee },
  });
  return {
    issued: {
      applicationId,
      certificateId: cert.id,
      memberId: member.id,
      reason,
      kind,
      issuedOn: recordedOn,
      validUntil,
      feeYen: decision.fee,
      supersedesId: superseded?.id ?? null,
      ...(lossEffects ? { legacyCardLost: legacyCardLostAnswer(lossEffects) } : {}),
    },
  };
}

const APPLY_ROLES: readonly DocumentRole[] = ['admin', 'employer', 'member'];

/**
 * A 資格確認書 on application (DESIGN.md §5.2; CODES.md reasons): decided by
 * `decideCertificateApplication` on `recordedOn`. Refused with CERTIFICATE_NOT_NEEDED (a usable
 * マイナ保険証 or certificate already held), CERTIFICATE_REASON_INVALID (with `suggestedReason` when the
 * data tells one) or CONFLICT_MEMBER_STATE (not covered); the refusal is recorded all the same.
 * `certificate_lost` is a reissue of the certificate held, with the association's fee.
 */
export async function applyForCertificate(
  ctx: ServiceContext,
  actor: Actor,
  input: CertificateApplicationInput,
): Promise<CertificateIssued> {
  const recordedOn = input.recordedOn ?? today(ctx);
  // Scope first: nothing about the member (not even a date check) is told to someone who may not see it.
  await loadMemberFor(ctx.store.db, actor, input.memberId, APPLY_ROLES);
  assertCertificateDate(recordedOn);
  return decideInTransaction(ctx, actor, input.reason, recordedOn, async (trx) => ({
    member: await loadMemberFor(trx, actor, input.memberId, APPLY_ROLES),
    target: null,
  }));
}

/**
 * Reissue of this certificate after loss, theft or damage (滅失・き損; RULES.md §2): the association's
 * fee is recorded (never refunded) and the old certificate is superseded. The certificate must still
 * be held on `recordedOn` (issued, not collected, within validity): else CONFLICT_CERTIFICATE_STATE.
 */
export async function reissueCertificate(
  ctx: ServiceContext,
  actor: Actor,
  certificateId: string,
  input: ReissueInput,
): Promise<CertificateIssued> {
  const recordedOn = input.recordedOn ?? today(ctx);
  await loadCertificateFor(ctx.store.db, actor, certificateId, ['admin', 'member']);
  assertCertificateDate(recordedOn);
  return decideInTransaction(ctx, actor, 'certificate_lost', recordedOn, async (trx) => {
    const { cert, member } = await loadCertificateFor(trx, actor, certificateId, ['admin', 'member']);
    if (!reissuable(cert, recordedOn)) {
      throw certificateState(
        'only a certificate still held (issued, not collected, within its validity) can be reissued',
        '交付済みで回収されておらず有効期限内の資格確認書のみ再交付できます',
        { certificateId, recordedOn },
      );
    }
    return { member, target: cert };
  });
}

/**
 * Loads the member (and the certificate to supersede) in one transaction, decides and records under
 * the association's lock; a refusal is thrown once its record is committed.
 */
async function decideInTransaction(
  ctx: ServiceContext,
  actor: Actor,
  reason: string,
  recordedOn: IsoDate,
  load: (trx: Kysely<Database>) => Promise<{ member: MemberRow; target: CertificateRow | null }>,
): Promise<CertificateIssued> {
  const { db, dialect } = ctx.store;
  const outcome = await db.transaction().execute(async (trx) => {
    const { member, target } = await load(trx);
    const policy = policyOfRow(await lockInsurer(trx, dialect, member.insurer_number));
    return decideAndRecord(trx, ctx, actor, member, policy, reason, recordedOn, target);
  });
  if ('refused' in outcome) throw refusalError(outcome.refused, outcome.applicationId, outcome.lossEffects);
  return outcome.issued;
}

/** The member's newest 資格確認書 still held on `on` (same-day ones in recording order), or null. */
async function heldCertificate(trx: Kysely<Database>, memberId: string, on: IsoDate): Promise<CertificateRow | null> {
  const rows = await trx
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_on', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.find((c) => reissuable(c, on)) ?? null;
}
