import type { VerificationAnswer, VerificationRequest } from '../../contract/verification.js';
import type { IsoDate } from '../../domain/dates.js';
import type { QualificationFacts } from '../../domain/verification.js';
import type { Actor } from '../actor.js';
import { nowIso, type ServiceContext } from '../context.js';
import type { DisclosureRecord } from '../disclosure-log.js';

/**
 * The record of an answered verification: its `verifications` row and its audit record, committed
 * together before the answer leaves (src/services/disclosure-log.ts groups them with the others in
 * flight). `decided` is the answer as decided, with its real reasons, even where the provider was
 * told less (a miss by number: src/services/verification/probing.ts). Only codes, never the answer's
 * personal data, go into the record.
 */
export function verificationRecord(
  ctx: ServiceContext,
  actor: Actor,
  providerCode: string,
  method: VerificationRequest['method'],
  asOf: IsoDate,
  decided: Pick<VerificationAnswer, 'verificationId' | 'outcome' | 'reasons' | 'reader'>,
  chosen: QualificationFacts | null,
): DisclosureRecord {
  const at = nowIso(ctx);
  const codes = decided.reasons.map((r) => r.code);
  return {
    verification: {
      id: decided.verificationId,
      provider_code: providerCode,
      method,
      as_of: asOf,
      outcome: decided.outcome,
      reasons: JSON.stringify(codes),
      member_id: chosen?.memberId ?? null,
      reader: decided.reader ?? null,
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
        verificationId: decided.verificationId,
        method,
        asOf,
        outcome: decided.outcome,
        reasons: codes,
        providerCode,
      },
    },
  };
}
