import { problem } from '../../contract/common.js';
import { pdfAnswerSchema } from '../../contract/documents.js';
import {
  memberParamsSchema,
  paperCertificateListSchema,
  paperCertificateParamsSchema,
} from '../../contract/paper-certificates.js';
import { listPaperCertificates, paperCertificatePdf } from '../../services/paper-certificates.js';
import { type RouteModule, routesOf, sendPdf } from '../kit.js';

/**
 * The paper 認定証 of 資格確認書 holders (issue #16 point 8): a member's list and each A6 PDF, the
 * download audited as a disclosure like the other documents.
 */
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

export const paperCertificateRoutes: RouteModule = (app, ctx) => {
  const route = routesOf(app, { tags: ['documents'], errors, roles: ['admin', 'member'] });
  route.get('/api/v1/members/:id/paper-certificates', {
    summary: "A member's 高齢受給者証, 限度額適用認定証 and 特定疾病療養受療証 on paper, newest first",
    params: memberParamsSchema,
    answer: paperCertificateListSchema,
    handle: async ({ actor, params }) => ({
      paperCertificates: await listPaperCertificates(ctx, actor, params.id),
    }),
  });
  route.get('/api/v1/paper-certificates/:id([^:/.]+).pdf', {
    summary: 'One paper 認定証 as an A6 PDF, dates in 和暦 (audited as a disclosure)',
    params: paperCertificateParamsSchema,
    answer: pdfAnswerSchema,
    handle: async ({ actor, params, reply }) => sendPdf(reply, await paperCertificatePdf(ctx, actor, params.id)),
  });
};
