/**
 * オンライン資格確認 (DESIGN.md §5.1): the challenge, the request by card or by 記号・番号, and the
 * answer a provider receives. The service, the route, the FHIR shell and the reception screen share
 * these definitions.
 *
 * Privacy: a provider never receives a My Number or any part of it (RULES.md §5, seed 001 Q9). The
 * answer has no field that could carry one (checked at compile time by `_noMyNumberInAnswer`), its
 * objects are not strict so serialisation drops any field they do not declare, and the tests scan the
 * serialised answer.
 */
import { z } from 'zod';
import type { BurdenRatio } from '../domain/burden.js';
import { LIMIT_CATEGORY_OQS_CODES, type LimitCategory } from '../domain/limits.js';
import { CARD_READERS } from '../domain/readers.js';
import type { Outcome } from '../domain/verification.js';
import { branch, codedMessage, insurerNumber, isoDate, memberNumber, symbol } from './common.js';
import { qualifiedPersonShape } from './members.js';

// --- the challenge -----------------------------------------------------------------------------------

/** GET /api/v1/verifications/challenge (and the portal login's challenge). */
export const issuedChallengeSchema = z.object({
  challenge: z.string().describe('base64 of 32 random bytes: have the card sign it'),
  expiresAt: z.string().describe('ISO instant; single use, valid 5 minutes'),
});
export type IssuedChallenge = z.output<typeof issuedChallengeSchema>;

// --- the request ---------------------------------------------------------------------------------------

/** Per-category consent, as OQS asks it; a category left out is not given. */
export const verificationConsentSchema = z
  .strictObject({
    medication: z.boolean().optional(),
    healthCheckups: z.boolean().optional(),
    limitInfo: z.boolean().optional().describe('limit category and 特定疾病 data are returned only with it'),
  })
  .describe('what the patient agreed to share');
export type VerificationConsent = z.output<typeof verificationConsentSchema>;

const asOf = isoDate.optional().describe('answer as the hub would have on this day (default: today in Japan)');

/** By マイナ保険証 (card or smartphone): the card signed a challenge from GET …/challenge. */
export const cardVerificationRequestSchema = z.strictObject({
  method: z.literal('card'),
  asOf,
  card: z.strictObject({
    certificate: z.string().min(1).max(16_384).describe('the user certificate, PEM'),
    challenge: z.string().min(1).max(256).describe('from GET /api/v1/verifications/challenge'),
    signature: z.string().min(1).max(4_096).describe("the card's signature of the challenge, base64"),
  }),
  identityCheck: z.enum(['face', 'pin', 'visual']),
  reader: z
    .enum(CARD_READERS)
    .optional()
    .describe('顔認証付きカードリーダー (faceReader) or 汎用カードリーダー (genericReader: PIN or visual check only)'),
  consent: verificationConsentSchema.optional(),
});
export type CardVerificationRequest = z.output<typeof cardVerificationRequestSchema>;

/** By 記号・番号 shown on a 資格確認書, a legacy 健康保険証 or a 資格情報のお知らせ. */
export const numberVerificationRequestSchema = z.strictObject({
  method: z.literal('number'),
  asOf,
  document: z
    .enum(['certificate', 'legacy_card', 'notice'])
    .describe(
      '資格確認書, legacy 健康保険証, or 資格情報のお知らせ shown with the マイナ保険証 (card not readable online)',
    ),
  insurerNumber,
  symbol,
  number: memberNumber,
  branch: branch.optional().describe('枝番; without it the birth date picks the household member'),
  birthDate: isoDate,
  consent: verificationConsentSchema.optional(),
});
export type NumberVerificationRequest = z.output<typeof numberVerificationRequestSchema>;

/** The body of POST /api/v1/verifications. */
export const verificationRequestSchema = z.discriminatedUnion('method', [
  cardVerificationRequestSchema,
  numberVerificationRequestSchema,
]);
export type VerificationRequest = z.output<typeof verificationRequestSchema>;

// --- the answer ----------------------------------------------------------------------------------------

const limitCategories = Object.keys(LIMIT_CATEGORY_OQS_CODES) as [LimitCategory, ...LimitCategory[]];

