/**
 * Online verification (オンライン資格確認) for a reception: gathers what the hub knew on `asOf`, lets
 * the domain decide (src/domain/verification.ts), shapes the provider's answer and records the
 * disclosure. DESIGN.md §5.1; RULES.md §1, §4–§7; CODES.md.
 *
 * The steps live in src/services/verification/: by-card, by-number (with document-evidence), probing,
 * shape, record. The request and answer are src/contract/verification.ts: a provider never receives a
 * My Number or any part of it (RULES.md §5).
 */
import type {
  BatchVerificationAnswer,
  BatchVerificationItem,
  BatchVerificationResult,
  VerificationAnswer,
  VerificationRequest,
} from '../contract/verification.js';
import { reason, ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { QualificationFacts } from '../domain/verification.js';
import { type Actor, providerCodeOf } from './actor.js';
import { newId, type ServiceContext, today } from './context.js';
import { type DisclosureRecord, recordDisclosure } from './disclosure-log.js';
import { gatherByCard } from './verification/by-card.js';
import { gatherByNumber } from './verification/by-number.js';
import type { Gathered } from './verification/gathered.js';
import { countMiss } from './verification/miss-count.js';
import { assertNotLocked, isMiss, missAnswer } from './verification/probing.js';
import { verificationRecord } from './verification/record.js';
import { disclosable, shapeQualification } from './verification/shape.js';

// The request and answer types of the contract, for the service's callers (CLI, bench, tests).
export type {
  CardVerificationRequest,
  NumberVerificationRequest,
  VerificationAnswer,
  VerificationRequest,
  VerifiedQualification,
} from '../contract/verification.js';
// The FHIR shell shows the same ratio date as the answer.
export { ratioDateFor } from './verification/shape.js';

/** An answer, the record that must commit before it leaves, and a miss being counted (probing.ts). */
interface Answered {
  answer: VerificationAnswer;
  record: DisclosureRecord;
  miss: Promise<void> | null;
  /** The answer when the record's challenge is refused at commit (by card). */
  refused?: VerificationAnswer;
}

/** The answer to `decision` and the qualification it discloses, shaped for the provider. */
async function shapeAnswer(
  ctx: ServiceContext,
  request: VerificationRequest,
  gathered: Gathered,
  asOf: IsoDate,
  verificationId: string,
): Promise<{ decided: VerificationAnswer; chosen: QualificationFacts | null }> {
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
      household: gathered.household,
    });
    qualification = shaped.qualification;
    if (shaped.limitWithheld) reasons.push(reason('CONSENT_NOT_GIVEN'));
  }
  const decided: VerificationAnswer = {
    outcome: decision.outcome,
    reasons,
    fallbacks: decision.fallbacks,
    qualification,
    ...(decision.reader === undefined ? {} : { reader: decision.reader }),
    verificationId,
  };
  return { decided, chosen };
}

/** Decides and shapes one verification; writes nothing itself but queues a miss by number. */
async function answerOne(
  ctx: ServiceContext,
  actor: Actor,
  providerCode: string,
  request: VerificationRequest,
): Promise<Answered> {
  const asOf = request.asOf ?? today(ctx);
  const person =
    request.method === 'number'
      ? { insurerNumber: request.insurerNumber, symbol: request.symbol, number: request.number }
      : null;
  if (person) await assertNotLocked(ctx, providerCode, person);
  const gathered =
    request.method === 'card'
      ? await gatherByCard(ctx, providerCode, request, asOf)
      : await gatherByNumber(ctx.store.db, request, asOf);
  const { decision, entries } = gathered;
  const verificationId = newId();
  const { decided, chosen } = await shapeAnswer(ctx, request, gathered, asOf, verificationId);
  const record = verificationRecord(ctx, actor, providerCode, request.method, asOf, decided, chosen);
  if (gathered.challenge) {
    // One of the two is written, under the same id: the commit's UPDATE of the challenge decides.
    const refused = await shapeAnswer(
      ctx,
      request,
      { decision: gathered.challenge.refused, entries: [] },
      asOf,
      verificationId,
    );
    record.challenge = {
      claim: gathered.challenge.claim,
      refused: verificationRecord(ctx, actor, providerCode, request.method, asOf, refused.decided, refused.chosen),
    };
    return { answer: decided, record, miss: null, refused: refused.decided };
  }
  // A miss tells the provider no more than "no match"; the record keeps the real reason.
  if (person && request.method === 'number' && isMiss(decision, entries, request.birthDate)) {
    const miss = countMiss(ctx, actor, providerCode, person);
    return { answer: { ...decided, ...missAnswer() }, record, miss };
  }
  return { answer: decided, record, miss: null };
}

/**
 * Answers one verification (DESIGN.md §5.1) and records it: a `verifications` row and an audit
 * record, in one transaction, whatever the outcome. Only request errors throw (FORBIDDEN,
 * VERIFICATION_LOCKED).
 */
export async function verify(
  ctx: ServiceContext,
  actor: Actor,
  request: VerificationRequest,
): Promise<VerificationAnswer> {
  const { answer, record, miss, refused } = await answerOne(ctx, actor, providerCodeOf(actor), request);
  const [held] = await Promise.all([recordDisclosure(ctx.store, record), miss]);
  return held || refused === undefined ? answer : refused;
}

/**
 * A batch of checks by 記号・番号 (OQS 一括照会): each answered as `verify` answers it, in order. A
 * check waits for the miss of an earlier check of the same person to be counted, so a lock engaged
 * by the batch stops the checks that follow. The records and misses are written set-wise, a
 * transaction per group (src/services/disclosure-log.ts, miss-count.ts), and all are committed
 * before the batch is answered. A check refused as a single request would be (a lock) carries that
 * error instead of an answer.
 */
export async function verifyBatch(
  ctx: ServiceContext,
  actor: Actor,
  items: readonly BatchVerificationItem[],
): Promise<BatchVerificationAnswer> {
  const providerCode = providerCodeOf(actor);
  const results: BatchVerificationResult[] = [];
  const writes: Promise<unknown>[] = [];
  // Caught at once: a group may fail while later checks are still being answered.
  const failures: unknown[] = [];
  const settled = (write: Promise<unknown>) => write.catch((error: unknown) => void failures.push(error));
  const missOf = new Map<string, Promise<unknown>>();
  for (const { ref, ...request } of items) {
    const person = `${request.insurerNumber}|${request.symbol}|${request.number}`;
    await missOf.get(person);
    try {
      const { answer, record, miss } = await answerOne(ctx, actor, providerCode, request);
      writes.push(settled(recordDisclosure(ctx.store, record)));
      if (miss) missOf.set(person, settled(miss));
      results.push({ ref, answer, error: null });
    } catch (error) {
      if (!(error instanceof ShikakuError) || error.status >= 500) throw error;
      results.push({
        ref,
        answer: null,
        error: { code: error.code, status: error.status, ja: error.ja, en: error.message },
      });
    }
  }
  await Promise.all([...writes, ...missOf.values()]);
  if (failures.length > 0) throw failures[0];
  return { items: results };
}
