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
import { type RouteModule, routesOf } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem };

/**
 * オンライン資格確認 for reception terminals (role provider), single or batch, and the probing alerts
 * for the association (role admin). DESIGN.md §5.1.
 */
export const verificationRoutes: RouteModule = (app, ctx) => {
  const route = routesOf(app, { tags: ['verification'], errors, roles: ['provider'] });
  route.get('/api/v1/verifications/challenge', {
    summary: 'A fresh challenge for the card to sign (single use, 5 minutes)',
    answer: issuedChallengeSchema,
    handle: ({ actor }) => issueChallenge(ctx, actor),
  });
  route.post('/api/v1/verifications', {
    summary: 'Verify eligibility by card or by 記号・番号 (200 for every answered query)',
    body: verificationRequestSchema,
    answer: verificationAnswerSchema,
    also: { 423: problem },
    handle: ({ actor, body }) => verify(ctx, actor, body),
  });
  route.post('/api/v1/verifications::batch', {
    summary: 'Verify up to 1,000 patients by 記号・番号 at once (OQS 一括照会)',
    description:
      'Each item is answered as POST /api/v1/verifications answers it, in request order, with its `ref`; ' +
      'an item refused as the single request would be (VERIFICATION_LOCKED) carries `error` instead of ' +
      '`answer`. Every answer is recorded before the batch is answered.',
    body: batchVerificationRequestSchema,
    answer: batchVerificationAnswerSchema,
    handle: ({ actor, body }) => verifyBatch(ctx, actor, body.items),
  });
  route.get('/api/v1/verification-alerts', {
    roles: ['admin'],
    summary: "Providers locked out of a member's 記号・番号 after repeated mismatches (own association)",
    answer: verificationAlertsSchema,
    handle: async ({ actor }) => ({ alerts: await listVerificationAlerts(ctx, actor) }),
  });
};