/** 特定疾病 data from an approved application (issue #3), only with consent.limitInfo. */
export const specificDiseaseInfoSchema = z.object({
  category: z.string().describe('dialysis, hemophilia or hiv (OQS codes 1–3)'),
  monthlyLimitYen: z.number(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
});
export type SpecificDiseaseInfo = z.output<typeof specificDiseaseInfoSchema>;

/** The qualification disclosed to a provider. Deliberately no My Number, last-4 or index field. */
export const verifiedQualificationSchema = z.object({
  insurerNumber: z.string(),
  insurerName: z.string(),
  ...qualifiedPersonShape,
  burdenRatio: z
    .union([z.literal(10), z.literal(20), z.literal(30)])
    .nullable()
    .describe('percent; null only when it cannot be known') satisfies z.ZodType<BurdenRatio | null>,
  limitCategory: z.enum(limitCategories).nullable().describe('only with consent.limitInfo'),
  specificDisease: z.array(specificDiseaseInfoSchema),
});
export type VerifiedQualification = z.output<typeof verifiedQualificationSchema>;

/** The answer of POST /api/v1/verifications (200 for every answered query). */
export const verificationAnswerSchema = z.object({
  outcome: z.enum(['eligible', 'ineligible', 'not_found', 'ambiguous']) satisfies z.ZodType<Outcome>,
  reasons: z.array(codedMessage),
  fallbacks: z.array(codedMessage),
  qualification: verifiedQualificationSchema.nullable(),
  reader: z.enum(CARD_READERS).optional().describe('card answers: the reader the request named'),
  verificationId: z.string(),
});
export type VerificationAnswer = z.output<typeof verificationAnswerSchema>;

// --- batch verification (OQS 一括照会) ---------------------------------------------------------------

/** Checks in one batch at most. */
export const MAX_BATCH_VERIFICATIONS = 1_000;

/** One check of a batch: a number request as for POST /api/v1/verifications, with the client's reference. */
export const batchVerificationItemSchema = numberVerificationRequestSchema.extend({
  ref: z.string().min(1).max(64).describe("the client's reference for this check, echoed in its answer"),
});
export type BatchVerificationItem = z.output<typeof batchVerificationItemSchema>;

/** The body of POST /api/v1/verifications:batch. */
export const batchVerificationRequestSchema = z.strictObject({
  items: z.array(batchVerificationItemSchema).min(1).max(MAX_BATCH_VERIFICATIONS),
});
export type BatchVerificationRequest = z.output<typeof batchVerificationRequestSchema>;

/** The answer to one check, in request order: the single verification's answer, or its refusal. */
export const batchVerificationResultSchema = z.object({
  ref: z.string(),
  answer: verificationAnswerSchema.nullable().describe('as POST /api/v1/verifications answers it'),
  error: codedMessage
    .extend({ status: z.number() })
    .nullable()
    .describe('a check refused as the single request would be (e.g. VERIFICATION_LOCKED, 423)'),
});
export type BatchVerificationResult = z.output<typeof batchVerificationResultSchema>;

export const batchVerificationAnswerSchema = z.object({ items: z.array(batchVerificationResultSchema) });
export type BatchVerificationAnswer = z.output<typeof batchVerificationAnswerSchema>;

// --- probing alerts ------------------------------------------------------------------------------------

/** A provider locked out of a person after repeated misses (GET /api/v1/verification-alerts). */
export const verificationAlertSchema = z.object({
  id: z.string(),
  providerCode: z.string(),
  insurerNumber: z.string(),
  symbol: z.string(),
  number: z.string(),
  misses: z.number().describe('misses within the window that engaged the lock'),
  lockedAt: z.string().describe('ISO instant'),
  lockedUntil: z.string().describe('ISO instant'),
  active: z.boolean().describe('the lock still refuses queries'),
});
export type VerificationAlert = z.output<typeof verificationAlertSchema>;

export const verificationAlertsSchema = z.object({ alerts: z.array(verificationAlertSchema) });

/** Field names a provider answer must never have (RULES.md §5). */
type MyNumberKeys = 'myNumber' | 'myNumberLast4' | 'myNumberIndex' | 'myNumberEnc' | 'last4';
type AnswerKeys = keyof VerificationAnswer | keyof VerifiedQualification | keyof SpecificDiseaseInfo;
/** Compile-time guard: adding a My Number field to the answer breaks the build here. */
const _noMyNumberInAnswer: [Extract<AnswerKeys, MyNumberKeys>] extends [never] ? true : never = true;
void _noMyNumberInAnswer;
