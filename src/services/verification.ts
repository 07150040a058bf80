/**
 * Online verification (オンライン資格確認) for a reception: gathers what the hub knew on `asOf`, lets
 * the domain decide (src/domain/verification.ts), shapes the provider's answer and records the
 * disclosure. DESIGN.md §5.1; RULES.md §1, §4–§7; CODES.md.
 *
 * The steps live in src/services/verification/: by-card, by-number (with document-evidence), shape,
 * record. The request and answer are src/contract/verification.ts: a provider never receives a My
 * Number or any part of it (RULES.md §5).
 */
import type { VerificationAnswer, VerificationRequest } from '../contract/verification.js';
import { reason } from '../domain/codes.js';
import { type Actor, providerCodeOf } from './actor.js';
import { newId, type ServiceContext, today } from './context.js';
import { gatherByCard } from './verification/by-card.js';
import { gatherByNumber } from './verification/by-number.js';
import { recordVerification } from './verification/record.js';
import { disclosable, shapeQualification } from './verification/shape.js';

export type {
  CardVerificationRequest,
  NumberVerificationRequest,
  VerificationAnswer,
  VerificationConsent,
  VerificationRequest,
  VerifiedQualification,
} from '../contract/verification.js';
// The FHIR shell shows the same ratio date as the answer.
export { ratioDateFor } from './verification/shape.js';

/**
 * Answers one verification (DESIGN.md §5.1) and records it: a `verifications` row and an audit
 * record, in one transaction, whatever the outcome. Only request errors throw (FORBIDDEN).
 */
export async function verify(
  ctx: ServiceContext,
  actor: Actor,
  request: VerificationRequest,
): Promise<VerificationAnswer> {
  const providerCode = providerCodeOf(actor);
  const asOf = request.asOf ?? today(ctx);
  const gathered =
    request.method === 'card'
      ? await gatherByCard(ctx, providerCode, request, asOf)
      : await gatherByNumber(ctx.store.db, request, asOf);
  const { decision, entries, certifications } = gathered;

  const reasons = [...decision.reasons];
  let qualification: VerificationAnswer['qualification'] = null;
  const chosen = disclosable(decision);
  if (chosen) {
    const shaped = await shapeQualification(ctx.store.db, chosen, entries, asOf, {
      // The limit category matters only for care the qualification covers: never shown when ineligible.
      limitCategory: decision.outcome === 'eligible',
      limitConsent: request.consent?.limitInfo === true,
      certifications,
    });
    qualification = shaped.qualification;
    if (shaped.limitWithheld) reasons.push(reason('CONSENT_NOT_GIVEN'));
  }

  const answer: VerificationAnswer = {
    outcome: decision.outcome,
    reasons,
    fallbacks: decision.fallbacks,
    qualification,
    ...(decision.reader === undefined ? {} : { reader: decision.reader }),
    verificationId: newId(),
  };
  await recordVerification(ctx, actor, providerCode, request.method, asOf, answer, chosen);
  return answer;
}
