import { problem } from '../../contract/common.js';
import { pdfAnswerSchema } from '../../contract/documents.js';
import { noticeParamsSchema, noticeRunAnswerSchema, noticeRunSchema } from '../../contract/notices.js';
import { qualificationQuerySchema, qualificationScreenSchema } from '../../contract/portal.js';
import { noticePdf } from '../../services/documents/downloads.js';
import { myQualification, myQualificationPdf } from '../../services/documents/qualification.js';
import { issueNotices } from '../../services/notices.js';
import { type RouteModule, routesOf, sendPdf } from '../kit.js';

/**
 * 資格情報のお知らせ (DESIGN.md §5.2) and the member portal's eligibility screen (§5.4). Every PDF
 * download and every view is audited as a disclosure (services/documents/).
 */
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

export const documentRoutes: RouteModule = (app, ctx) => {
  const notices = routesOf(app, { tags: ['notices'], errors });
  notices.post('/api/v1/notices::issue', {
    roles: ['admin'],
    summary: '資格情報のお知らせ for every member without one (or those listed), issued on asOf (idempotent)',
    body: noticeRunSchema,
    answer: noticeRunAnswerSchema,
    handle: ({ actor, body }) => issueNotices(ctx, actor, body),
  });
  notices.get('/api/v1/notices/:id([^:/.]+).pdf', {
    roles: ['admin', 'member'],
    summary: 'The A4 お知らせ with its card-size cut-out part, as a PDF (audited as a disclosure)',
    params: noticeParamsSchema,
    answer: pdfAnswerSchema,
    handle: async ({ actor, params, reply }) => sendPdf(reply, await noticePdf(ctx, actor, params.id)),
  });

  const portal = routesOf(app, { tags: ['portal'], errors, roles: ['member'] });
  portal.get('/api/v1/me/qualification', {
    summary: 'The eligibility screen: the お知らせ fields for the member and, for the insured, the dependents',
    query: qualificationQuerySchema,
    answer: qualificationScreenSchema,
    handle: ({ actor, query }) => myQualification(ctx, actor, query.asOf),
  });
  portal.get('/api/v1/me/qualification.pdf', {
    summary: 'The eligibility screen as a PDF (one page a person)',
    query: qualificationQuerySchema,
    answer: pdfAnswerSchema,
    handle: async ({ actor, query, reply }) => sendPdf(reply, await myQualificationPdf(ctx, actor, query.asOf)),
  });
};
