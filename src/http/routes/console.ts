import { z } from 'zod';
import { codedMessage, insurerNumber, isoDate, problem } from '../../contract/common.js';
import { insurerDashboard, listApplications, memberTimeline, uploadCsv, whoAmI } from '../../services/console.js';
import { actorOf, type RouteModule } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 413: problem, 415: problem };

const memberRef = z.object({
  memberId: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  name: z.string(),
  nameKana: z.string(),
});

const dashboard = z.object({
  insurerNumber: z.string(),
  insurerName: z.string(),
  asOf: z.string(),
  members: z.object({
    covered: z.number(),
    insured: z.number(),
    dependents: z.number(),
    lost: z.number(),
    notStarted: z.number(),
  }),
  hub: z.object({ registered: z.number(), pending: z.number(), mismatch: z.number(), noMyNumber: z.number() }),
  withoutMyNumber: z.array(memberRef),
  mismatches: z.array(
    memberRef.extend({
      fields: z.array(z.string()),
      nearMatch: z.array(
        z.object({ field: z.enum(['name', 'nameKana']), index: z.number(), given: z.string(), recorded: z.string() }),
      ),
      recordedOn: z.string(),
    }),
  ),
  certificatesExpiring: z.array(memberRef.extend({ certificateId: z.string(), validUntil: z.string() })),
  applicationsPending: z.number(),
});

const timeline = z.object({
  memberId: z.string(),
  events: z.array(
    z.object({
      on: z.string().describe('the day the fact is about (valid time)'),
      recordedOn: z.string().describe('the day it became known (transaction time)'),
      kind: z.enum([
        'acquired',
        'lost',
        'notification',
        'hub',
        'legacy_card',
        'card',
        'card_registration',
        'certificate',
        'notice',
        'verification',
      ]),
      detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
    }),
  ),
});

const uploadReport = z.object({
  total: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  written: z.number(),
  replayed: z.number(),
  rows: z.array(
    z.union([
      z.object({
        line: z.number(),
        ok: z.literal(true),
        result: z.object({
          notificationId: z.string(),
          memberId: z.string(),
          symbol: z.string(),
          number: z.string(),
          branch: z.string(),
          hubStatus: z.enum(['registered', 'mismatch', 'no_my_number']),
          hubAvailableOn: z.string(),
          mismatch: z
            .object({
              fields: z.array(z.string()),
              nearMatch: z.array(
                z.object({
                  field: z.enum(['name', 'nameKana']),
                  index: z.number(),
                  given: z.string(),
                  recorded: z.string(),
                }),
              ),
            })
            .optional(),
          endedDependents: z.array(z.string()).optional(),
        }),
        replayed: z.literal(true).optional(),
      }),
      z.object({
        line: z.number(),
        ok: z.literal(false),
        error: codedMessage.extend({
          errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
        }),
        columns: z.array(z.string()).describe('the CSV columns (as labelled in the header) the error points at'),
      }),
    ]),
  ),
});

/**
 * Routes for the screens (issue #4): whoami, the association dashboard, a member's timeline, and the
 * CSV upload of notifications (text/csv body, answered per physical line like `shikaku import`).
 */
export const consoleRoutes: RouteModule = (app, ctx) => {
  // A CSV body arrives as bytes, so a file that is not UTF-8 is refused rather than mis-decoded.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/whoami',
    {
      config: { roles: ['operator', 'admin', 'employer', 'provider', 'member'] },
      schema: {
        tags: ['screens'],
        summary: "The token's role and scope, and today in Japan by the server's clock",
        response: {
          200: z.object({
            role: z.enum(['operator', 'admin', 'employer', 'provider', 'member']),
            insurerNumber: z.string().nullable(),
            insurerName: z.string().nullable(),
            employerSymbol: z.string().nullable(),
            providerCode: z.string().nullable(),
            memberId: z.string().nullable(),
            today: z.string(),
          }),
          401: problem,
        },
      },
    },
    async (request) => whoAmI(ctx, actorOf(request)),
  );

  app.get(
    '/api/v1/insurers/:insurerNumber/dashboard',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['screens'],
        summary: 'Counts and warnings of an association on a day (members, hub, mismatches, expiring certificates)',
        params: z.strictObject({ insurerNumber }),
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: dashboard, ...errors },
      },
    },
    async (request) => insurerDashboard(ctx, actorOf(request), request.params.insurerNumber, request.query.asOf),
  );

  app.get(
    '/api/v1/members/:id/timeline',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['screens'],
        summary: 'Every fact of a member with the day it is about and the day it became known',
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        response: { 200: timeline, ...errors },
      },
    },
    async (request) => memberTimeline(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/applications',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['applications'],
        summary: "The association's applications in a state (default received: the queue to decide), oldest first",
        querystring: z.strictObject({
          state: z.enum(['received', 'approved', 'refused']).optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z
                .object({
                  applicationId: z.string(),
                  memberId: z.string(),
                  kind: z.string(),
                  reason: z.string().nullable(),
                  state: z.enum(['received', 'approved', 'refused']),
                  receivedOn: z.string(),
                  decidedOn: z.string().nullable(),
                  refusalCode: z.string().nullable(),
                  certificateId: z.string().nullable(),
                  noticeId: z.string().nullable(),
                  member: memberRef,
                })
                .describe(
                  'an application (as GET /api/v1/applications/{id}, without the certification) and its member',
                ),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => listApplications(ctx, actorOf(request), request.query),
  );

  app.post(
    '/api/v1/notifications::import',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags: ['registry'],
        summary: 'A CSV file of notifications (text/csv, UTF-8), answered per line (docs/IMPORT.md)',
        description:
          'The columns of `shikaku import`. Each row is submitted as the caller, in its own transaction; ' +
          'a failing row writes nothing. A file that is not UTF-8 or has an unknown column answers VALIDATION_CSV.',
        querystring: z.strictObject({ recordedOn: isoDate.optional() }),
        response: { 200: uploadReport, ...errors },
      },
    },
    async (request) => {
      const body = request.body;
      const bytes = body instanceof Uint8Array ? body : typeof body === 'string' ? body : '';
      return uploadCsv(ctx, actorOf(request), bytes, { recordedOn: request.query.recordedOn });
    },
  );
};
