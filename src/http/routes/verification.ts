import { problem } from '../../contract/common.js';
import {
  batchVerificationAnswerSchema,
  batchVerificationRequestSchema,
  issuedChallengeSchema,
  verificationAlertsSchema,
  verificationAnswerSchema,
  verificationRequestSchema,
} from '../../contract/verification.js';
import { issueChallenge } from '../../services/challenges.js';
import { listVerificationAlerts } from '../../services/verification/probing.js';
import { verify, verifyBatch } from '../../services/verification.js';
import { actorOf, type RouteModule } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem };
const verifyErrors = { ...errors, 423: problem };

/**
 * オンライン資格確認 for reception terminals (role provider), single or batch, and the probing alerts
 * for the association (role admin). DESIGN.md §5.1.
 */
export const verificationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/verifications/challenge',
    {
      config: { roles: ['provider'] },
      schema: {
        tags: ['verification'],
        summary: 'A fresh challenge for the card to sign (single use, 5 minutes)',
        response: { 200: issuedChallengeSchema, ...errors },
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
        body: verificationRequestSchema,
        response: { 200: verificationAnswerSchema, ...verifyErrors },
      },
    },
    async (request) => verify(ctx, actorOf(request), request.body),
  );

  app.post(
    '/api/v1/verifications::batch',
    {
      config: { roles: ['provider'] },
      schema: {
        tags: ['verification'],
        summary: 'Verify up to 1,000 patients by 記号・番号 at once (OQS 一括照会)',
        description:
          'Each item is answered as POST /api/v1/verifications answers it, in request order, with its `ref`; ' +
          'an item refused as the single request would be (VERIFICATION_LOCKED) carries `error` instead of ' +
          '`answer`. Every answer is recorded before the batch is answered.',
        body: batchVerificationRequestSchema,
        response: { 200: batchVerificationAnswerSchema, ...errors },
      },
    },
    async (request) => verifyBatch(ctx, actorOf(request), request.body.items),
  );

  app.get(
    '/api/v1/verification-alerts',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['verification'],
        summary: "Providers locked out of a member's 記号・番号 after repeated mismatches (own association)",
        response: { 200: verificationAlertsSchema, ...errors },
      },
    },
    async (request) => ({ alerts: await listVerificationAlerts(ctx, actorOf(request)) }),
  );
};
