import { personRegistrationState } from '../cards/records.js';
import type { ApplicationInput, ApplicationView } from '../contract/applications.js';
import { type OtherApplicationRequest, receiveApplication } from '../domain/applications.js';
import { ShikakuError } from '../domain/codes.js';
import type { StandardIncomeDeclaration } from '../domain/elderly-income.js';
import { coveredOn } from '../domain/issuance.js';
import type { ElderlyRecipientRefusal } from '../domain/paper-certificates.js';
import type { Actor } from './actor.js';
import { type ApplicationRow, applicationView, type Payload } from './applications.js';
import { appendAudit } from './audit.js';
import { newId, nowIso, type ServiceContext, today } from './context.js';
import { type DocumentRole, loadMemberFor } from './document-scope.js';
import { elderlyRecipientCertificateOn, elderlyRefusalError } from './paper-certificates.js';

const RECEIVE_ROLES: readonly DocumentRole[] = ['admin', 'member'];

type ReceiveRefusal =
  | 'CONFLICT_MEMBER_STATE'
  | 'CONFLICT_CARD_STATE'
  | 'NOTICE_REISSUE_NOT_NEEDED'
  | 'INCOME_ABOVE_STANDARD'
  | 'NOT_ELDERLY_RECIPIENT'
  | 'PAPER_CERTIFICATE_NOT_NEEDED';

function declarationOf(input: Extract<ApplicationInput, { kind: 'standard_income' }>): StandardIncomeDeclaration {
  return { annualIncome: input.annualIncome, otherElderlyIncomes: input.otherElderlyIncomes ?? [] };
}

/**
 * Receives an application (roles admin, member — a member for themselves or, as the insured, their
 * dependents). Refused at receipt, and recorded as refused: CONFLICT_MEMBER_STATE when the member is
 * not covered on `recordedOn`, CONFLICT_CARD_STATE for a 利用登録解除 without an active registration,
 * NOTICE_REISSUE_NOT_NEEDED when the portal can be used, INCOME_ABOVE_STANDARD for a 基準収入額適用申請
 * whose declared 年収 is not under the 基準収入額.
 */
export async function submitApplication(
  ctx: ServiceContext,
  actor: Actor,
  input: ApplicationInput,
): Promise<ApplicationView> {
  const on = input.recordedOn ?? today(ctx);
  const { db } = ctx.store;
  const outcome = await db.transaction().execute(async (trx) => {
    const member = await loadMemberFor(trx, actor, input.memberId, RECEIVE_ROLES);
    const covered =
      on < member.acquired_on ||
      coveredOn({ acquiredOn: member.acquired_on, lostOn: member.lost_on, birthDate: member.birth_date }, on);
    let request: OtherApplicationRequest;
    // Its refusal carries the why (マイナ保険証, or the 区分 printed on the 資格確認書) to the answer.
    let elderlyRefusal: ElderlyRecipientRefusal | null = null;
    switch (input.kind) {
      case 'registration_cancellation': {
        const registration =
          member.my_number_index === null ? 'never' : await personRegistrationState(trx, member.my_number_index, on);
        request = { kind: input.kind, registration };
        break;
      }
      case 'notice_reissue':
        request = { kind: input.kind, portalUsable: input.portalUsable };
        break;
      case 'specific_disease':
        request = { kind: input.kind, disease: input.disease };
        break;
      case 'standard_income':
        request = { kind: input.kind, declaration: declarationOf(input) };
        break;
      case 'elderly_recipient_certificate': {
        const decision = await elderlyRecipientCertificateOn(trx, member, on);
        elderlyRefusal = 'refused' in decision ? decision.refused : null;
        request = { kind: input.kind, refused: elderlyRefusal?.code ?? null };
        break;
      }
      default:
        request = { kind: input.kind };
    }
    const received = receiveApplication(request);
    const refusal: ReceiveRefusal | null = !covered
      ? 'CONFLICT_MEMBER_STATE'
      : received.received
        ? null
        : received.code;
    const at = nowIso(ctx);
    const row: ApplicationRow = {
      id: newId(),
      member_id: member.id,
      insurer_number: member.insurer_number,
      kind: input.kind,
      reason: input.kind === 'specific_disease' ? input.disease : null,
      state: refusal === null ? 'received' : 'refused',
      received_on: on,
      payload: JSON.stringify({
        recordedOn: on,
        ...(input.kind === 'notice_reissue' ? { portalUsable: input.portalUsable } : {}),
        ...(input.kind === 'standard_income' ? { declaration: declarationOf(input) } : {}),
      } satisfies Payload),
      decided_on: refusal === null ? null : on,
      refusal_code: refusal,
      created_at: at,
    };
    await trx.insertInto('applications').values(row).execute();
    await appendAudit(trx, ctx.store.dialect, actor, at, {
      action: refusal === null ? 'application.receive' : 'application.refuse',
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { applicationId: row.id, kind: row.kind, receivedOn: on, ...(refusal ? { code: refusal } : {}) },
    });
    return { row, refusal, elderlyRefusal };
  });
  if (outcome.refusal !== null && outcome.elderlyRefusal?.code === outcome.refusal) {
    throw elderlyRefusalError(outcome.elderlyRefusal, { applicationId: outcome.row.id, kind: input.kind });
  }
  if (outcome.refusal !== null) {
    throw new ShikakuError(outcome.refusal, { applicationId: outcome.row.id, kind: input.kind });
  }
  return applicationView(outcome.row);
}
