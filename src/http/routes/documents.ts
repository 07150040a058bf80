import { z } from 'zod';
import { isoDate, problem } from '../../contract/common.js';
import { noticeRunSchema } from '../../contract/notices.js';
import { myQualification, myQualificationPdf, noticePdf, type QualificationScreen } from '../../services/documents.js';
import { issueNotices, type NoticeRunResult } from '../../services/notices.js';
import { actorOf, type RouteModule, sendPdf } from '../kit.js';

/**
 * 資格情報のお知らせ (DESIGN.md §5.2) and the member portal's eligibility screen (§5.4). Every PDF
 * download and every view is audited as a disclosure (services/documents.ts).
 */
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

const noticeRunAnswer = z.object({
  insurerNumber: z.string(),
  asOf: z.string(),
  issued: z.array(z.object({ memberId: z.string(), noticeId: z.string() })),
  skipped: z.array(
    z.object({ memberId: z.string(), reason: z.enum(['already_has_notice', 'not_eligible', 'not_found']) }),
  ),
}) satisfies z.ZodType<NoticeRunResult>;

const screen = z.object({
  asOf: z.string(),
  members: z.array(
    z.object({
      memberId: z.string(),
      relationship: z.enum(['insured', 'dependent']),
      insurerNumber: z.string(),
      insurerName: z.string(),
      symbol: z.string(),
      number: z.string(),
      branch: z.string(),
      name: z.string(),
      nameKana: z.string(),
      birthDate: z.string(),
      sex: z.enum(['male', 'female']),
      acquiredOn: z.string(),
      lostOn: z.string().nullable(),
      burdenRatio: z.union([z.literal(20), z.literal(30)]).nullable(),
      burdenRatioAsOf: z.string(),
      myNumber: z
        .string()
        .regex(/^\*{8}\d{4}$/)
        .nullable()
        .describe('********1234: only the last 4 digits the association holds'),
      certificate: z.object({ certificateId: z.string(), issuedOn: z.string(), validUntil: z.string() }).nullable(),
      noticeId: z.string().nullable(),
    }),
  ),
}) satisfies z.ZodType<QualificationScreen>;

export const documentRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/notices::issue',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['notices'],
        summary: '資格情報のお知らせ for every member without one (or those listed), issued on asOf (idempotent)',
        body: noticeRunSchema,
        response: { 200: noticeRunAnswer, ...errors },
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
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        response: { ...errors },
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
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: screen, ...errors },
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
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { ...errors },
      },
    },
    async (request, reply) => sendPdf(reply, await myQualificationPdf(ctx, actorOf(request), request.query.asOf)),
  );
};
