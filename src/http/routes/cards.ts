import {
  cancelCardRegistrationSchema,
  cardParamsSchema,
  cardQuerySchema,
  cardViewSchema,
  endedCardSchema,
  invalidateCardSchema,
  issueCardSchema,
  issuedCardSchema,
  registerCardSchema,
  registrationRecordSchema,
  renewCardCertificateSchema,
  renewedCertificateSchema,
  returnCardSchema,
  revokeCardCertificateSchema,
  revokedCertificatesSchema,
  signChallengeSchema,
  signedChallengeSchema,
} from '../../contract/cards.js';
import { problem } from '../../contract/common.js';
import { ShikakuError } from '../../domain/codes.js';
import {
  cancelCardRegistration,
  cardStandInEnabled,
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
import { idAction, type RouteModule, registerIdActions, routesOf } from '../kit.js';
import { problemFromError, sendProblem } from '../problem.js';

/**
 * The card stand-in for J-LIS and the card's chip (DESIGN.md §5.3; role operator, `:sign` also
 * provider). Action routes are `/api/v1/cards/{id}:action`. find-my-way reads `:id::sign` as one
 * parameter named `id::sign`, so the id carries a regex (`[^:]+`) that ends it at the colon.
 */
const CARD = '/api/v1/cards/:id([^:/]+)';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem };
const operator = { roles: ['operator' as const] };
const tags = ['cards'];

export const cardRoutes: RouteModule = (app, ctx) => {
  // Switched off, none of the stand-in's routes exist: each answers 404 like any unknown path.
  if (!cardStandInEnabled()) return;
  const route = routesOf(app, { tags, errors, roles: operator.roles });
  route.post('/api/v1/cards', {
    summary: 'Issue a My Number card (or smartphone credential) to a resident',
    body: issueCardSchema,
    answer: issuedCardSchema,
    status: 201,
    handle: ({ actor, body }) => issueCard(ctx, actor, body),
  });
  route.get(CARD, {
    summary: 'A card as it stood on a day',
    params: cardParamsSchema,
    query: cardQuerySchema,
    answer: cardViewSchema,
    handle: ({ actor, params, query }) => getCard(ctx, actor, params.id, query.asOf),
  });
  route.post(`${CARD}::sign`, {
    roles: [...SIGN_ROLES],
    summary: "The chip's signature over a challenge (3 wrong PINs lock the card)",
    params: cardParamsSchema,
    body: signChallengeSchema,
    answer: signedChallengeSchema,
    also: { 423: problem },
    handle: async ({ actor, params, body, reply }) => {
      try {
        return await signWithCard(ctx, actor, params.id, body);
      } catch (error) {
        // The reception terminal shows the tries left: put them at the top of the problem too.
        if (error instanceof ShikakuError && error.code === 'CARD_PIN_WRONG') {
          return sendProblem(reply, { ...problemFromError(error), remainingTries: error.details?.remainingTries });
        }
        throw error;
      }
    },
  });

  registerIdActions(app, ctx, { path: CARD, params: cardParamsSchema, tags, errors, roles: operator.roles }, [
    idAction({
      suffix: '/registration',
      summary: '健康保険証利用登録 (refused within 5 days of the certificate expiry)',
      body: registerCardSchema,
      answer: registrationRecordSchema,
      status: 201,
      run: registerCard,
    }),
    idAction({
      suffix: '/registration',
      method: 'delete',
      summary: '利用登録解除: cancel the health-insurance registration',
      body: cancelCardRegistrationSchema,
      answer: registrationRecordSchema,
      run: cancelCardRegistration,
    }),
    idAction({
      suffix: '::renew-certificate',
      summary: 'New key pair and user certificate; the old certificate is revoked',
      body: renewCardCertificateSchema,
      answer: renewedCertificateSchema,
      run: renewCardCertificate,
    }),
    idAction({
      suffix: '::revoke-certificate',
      summary: "Revoke the card's user certificate",
      body: revokeCardCertificateSchema,
      answer: revokedCertificatesSchema,
      run: revokeCardCertificate,
    }),
    idAction({
      suffix: '::return',
      summary: '返納: the card ends on returnedOn',
      body: returnCardSchema,
      answer: endedCardSchema,
      run: returnCard,
    }),
    idAction({
      suffix: '::invalidate',
      summary: '失効: the card ends on invalidatedOn (e.g. a move not reported in time)',
      body: invalidateCardSchema,
      answer: endedCardSchema,
      run: invalidateCard,
    }),
  ]);
};
