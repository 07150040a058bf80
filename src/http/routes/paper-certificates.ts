import { problem } from '../../contract/common.js';
import { pdfAnswerSchema } from '../../contract/documents.js';
import {
  memberParamsSchema,
  paperCertificateListSchema,
  paperCertificateParamsSchema,
} from '../../contract/paper-certificates.js';
import { listPaperCertificates, paperCertificatePdf } from '../../services/paper-certificates.js';
import { actorOf, type RouteModule, sendPdf } from '../kit.js';

/**
 * The paper 認定証 of 資格確認書 holders (issue #16 point 8): a member's list and each A6 PDF, the
 * download audited as a disclosure like the other documents.
 */
const errors = { 400: problem, 401: problem, 403: problem, 404: problem };

export const paperCertificateRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/api/v1/members/:id/paper-certificates',
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags: ['documents'],
        summary: "A member's 高齢受給者証, 限度額適用認定証 and 特定疾病療養受療証 on paper, newest first",
        params: memberParamsSchema,
        response: { 200: paperCertificateListSchema, ...errors },
      },
    },
    async (request) => ({
      paperCertificates: await listPaperCertificates(ctx, actorOf(request), request.params.id),
    }),
  );

  app.get(
    '/api/v1/paper-certificates/:id([^:/.]+).pdf',
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags: ['documents'],
        summary: 'One paper 認定証 as an A6 PDF, dates in 和暦 (audited as a disclosure)',
        params: paperCertificateParamsSchema,
        response: { 200: pdfAnswerSchema, ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, await paperCertificatePdf(ctx, actorOf(request), request.params.id)),
  );
};
