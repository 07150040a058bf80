import { problem } from '../../contract/common.js';
import {
  issuedChallengeSchema,
  verificationAnswerSchema,
  verificationRequestSchema,
} from '../../contract/verification.js';
import { issueChallenge } from '../../services/challenges.js';
import { verify } from '../../services/verification.js';
import { actorOf, type RouteModule } from '../kit.js';

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
        response: { 200: verificationAnswerSchema, ...errors },
      },
    },
    async (request) => verify(ctx, actorOf(request), request.body),
  );
};
