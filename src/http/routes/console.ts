import { applicationQueueQuerySchema } from '../../contract/applications.js';
import { problem } from '../../contract/common.js';
import {
  applicationQueueSchema,
  coverEndsQuerySchema,
  csvUploadJobSchema,
  csvUploadReportSchema,
  dashboardParamsSchema,
  dashboardQuerySchema,
  dashboardSchema,
  dependentsLosingCoverSchema,
  timelineParamsSchema,
  timelineSchema,
  uploadQuerySchema,
  whoAmISchema,
} from '../../contract/console.js';
import { listApplications } from '../../services/console/application-queue.js';
import { dependentsLosingCoverIn } from '../../services/console/cover-ends.js';
import { uploadCsvOrQueue } from '../../services/console/csv-upload-job.js';
import { insurerDashboard } from '../../services/console/dashboard.js';
import { memberTimeline } from '../../services/console/timeline.js';
import { whoAmI } from '../../services/console/whoami.js';
import { JOB_THRESHOLD } from '../../services/registry.js';
import { type RouteModule, routesOf } from '../kit.js';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 413: problem, 415: problem };

/**
 * Routes for the screens (issue #4): whoami, the association dashboard, a member's timeline, and the
 * CSV upload of notifications (text/csv body, answered per physical line like `shikaku import`).
 */
export const consoleRoutes: RouteModule = (app, ctx) => {
  // A CSV body arrives as bytes, so a file that is not UTF-8 is refused rather than mis-decoded.
  app.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const route = routesOf(app, { tags: ['screens'], errors, roles: ['admin'] });
  route.get('/api/v1/whoami', {
    roles: ['operator', 'admin', 'employer', 'provider', 'member'],
    summary: "The token's role and scope, and today in Japan by the server's clock",
    answer: whoAmISchema,
    errors: { 401: problem },
    handle: ({ actor }) => whoAmI(ctx, actor),
  });
  route.get('/api/v1/insurers/:insurerNumber/dashboard', {
    summary: 'Counts and warnings of an association on a day (members, hub, mismatches, expiring certificates)',
    params: dashboardParamsSchema,
    query: dashboardQuerySchema,
    answer: dashboardSchema,
    handle: ({ actor, params, query }) => insurerDashboard(ctx, actor, params.insurerNumber, query.asOf),
  });
  route.get('/api/v1/insurers/:insurerNumber/dependents-losing-cover', {
    summary: "Dependents whose cover ends with their insured's (75th birthday, death, loss) in a window",
    description:
      'Each must be told to join 国保 or another insurer; their 資格確認書 still held are listed for collection.',
    params: dashboardParamsSchema,
    query: coverEndsQuerySchema,
    answer: dependentsLosingCoverSchema,
    handle: ({ actor, params, query }) => dependentsLosingCoverIn(ctx, actor, params.insurerNumber, query),
  });
  route.get('/api/v1/members/:id/timeline', {
    summary: 'Every fact of a member with the day it is about and the day it became known',
    params: timelineParamsSchema,
    answer: timelineSchema,
    handle: ({ actor, params }) => memberTimeline(ctx, actor, params.id),
  });
  route.get('/api/v1/applications', {
    tags: ['applications'],
    summary: "The association's applications in a state (default received: the queue to decide), oldest first",
    query: applicationQueueQuerySchema,
    answer: applicationQueueSchema,
    handle: ({ actor, query }) => listApplications(ctx, actor, query),
  });
  route.post('/api/v1/notifications::import', {
    tags: ['registry'],
    roles: ['admin', 'employer'],
    summary: `A CSV file of notifications (text/csv, UTF-8), answered per line (200); above ${JOB_THRESHOLD} rows a job to poll (202)`,
    description:
      'The columns of `shikaku import`. Each row is submitted as the caller, in its own transaction; ' +
      'a failing row writes nothing. A file that is not UTF-8 or has an unknown column answers VALIDATION_CSV. ' +
      `A file of more than ${JOB_THRESHOLD} data rows is read and checked now, then recorded in the background: ` +
      'the answer is 202 with the job and a Location header; GET /api/v1/notifications/jobs/{id} answers the ' +
      'same report once the job is done (docs/IMPORT.md).',
    query: uploadQuerySchema,
    answer: csvUploadReportSchema,
    also: { 202: csvUploadJobSchema },
    handle: async ({ actor, query, request, reply }) => {
      const body = request.body;
      const bytes = body instanceof Uint8Array ? body : typeof body === 'string' ? body : '';
      const answer = await uploadCsvOrQueue(ctx, actor, bytes, { recordedOn: query.recordedOn });
      if ('report' in answer) return answer.report;
      return reply.code(202).header('location', `/api/v1/notifications/jobs/${answer.job.jobId}`).send(answer.job);
    },
  });
};
