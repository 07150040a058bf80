import { problem } from '../../contract/common.js';
import { notificationJobAnswerSchema } from '../../contract/console.js';
import { insurerAnswerSchema, insurerSchema } from '../../contract/insurers.js';
import {
  legacyCardAnswerSchema,
  legacyCardSchema,
  memberPageSchema,
  memberParamsSchema,
  memberSearchSchema,
  memberViewQuerySchema,
  memberViewSchema,
} from '../../contract/members.js';
import {
  batchReportSchema,
  notificationBatchSchema,
  notificationJobParamsSchema,
  notificationJobSchema,
  notificationResultSchema,
  notificationSchema,
} from '../../contract/notifications.js';
import { residentAnswerSchema, residentSchema } from '../../contract/residents.js';
import { getNotificationJobAnswer } from '../../services/console/csv-upload-job.js';
import { createInsurer } from '../../services/insurers.js';
import { issueLegacyCard } from '../../services/legacy-cards.js';
import { searchMembers, viewMember } from '../../services/members.js';
import {
  createNotificationJob,
  JOB_THRESHOLD,
  startNotificationJobs,
  submitBatch,
  submitNotification,
} from '../../services/registry.js';
import { upsertResident } from '../../services/residents.js';
import { actorOf, idAction, type RouteModule, registerIdActions } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['registry'];

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
        tags,
        summary: 'Register an association (保険者)',
        body: insurerSchema,
        response: { 201: insurerAnswerSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createInsurer(ctx, actorOf(request), request.body)),
  );

  app.post(
    '/api/v1/residents',
    {
      config: { roles: ['operator'] },
      schema: {
        tags,
        summary: 'Create or replace a resident record (住民票 stand-in): 201 created, 200 replaced',
        body: residentSchema,
        response: { 200: residentAnswerSchema, 201: residentAnswerSchema, ...errors },
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
        tags,
        summary: 'One notification: acquisition, dependent_add, loss, dependent_remove or change',
        description:
          'Answers the member id, 記号・番号・枝番, hub status and hubAvailableOn. With an idempotencyKey seen ' +
          'before, the first answer is repeated, nothing is written and the header Idempotent-Replayed is true.',
        body: notificationSchema,
        response: { 201: notificationResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { result, replayed } = await submitNotification(ctx, actorOf(request), request.body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(result);
    },
  );

  // Large batches run as jobs in this process: the unfinished ones resume when the server starts.
  let stopJobs: (() => Promise<void>) | null = null;
  app.addHook('onReady', async () => {
    stopJobs = await startNotificationJobs(ctx, (message) => app.log.warn(message));
  });
  app.addHook('onClose', async () => {
    await stopJobs?.();
  });

  // '::' is Fastify's escape for a literal ':' in a path: the URL is /api/v1/notifications:batch.
  app.post(
    '/api/v1/notifications::batch',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags,
        summary: `Many notifications: each row answered per line (200); above ${JOB_THRESHOLD} rows a job to poll (202)`,
        description:
          `Up to ${JOB_THRESHOLD} rows are recorded now, each in its own transaction, and answered with the report. ` +
          'A larger batch is stored and recorded in the background: the answer is 202 with the job and a Location ' +
          'header; GET /api/v1/notifications/jobs/{id} answers the same report once the job is done.',
        body: notificationBatchSchema,
        response: { 200: batchReportSchema, 202: notificationJobSchema, ...errors },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.body.length <= JOB_THRESHOLD)
        return reply.code(200).send(await submitBatch(ctx, actor, request.body));
      const job = await createNotificationJob(ctx, actor, request.body);
      return reply.code(202).header('location', `/api/v1/notifications/jobs/${job.jobId}`).send(job);
    },
  );

  app.get(
    '/api/v1/notifications/jobs/:id',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags,
        summary: 'A large batch or CSV upload run as a job: its progress, and its report once done',
        params: notificationJobParamsSchema,
        response: { 200: notificationJobAnswerSchema, ...errors },
      },
    },
    async (request) => getNotificationJobAnswer(ctx, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/members',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags,
        summary: 'Search members by kana prefix, 記号, 番号, birth date (paged)',
        querystring: memberSearchSchema,
        response: { 200: memberPageSchema, ...errors },
      },
    },
    async (request) => searchMembers(ctx, actorOf(request), request.query),
  );

  app.get(
    '/api/v1/members/:id',
    {
      config: { roles: ['admin', 'employer'] },
      schema: {
        tags,
        summary: 'A member on a date (default today), with history, dependents and legacy cards',
        params: memberParamsSchema,
        querystring: memberViewQuerySchema,
        response: { 200: memberViewSchema, ...errors },
      },
    },
    async (request) => viewMember(ctx, actorOf(request), request.params.id, request.query.asOf),
  );

  registerIdActions(
    app,
    ctx,
    { path: '/api/v1/members/:id', params: memberParamsSchema, tags, errors, roles: ['admin'] },
    [
      idAction({
        suffix: '/legacy-cards',
        summary: 'Record a legacy 健康保険証 issued before 2024-12-02 (migration)',
        body: legacyCardSchema,
        answer: legacyCardAnswerSchema,
        status: 201,
        run: issueLegacyCard,
      }),
    ],
  );
};
