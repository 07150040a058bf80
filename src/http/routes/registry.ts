import { z } from 'zod';
import { codedMessage, isoDate, problem } from '../../contract/common.js';
import { insurerSchema } from '../../contract/insurers.js';
import { legacyCardSchema, memberSearchSchema } from '../../contract/members.js';
import { notificationSchema } from '../../contract/notifications.js';
import { residentSchema } from '../../contract/residents.js';
import { createInsurer, type Insurer } from '../../services/insurers.js';
import { issueLegacyCard, type LegacyCard } from '../../services/legacy-cards.js';
import { searchMembers, viewMember } from '../../services/members.js';
import { type NotificationResult, submitBatch, submitNotification } from '../../services/registry.js';
import { type ResidentResult, upsertResident } from '../../services/residents.js';
import { actorOf, type RouteModule } from '../kit.js';

const hubStatus = z.enum(['registered', 'mismatch', 'no_my_number']);

/** The answer to a notification (DESIGN.md §5.0), plus the notification id and the staff hint. */
const notificationResult = z.object({
  notificationId: z.string(),
  memberId: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  hubStatus,
  hubAvailableOn: z.string().describe('the hub answers for this registration from this day'),
  mismatch: z
    .object({
      fields: z
        .array(z.enum(['name', 'nameKana', 'birthDate', 'sex', 'address', 'residentRecord']))
        .describe('resident-record fields that differ (names only)'),
      nearMatch: z
        .array(
          z.object({
            field: z.enum(['name', 'nameKana']),
            index: z.number(),
            given: z.string(),
            recorded: z.string(),
          }),
        )
        .describe('variant kanji / small kana: the characters given vs recorded, for the staff to decide'),
    })
    .optional(),
  endedDependents: z.array(z.string()).optional(),
}) satisfies z.ZodType<NotificationResult>;

const rowError = codedMessage.extend({
  errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
});

const batchReport = z.object({
  accepted: z.number(),
  rejected: z.number(),
  rows: z.array(
    z.union([
      z.object({
        line: z.number(),
        ok: z.literal(true),
        result: notificationResult,
        replayed: z.literal(true).optional(),
      }),
      z.object({ line: z.number(), ok: z.literal(false), error: rowError }),
    ]),
  ),
});

const insurerAnswer = insurerSchema.extend({ insurerNumber: z.string() }) satisfies z.ZodType<Insurer>;
const residentAnswer = z.object({ myNumber: z.string(), created: z.boolean() }) satisfies z.ZodType<ResidentResult>;
const legacyCardAnswer = z.object({
  legacyCardId: z.string(),
  memberId: z.string(),
  issuedOn: z.string(),
}) satisfies z.ZodType<LegacyCard>;

const memberParams = z.object({ id: z.string().min(1).max(100) });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };

/**
 * The registry (DESIGN.md §5.2, §5.3): associations and resident records (operator), notifications
 * one by one or in a batch (admin, employer for its own 記号), members and legacy cards (admin).
 */
export const registryRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/insurers',
    {
      config: { roles: ['operator'] },
      schema: {
        tags: ['registry'],
        summary: 'Register an association (保険者)',
        body: insurerSchema,
        response: { 201: insurerAnswer, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createInsurer(ctx, actorOf(request), request.body)),
  );

  app.post(
    '/api/v1/residents',
    {
      config: { roles: ['operator'] },
      schema: {
        tags: ['registry'],
        summary: 'Create or replace a resident record (住民票 stand-in): 201 created, 200 replaced',
        body: residentSchema,
        response: { 200: residentAnswer, 201: residentAnswer, ...errors },
      },
    },
    async (request, reply) => {
      const result = await upsertResident(ctx, actorOf(request), request.body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/notifications',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags: ['registry'],
        summary: 'One notification: acquisition, dependent_add, loss, dependent_remove or change',
        description:
          'Answers the member id, 記号・番号・枝番, hub status and hubAvailableOn. With an idempotencyKey seen ' +
          'before, the first answer is repeated, nothing is written and the header Idempotent-Replayed is true.',
        body: notificationSchema,
        response: { 201: notificationResult, ...errors },
      },
    },
    async (request, reply) => {
      const { result, replayed } = await submitNotification(ctx, actorOf(request), request.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result);
    },
  );

  // '::' is Fastify's escape for a literal ':' in a path: the URL is /api/v1/notifications:batch.
  app.post(
    '/api/v1/notifications::batch',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags: ['registry'],
        summary: 'Many notifications: each row in its own transaction, answered per line (200)',
        body: z.array(z.unknown()).min(1).max(10_000).describe('notifications, each as for POST /api/v1/notifications'),
        response: { 200: batchReport, ...errors },
      },
    },
    async (request) => submitBatch(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/members',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags: ['registry'],
        summary: 'Search members by kana prefix, 記号, 番号, birth date (paged)',
        querystring: memberSearchSchema,
      },
    },
    async (request) => searchMembers(ctx, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/members/:id',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags: ['registry'],
        summary: 'A member on a date (default today), with history, dependents and legacy cards',
        params: memberParams,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
      },
    },
    async (request) => viewMember(ctx, actorOf(request), request.params.id, request.query.asOf),
  );

  app.post(
    '/api/v1/members/:id/legacy-cards',
    {
      config: { roles: ['admin'] },
      schema: {
        tags: ['registry'],
        summary: 'Record a legacy 健康保険証 issued before 2024-12-02 (migration)',
        params: memberParams,
        body: legacyCardSchema,
        response: { 201: legacyCardAnswer, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issueLegacyCard(ctx, actorOf(request), request.params.id, request.body)),
  );
};
