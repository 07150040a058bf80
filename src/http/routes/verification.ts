import { z } from 'zod';
import {
  branch,
  codedMessage,
  insurerNumber,
  isoDate,
  memberNumber,
  problem,
  sex,
  symbol,
} from '../../contract/common.js';
import { LIMIT_CATEGORY_OQS_CODES, type LimitCategory } from '../../domain/limits.js';
import { issueChallenge } from '../../services/challenges.js';
import { type VerificationAnswer, type VerificationRequest, verify } from '../../services/verification.js';
import { actorOf, type RouteModule } from '../kit.js';

/** Per-category consent, as OQS asks it; a category left out is not given. */
const consent = z
  .strictObject({
    medication: z.boolean().optional(),
    healthCheckups: z.boolean().optional(),
    limitInfo: z.boolean().optional().describe('limit category and 特定疾病 data are returned only with it'),
  })
  .describe('what the patient agreed to share');

const cardRequest = z.strictObject({
  method: z.literal('card'),
  asOf: isoDate.optional().describe('answer as the hub would have on this day (default: today in Japan)'),
  card: z.strictObject({
    certificate: z.string().min(1).max(16_384).describe('the user certificate, PEM'),
    challenge: z.string().min(1).max(256).describe('from GET /api/v1/verifications/challenge'),
    signature: z.string().min(1).max(4_096).describe("the card's signature of the challenge, base64"),
  }),
  identityCheck: z.enum(['face', 'pin', 'visual']),
  consent: consent.optional(),
});

const numberRequest = z.strictObject({
  method: z.literal('number'),
  asOf: isoDate.optional().describe('answer as the hub would have on this day (default: today in Japan)'),
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
  consent: consent.optional(),
});

/** The body of POST /api/v1/verifications (DESIGN.md §5.1), checked against the service's type. */
export const verificationRequest = z.discriminatedUnion('method', [
  cardRequest,
  numberRequest,
]) satisfies z.ZodType<VerificationRequest>;

const limitCategories = Object.keys(LIMIT_CATEGORY_OQS_CODES) as [LimitCategory, ...LimitCategory[]];

/**
 * The answer. Not strict on purpose: serialisation keeps only the fields declared here, so nothing
 * undeclared (a My Number above all) can reach a provider even if a service put it in.
 */
export const verificationAnswer = z.object({
  outcome: z.enum(['eligible', 'ineligible', 'not_found', 'ambiguous']),
  reasons: z.array(codedMessage),
  fallbacks: z.array(codedMessage),
  qualification: z
    .object({
      insurerNumber: z.string(),
      insurerName: z.string(),
      symbol: z.string(),
      number: z.string(),
      branch: z.string(),
      relationship: z.enum(['insured', 'dependent']),
      name: z.string(),
      nameKana: z.string(),
      birthDate: z.string(),
      sex,
      acquiredOn: z.string(),
      lostOn: z.string().nullable(),
      burdenRatio: z.union([z.literal(10), z.literal(20), z.literal(30)]).nullable(),
      limitCategory: z.enum(limitCategories).nullable(),
      specificDisease: z.array(
        z.object({
          category: z.string(),
          monthlyLimitYen: z.number(),
          validFrom: z.string(),
          validUntil: z.string().nullable(),
        }),
      ),
    })
    .nullable(),
  verificationId: z.string(),
}) satisfies z.ZodType<VerificationAnswer>;

export const challengeAnswer = z.object({
  challenge: z.string().describe('base64 of 32 random bytes: have the card sign it'),
  expiresAt: z.string().describe('ISO instant; single use, valid 5 minutes'),
});

const errors = { 400: problem, 401: problem, 403: problem };

/** オンライン資格確認 for reception terminals (role provider). DESIGN.md §5.1. */
export const verificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/verifications/challenge',
    {
      config: { roles: ['provider'] },
      schema: {
        tags: ['verification'],
        summary: 'A fresh challenge for the card to sign (single use, 5 minutes)',
        response: { 200: challengeAnswer, ...errors },
      },
    },
    async (request) => issueChallenge(ctx, actorOf(request)),
  );

  app.post(
    '/api/v1/verifications',
    {
      config: { roles: ['provider'] },
      schema: {
        tags: ['verification'],
        summary: 'Verify eligibility by card or by 記号・番号 (200 for every answered query)',
        body: verificationRequest,
        response: { 200: verificationAnswer, ...errors },
      },
    },
    async (request) => verify(ctx, actorOf(request), request.body),
  );
};
