import { z } from 'zod';
import { problem } from '../../contract/common.js';
import { issuedChallengeSchema as challengeAnswer } from '../../contract/verification.js';
import { ShikakuError } from '../../domain/codes.js';
import {
  issuePortalChallenge,
  openPortalSession,
  type PortalSession,
  signPortalChallenge,
} from '../../services/portal-session.js';
import type { RouteModule } from '../kit.js';
import { problemFromError, sendProblem } from '../problem.js';

const base64 = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected base64');

const expiry = z.enum(['valid', 'expiring_soon', 'grace', 'expired']);

const session = z.object({
  token: z.string().describe('bearer token of role member'),
  expiresAt: z.string(),
  expiresIn: z.number().describe('seconds from now'),
  memberId: z.string(),
  insurerNumber: z.string(),
  name: z.string(),
  card: z.object({
    kind: z.enum(['card', 'smartphone']),
    expiresOn: z.string(),
    state: expiry,
    certificateExpiresOn: z.string(),
    certificateState: expiry.describe('expiring_soon from 3 months before; grace after expiry (renew now)'),
    registration: z.enum(['active', 'never', 'cancelled', 'lapsed']),
  }),
}) satisfies z.ZodType<PortalSession>;

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
        security: [],
        response: { 200: challengeAnswer },
      },
    },
    async () => issuePortalChallenge(ctx),
  );

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
        body: z.strictObject({
          cardId: z.string().min(1).max(100),
          challenge: base64(256),
          pin: z.string().regex(/^\d{4}$/, 'expected 4 digits'),
        }),
        response: {
          200: z.object({ certificate: z.string(), signature: z.string(), serial: z.string() }),
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

  app.post(
    '/api/v1/me/session',
    {
      schema: {
        tags,
        summary: 'Exchange the signed challenge for a member session (30 minutes)',
        security: [],
        body: z.strictObject({
          certificate: z.string().min(1).max(16_384),
          challenge: base64(256),
          signature: base64(4_096),
        }),
        response: { 201: session, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await openPortalSession(ctx, request.body)),
  );
};
