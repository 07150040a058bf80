import { problem } from '../../contract/common.js';
import {
  disposeLegacyCardSchema,
  legacyCardEventAnswerSchema,
  legacyCardParamsSchema,
  reportLegacyCardLostSchema,
  returnLegacyCardSchema,
} from '../../contract/legacy-cards.js';
import { disposeLegacyCard, reportLegacyCardLost, returnLegacyCard } from '../../services/legacy-card-life.js';
import { idAction, type RouteModule, registerIdActions } from '../kit.js';

/** The id stops at ':' so that the actions (`…:return`, `…:dispose`) route apart. */
const LEGACY_CARD = '/api/v1/legacy-cards/:id([^:/]+)';
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

/**
 * A legacy 健康保険証's life (RULES-NOTES §5), admin of the member's association like the card's record:
 * its return (回収, up to 2025-12-01), self-disposal (自己廃棄, from 2025-12-02) or loss (滅失・き損).
 */
export const legacyCardRoutes: RouteModule = (app, ctx) => {
  registerIdActions(
    app,
    ctx,
    { path: LEGACY_CARD, params: legacyCardParamsSchema, tags: ['registry'], errors, roles: ['admin'] },
    [
      idAction({
        suffix: '::return',
        summary: 'Record a legacy card handed back to the association (回収)',
        body: returnLegacyCardSchema,
        answer: legacyCardEventAnswerSchema,
        run: returnLegacyCard,
      }),
      idAction({
        suffix: '::dispose',
        summary: 'Record a legacy card destroyed by the member (自己廃棄, from 2025-12-02)',
        body: disposeLegacyCardSchema,
        answer: legacyCardEventAnswerSchema,
        run: disposeLegacyCard,
      }),
      idAction({
        suffix: '::report-lost',
        summary: 'Record a legacy card reported lost or damaged (滅失・き損届)',
        body: reportLegacyCardLostSchema,
        answer: legacyCardEventAnswerSchema,
        run: reportLegacyCardLost,
      }),
    ],
  );
};
