import { problem } from '../../contract/common.js';
import {
  portalSessionRequestSchema,
  portalSessionSchema,
  portalSignSchema,
  signedChallengeSchema,
} from '../../contract/portal.js';
import { issuedChallengeSchema as challengeAnswer } from '../../contract/verification.js';
import { ShikakuError } from '../../domain/codes.js';
import { cardStandInEnabled } from '../../services/cards.js';
import { issuePortalChallenge, openPortalSession, signPortalChallenge } from '../../services/portal-session.js';
import type { RouteModule } from '../kit.js';
import { problemFromError, sendProblem } from '../problem.js';

const errors = { 400: problem, 401: problem, 404: problem, 409: problem, 423: problem };
const tags = ['portal'];

/**
 * Member portal login with the card (DESIGN.md §5.4): public routes, since the card is the credential.
 * challenge → the member's reader signs it with the PIN → session. The signer takes only portal
 * challenges and always wants the PIN (3 wrong tries lock the card), so it is no weaker than the card.
 */
export const portalSessionRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/me/challenge',
    {
      schema: {
        tags,
        summary: 'A challenge for the portal login (single use, 5 minutes)',
        description:
          'Refused with RATE_LIMITED (details.reason PORTAL_CHALLENGES_FULL) while 10,000 portal ' +
          'challenges are open at once; stale challenges are purged as new ones are issued.',
        security: [],
        response: { 200: challengeAnswer, 429: problem },
      },
    },
    async () => issuePortalChallenge(ctx),
  );

  // The member's reader stand-in goes with the rest of the card stand-in (SHIKAKU_CARD_STANDIN=off).
  if (cardStandInEnabled()) {
    app.post(
      '/api/v1/me/card::sign',
      {
        schema: {
          tags,
          summary: "The member's reader: the card signs a portal challenge with its PIN",
          description:
            'Stands in for the NFC or USB reader next to the member. Signs only challenges from ' +
            'GET /api/v1/me/challenge; a wrong PIN answers CARD_PIN_WRONG with remainingTries, the 3rd locks.',
          security: [],
          body: portalSignSchema,
          response: {
            200: signedChallengeSchema,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        try {
          return await signPortalChallenge(ctx, request.body);
        } catch (error) {
          if (error instanceof ShikakuError && error.code === 'CARD_PIN_WRONG') {
            return sendProblem(reply, { ...problemFromError(error), remainingTries: error.details?.remainingTries });
          }
          throw error;
        }
      },
    );
  }

  app.post(
    '/api/v1/me/session',
    {
      schema: {
        tags,
        summary: 'Exchange the signed challenge for a member session (30 minutes)',
        security: [],
        body: portalSessionRequestSchema,
        response: { 201: portalSessionSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await openPortalSession(ctx, request.body)),
  );
};
