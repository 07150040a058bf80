/**
 * 基準収入額適用 approved (issue #16 point 1; elderly-income.ts): the approval day becomes a fact of the
 * household's insured, as a new member version, so the verification answer, the お知らせ and the
 * 資格確認書 read 2割 / 一般 from the 1st of the next month (`standardIncomeEffectiveFrom`).
 */
import type { Kysely } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import { type IsoDate, maxDate } from '../domain/dates.js';
import type { MemberFacts } from '../domain/member.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';
import type { MemberRow } from './issuance-facts.js';

/**
 * Records the approval on the insured of `member`'s household (a dependent's application is the
 * household's). Returns the insured's id. CONFLICT_MEMBER_STATE when the insured's record has a change
 * recorded after `approvedOn` (versions are written in date order).
 */
export async function recordStandardIncomeApproval(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  member: MemberRow,
  approvedOn: IsoDate,
  applicationId: string,
): Promise<string> {
  const insuredId = member.relationship === 'insured' ? member.id : (member.insured_member_id ?? member.id);
  const insured = await trx
    .selectFrom('members as m')
    .innerJoin('member_versions as mv', (j) =>
      j.onRef('mv.member_id', '=', 'm.id').onRef('mv.version', '=', 'm.version'),
    )
    .select([
      'm.id',
      'm.insurer_number',
      'm.version',
      'm.recorded_on',
      'mv.hub_available_on',
      'mv.hub_status',
      'mv.hub_mismatch_fields',
      'mv.facts',
    ])
    .where('m.id', '=', insuredId)
    .executeTakeFirstOrThrow();
  if (approvedOn < insured.recorded_on) {
    throw new ShikakuError(
      'CONFLICT_MEMBER_STATE',
      { memberId: insuredId, recordedOn: insured.recorded_on },
      {
        ja: `決定日が被保険者の前回の記録日（${insured.recorded_on}）より前です`,
        en: `decidedOn is before the insured's last recorded change (${insured.recorded_on})`,
      },
    );
  }
  const facts: MemberFacts = { ...(JSON.parse(insured.facts) as MemberFacts), standardIncomeApprovedOn: approvedOn };
  const version = Number(insured.version) + 1;
  // The association's own fact, nothing for the hub to wait for: usable from the day it is decided.
  const hubAvailableOn = maxDate(approvedOn, insured.hub_available_on);
  const at = nowIso(ctx);
  await trx
    .insertInto('member_versions')
    .values({
      member_id: insuredId,
      insurer_number: insured.insurer_number,
      version,
      notification_id: null,
      recorded_on: approvedOn,
      hub_available_on: hubAvailableOn,
      hub_status: insured.hub_status,
      hub_mismatch_fields: insured.hub_mismatch_fields,
      facts: JSON.stringify(facts),
      created_at: at,
    })
    .execute();
  await trx
    .updateTable('members')
    .set({
      version,
      recorded_on: approvedOn,
      hub_available_on: hubAvailableOn,
      standard_income_approved_on: approvedOn,
    })
    .where('id', '=', insuredId)
    .execute();
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: 'member.standard_income',
    insurerNumber: insured.insurer_number,
    memberId: insuredId,
    detail: { applicationId, approvedOn, version },
  });
  return insuredId;
}
