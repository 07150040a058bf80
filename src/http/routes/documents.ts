import { problem } from '../../contract/common.js';
import { pdfAnswerSchema } from '../../contract/documents.js';
import { noticeParamsSchema, noticeRunAnswerSchema, noticeRunSchema } from '../../contract/notices.js';
import { qualificationQuerySchema, qualificationScreenSchema } from '../../contract/portal.js';
import { noticePdf } from '../../services/documents/downloads.js';
import { myQualification, myQualificationPdf } from '../../services/documents/qualification.js';
import { issueNotices } from '../../services/notices.js';
import { actorOf, type RouteModule, sendPdf } from '../kit.js';

/**
 * 資格情報のお知らせ (DESIGN.md §5.2) and the member portal's eligibility screen (§5.4). Every PDF
 * download and every view is audited as a disclosure (services/documents/).
 */
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

export const documentRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/notices::issue',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['notices'],
        summary: '資格情報のお知らせ for every member without one (or those listed), issued on asOf (idempotent)',
        body: noticeRunSchema,
        response: { 200: noticeRunAnswerSchema, ...errors },
      },
    },
    async (request) => issueNotices(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/notices/:id([^:/.]+).pdf',
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags: ['notices'],
        summary: 'The A4 お知らせ with its card-size cut-out part, as a PDF (audited as a disclosure)',
        params: noticeParamsSchema,
        response: { 200: pdfAnswerSchema, ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, await noticePdf(ctx, actorOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/me/qualification',
    {
      config: { roles: ['member'] },
      schema: {
        tags: ['portal'],
        summary: 'The eligibility screen: the お知らせ fields for the member and, for the insured, the dependents',
        querystring: qualificationQuerySchema,
        response: { 200: qualificationScreenSchema, ...errors },
      },
    },
    async (request) => myQualification(ctx, actorOf(request), request.query.asOf),
  );

  app.get(
    '/api/v1/me/qualification.pdf',
    {
      config: { roles: ['member'] },
      schema: {
        tags: ['portal'],
        summary: 'The eligibility screen as a PDF (one page a person)',
        querystring: qualificationQuerySchema,
        response: { 200: pdfAnswerSchema, ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, await myQualificationPdf(ctx, actorOf(request), request.query.asOf)),
  );
};
