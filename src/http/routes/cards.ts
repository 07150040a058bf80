import { z } from 'zod';
import { isoDate, myNumber, problem } from '../../contract/common.js';
import { ShikakuError } from '../../domain/codes.js';
import {
  cancelCardRegistration,
  getCard,
  invalidateCard,
  issueCard,
  registerCard,
  renewCardCertificate,
  returnCard,
  revokeCardCertificate,
  SIGN_ROLES,
  signWithCard,
} from '../../services/cards.js';
import { actorOf, type RouteModule } from '../kit.js';
import { problemFromError, sendProblem } from '../problem.js';

/**
 * The card stand-in for J-LIS and the card's chip (DESIGN.md §5.3; role operator, `:sign` also
 * provider). Action routes are `/api/v1/cards/{id}:action`. find-my-way reads `:id::sign` as one
 * parameter named `id::sign`, so the id carries a regex (`[^:]+`) that ends it at the colon.
 */
const CARD = '/api/v1/cards/:id([^:/]+)';

const pin = z
  .string()
  .regex(/^\d{4}$/, 'expected 4 digits')
  .meta({ example: '1234' });
const params = z.strictObject({ id: z.string().min(1).max(100).describe('card id') });

const issueBody = z.strictObject({
  myNumber,
  issuedOn: isoDate,
  pin,
  kind: z.enum(['card', 'smartphone']).optional().describe('default card; smartphone: a credential of its own'),
});
const issuedCard = z.object({
  cardId: z.string(),
  kind: z.enum(['card', 'smartphone']),
  serial: z.string().describe('serial (and CN) of the user certificate'),
  certificate: z.string().describe('the user certificate, PEM'),
  cardExpiresOn: z.string(),
  certificateExpiresOn: z.string(),
});

const signBody = z.strictObject({
  challenge: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected base64')
    .describe('base64 of the bytes to sign'),
  pin: pin.optional().describe('without a PIN the reader did a face or staff visual check'),
});
const signed = z.object({
  certificate: z.string().describe('PEM of the certificate whose key signed'),
  signature: z.string().describe('base64 of a DER ECDSA P-256/SHA-256 signature over the raw challenge bytes'),
  serial: z.string(),
});

const registration = z.object({
  registrationId: z.string(),
  cardId: z.string(),
  kind: z.enum(['registered', 'cancelled']),
  channel: z.enum(['reader', 'portal', 'atm']).nullable(),
  recordedOn: z.string(),
  state: z.enum(['active', 'never', 'cancelled', 'lapsed']).describe("the person's registration on recordedOn"),
});

const renewed = z.object({
  cardId: z.string(),
  serial: z.string(),
  certificate: z.string(),
  issuedOn: z.string(),
  certificateExpiresOn: z.string(),
  cardExpiresOn: z.string(),
  revokedSerials: z.array(z.string()),
});

const ended = z.object({
  cardId: z.string(),
  status: z.enum(['returned', 'invalidated']),
  endedOn: z.string(),
});

const cardView = z.object({
  cardId: z.string(),
  kind: z.enum(['card', 'smartphone']),
  issuedOn: z.string(),
  expiresOn: z.string(),
  status: z.enum(['active', 'returned', 'invalidated']),
  endedOn: z.string().nullable(),
  pinLocked: z.boolean(),
  pinRemainingTries: z.number(),
  certificates: z.array(
    z.object({ serial: z.string(), issuedOn: z.string(), expiresOn: z.string(), revokedOn: z.string().nullable() }),
  ),
  registration: z.enum(['active', 'never', 'cancelled', 'lapsed']),
  asOf: z.string(),
});

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const operator = { roles: ['operator' as const] };
const tags = ['cards'];

export const cardRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/cards',
    {
      config: operator,
      schema: {
        tags,
        summary: 'Issue a My Number card (or smartphone credential) to a resident',
        body: issueBody,
        response: { 201: issuedCard, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await issueCard(ctx, actorOf(request), request.body)),
  );

  app.get(
    CARD,
    {
      config: operator,
      schema: {
        tags,
        summary: 'A card as it stood on a day',
        params,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: cardView, ...errors },
      },
    },
    async (request) => getCard(ctx, actorOf(request), request.params.id, request.query.asOf),
  );

  app.post(
    `${CARD}::sign`,
    {
      config: { roles: [...SIGN_ROLES] },
      schema: {
        tags,
        summary: "The chip's signature over a challenge (3 wrong PINs lock the card)",
        params,
        body: signBody,
        response: { 200: signed, 423: problem, ...errors },
      },
    },
    async (request, reply) => {
      try {
        return await signWithCard(ctx, actorOf(request), request.params.id, request.body);
      } catch (error) {
        // The reception terminal shows the tries left: put them at the top of the problem too.
        if (error instanceof ShikakuError && error.code === 'CARD_PIN_WRONG') {
          return sendProblem(reply, { ...problemFromError(error), remainingTries: error.details?.remainingTries });
        }
        throw error;
      }
    },
  );

  app.post(
    `${CARD}/registration`,
    {
      config: operator,
      schema: {
        tags,
        summary: '健康保険証利用登録 (refused within 5 days of the certificate expiry)',
        params,
        body: z.strictObject({ recordedOn: isoDate, channel: z.enum(['reader', 'portal', 'atm']) }),
        response: { 201: registration, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await registerCard(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    `${CARD}/registration`,
    {
      config: operator,
      schema: {
        tags,
        summary: '利用登録解除: cancel the health-insurance registration',
        params,
        body: z.strictObject({ recordedOn: isoDate }),
        response: { 200: registration, ...errors },
      },
    },
    async (request) => cancelCardRegistration(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${CARD}::renew-certificate`,
    {
      config: operator,
      schema: {
        tags,
        summary: 'New key pair and user certificate; the old certificate is revoked',
        params,
        body: z.strictObject({ issuedOn: isoDate }),
        response: { 200: renewed, ...errors },
      },
    },
    async (request) => renewCardCertificate(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${CARD}::revoke-certificate`,
    {
      config: operator,
      schema: {
        tags,
        summary: "Revoke the card's user certificate",
        params,
        body: z.strictObject({ revokedOn: isoDate }),
        response: {
          200: z.object({ cardId: z.string(), revokedOn: z.string(), revokedSerials: z.array(z.string()) }),
          ...errors,
        },
      },
    },
    async (request) => revokeCardCertificate(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${CARD}::return`,
    {
      config: operator,
      schema: {
        tags,
        summary: '返納: the card ends on returnedOn',
        params,
        body: z.strictObject({ returnedOn: isoDate }),
        response: { 200: ended, ...errors },
      },
    },
    async (request) => returnCard(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${CARD}::invalidate`,
    {
      config: operator,
      schema: {
        tags,
        summary: '失効: the card ends on invalidatedOn (e.g. a move not reported in time)',
        params,
        body: z.strictObject({ invalidatedOn: isoDate }),
        response: { 200: ended, ...errors },
      },
    },
    async (request) => invalidateCard(ctx, actorOf(request), request.params.id, request.body),
  );
};
