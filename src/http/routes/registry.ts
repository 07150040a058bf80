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
import { idAction, type RouteModule, registerIdActions, routesOf } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['registry'];

/**
 * The registry (DESIGN.md §5.2, §5.3): associations and resident records (operator), notifications
 * one by one or in a batch (admin, employer for its own 記号), members and legacy cards (admin).
 */
export const registryRoutes: RouteModule = (app, ctx) => {
  const route = routesOf(app, { tags, errors, roles: ['admin', 'employer'] });
  route.post('/api/v1/insurers', {
    roles: ['operator'],
    summary: 'Register an association (保険者)',
    body: insurerSchema,
    answer: insurerAnswerSchema,
    status: 201,
    handle: ({ actor, body }) => createInsurer(ctx, actor, body),
  });
  route.post('/api/v1/residents', {
    roles: ['operator'],
    summary: 'Create or replace a resident record (住民票 stand-in): 201 created, 200 replaced',
    body: residentSchema,
    answer: residentAnswerSchema,
    also: { 201: residentAnswerSchema },
    handle: async ({ actor, body, reply }) => {
      const result = await upsertResident(ctx, actor, body);
      return reply.code(result.created ? 201 : 200).send(result);
    },
  });
  route.post('/api/v1/notifications', {
    summary: 'One notification: acquisition, dependent_add, loss, dependent_remove or change',
    description:
      'Answers the member id, 記号・番号・枝番, hub status and hubAvailableOn. With an idempotencyKey seen ' +
      'before, the first answer is repeated, nothing is written and the header Idempotent-Replayed is true.',
    body: notificationSchema,
    answer: notificationResultSchema,
    status: 201,
    handle: async ({ actor, body, reply }) => {
      const { result, replayed } = await submitNotification(ctx, actor, body);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return result;
    },
  });

  // Large batches run as jobs in this process: the unfinished ones resume when the server starts.
  let stopJobs: (() => Promise<void>) | null = null;
  app.addHook('onReady', async () => {
    stopJobs = await startNotificationJobs(ctx, (message) => app.log.warn(message));
  });
  app.addHook('onClose', async () => {
    await stopJobs?.();
  });

  // '::' is Fastify's escape for a literal ':' in a path: the URL is /api/v1/notifications:batch.
  route.post('/api/v1/notifications::batch', {
    summary: `Many notifications: each row answered per line (200); above ${JOB_THRESHOLD} rows a job to poll (202)`,
    description:
      `Up to ${JOB_THRESHOLD} rows are recorded now, each in its own transaction, and answered with the report. ` +
      'A larger batch is stored and recorded in the background: the answer is 202 with the job and a Location ' +
      'header; GET /api/v1/notifications/jobs/{id} answers the same report once the job is done.',
    body: notificationBatchSchema,
    answer: batchReportSchema,
    also: { 202: notificationJobSchema },
    handle: async ({ actor, body, reply }) => {
      if (body.length <= JOB_THRESHOLD) return submitBatch(ctx, actor, body);
      const job = await createNotificationJob(ctx, actor, body);
      return reply.code(202).header('location', `/api/v1/notifications/jobs/${job.jobId}`).send(job);
    },
  });
  route.get('/api/v1/notifications/jobs/:id', {
    summary: 'A large batch or CSV upload run as a job: its progress, and its report once done',
    params: notificationJobParamsSchema,
    answer: notificationJobAnswerSchema,
    handle: ({ actor, params }) => getNotificationJobAnswer(ctx, actor, params.id),
  });
  route.get('/api/v1/members', {
    summary: 'Search members by kana prefix, 記号, 番号, birth date (paged)',
    query: memberSearchSchema,
    answer: memberPageSchema,
    handle: ({ actor, query }) => searchMembers(ctx, actor, query),
  });
  route.get('/api/v1/members/:id', {
    summary: 'A member on a date (default today), with history, dependents and legacy cards',
    params: memberParamsSchema,
    query: memberViewQuerySchema,
    answer: memberViewSchema,
    handle: ({ actor, params, query }) => viewMember(ctx, actor, params.id, query.asOf),
  });

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
