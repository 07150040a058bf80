import type { VerificationAnswer, VerificationRequest } from '../../contract/verification.js';
import type { IsoDate } from '../../domain/dates.js';
import type { QualificationFacts } from '../../domain/verification.js';
import type { Actor } from '../actor.js';
import { nowIso, type ServiceContext } from '../context.js';
import { recordDisclosure } from '../disclosure-log.js';

/**
 * Records an answered verification: its `verifications` row and its audit record, committed together
 * before the answer leaves (src/services/disclosure-log.ts groups them with the others in flight).
 * Only codes, never the answer's personal data, go into the record.
 */
export async function recordVerification(
  ctx: ServiceContext,
  actor: Actor,
  providerCode: string,
  method: VerificationRequest['method'],
  asOf: IsoDate,
  answer: VerificationAnswer,
  chosen: QualificationFacts | null,
): Promise<void> {
  const at = nowIso(ctx);
  const codes = answer.reasons.map((r) => r.code);
  await recordDisclosure(ctx.store, {
    verification: {
      id: answer.verificationId,
      provider_code: providerCode,
      method,
      as_of: asOf,
      outcome: answer.outcome,
      reasons: JSON.stringify(codes),
      member_id: chosen?.memberId ?? null,
      reader: answer.reader ?? null,
      insurer_number: chosen?.insurerNumber ?? null,
      created_at: at,
    },
    actor,
    at,
    audit: {
      action: 'verification',
      insurerNumber: chosen?.insurerNumber ?? null,
      memberId: chosen?.memberId ?? null,
      detail: {
        verificationId: answer.verificationId,
        method,
        asOf,
        outcome: answer.outcome,
        reasons: codes,
        providerCode,
      },
    },
  });
}
