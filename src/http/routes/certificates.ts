import {
  certificateApplicationSchema,
  certificateIssuedSchema,
  certificateParamsSchema,
  certificateQuerySchema,
  certificateViewSchema,
  collectionAnswerSchema,
  collectSchema,
  exOfficioRunAnswerSchema,
  exOfficioRunSchema,
  exOfficioRunViewSchema,
  reissueSchema,
  reportLostSchema,
  runParamsSchema,
} from '../../contract/certificates.js';
import { problem } from '../../contract/common.js';
import { pdfAnswerSchema } from '../../contract/documents.js';
import type { Role } from '../../services/actor.js';
import { applyForCertificate, reissueCertificate } from '../../services/certificates/apply.js';
import { collectCertificate, reportCertificateLost } from '../../services/certificates/collect.js';
import { getCertificate } from '../../services/certificates/view.js';
import { certificatePdf } from '../../services/documents/downloads.js';
import { getRun, runExOfficio } from '../../services/issuance-run.js';
import { idAction, type RouteModule, registerIdActions, routesOf, sendPdf } from '../kit.js';

/**
 * 資格確認書 (DESIGN.md §5.2): the ex-officio run, applications, reissue, collection, loss reports and
 * the card-size PDF. Action routes are `/api/v1/certificates/{id}:action`; the id carries a regex that
 * ends it at the colon (find-my-way would read `:id::reissue` as one parameter), and at the dot of
 * `{id}.pdf`.
 */
const CERTIFICATE = '/api/v1/certificates/:id([^:/.]+)';

const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['certificates'];
const adminOrMember: Role[] = ['admin', 'member'];

export const certificateRoutes: RouteModule = (app, ctx) => {
  const route = routesOf(app, { tags, errors, roles: adminOrMember });
  // '::' is Fastify's escape for a literal ':' in a path: the URL is /api/v1/certificates:issue-ex-officio.
  route.post('/api/v1/certificates::issue-ex-officio', {
    roles: ['admin'],
    summary: '職権交付: decide for every member on asOf and issue (idempotent, resumable; dryRun writes nothing)',
    body: exOfficioRunSchema,
    answer: exOfficioRunAnswerSchema,
    handle: ({ actor, body }) => runExOfficio(ctx, actor, body),
  });
  route.get('/api/v1/certificate-runs/:id', {
    roles: ['admin'],
    summary: 'An ex-officio run and every member it issued or skipped, with the reason',
    params: runParamsSchema,
    answer: exOfficioRunViewSchema,
    handle: ({ actor, params }) => getRun(ctx, actor, params.id),
  });
  route.post('/api/v1/certificates', {
    roles: ['admin', 'employer', 'member'],
    summary: 'A 資格確認書 on application (one of the 8 reasons); refused with CERTIFICATE_NOT_NEEDED etc.',
    description:
      'A refusal is recorded as a refused application; its problem carries details.applicationId, ' +
      'details.why and, when the data tells one, details.suggestedReason. certificate_lost reissues the ' +
      'certificate held, with the association fee.',
    body: certificateApplicationSchema,
    answer: certificateIssuedSchema,
    status: 201,
    handle: ({ actor, body }) => applyForCertificate(ctx, actor, body),
  });
  route.get(CERTIFICATE, {
    summary: 'A 資格確認書 and its state on a day (default today)',
    params: certificateParamsSchema,
    query: certificateQuerySchema,
    answer: certificateViewSchema,
    handle: ({ actor, params, query }) => getCertificate(ctx, actor, params.id, query.asOf),
  });
  route.get(`${CERTIFICATE}.pdf`, {
    summary: 'The card-size 資格確認書 (85.6 × 54 mm) as a PDF (audited as a disclosure)',
    params: certificateParamsSchema,
    answer: pdfAnswerSchema,
    handle: async ({ actor, params, reply }) => sendPdf(reply, await certificatePdf(ctx, actor, params.id)),
  });

  const resource = { path: CERTIFICATE, params: certificateParamsSchema, tags, errors, roles: adminOrMember };
  registerIdActions(app, ctx, resource, [
    idAction({
      suffix: '::reissue',
      summary: 'Reissue after loss or damage: the association fee is recorded, the old certificate superseded',
      body: reissueSchema,
      answer: certificateIssuedSchema,
      status: 201,
      emptyBody: true,
      run: reissueCertificate,
    }),
    idAction({
      suffix: '::collect',
      summary: '回収: no longer a proof from collectedOn (a name or number change also issues the replacement)',
      body: collectSchema,
      answer: collectionAnswerSchema,
      roles: ['admin'],
      emptyBody: true,
      run: collectCertificate,
    }),
    idAction({
      suffix: '::report-lost',
      summary: '紛失届: no longer a proof from reportedOn (CERTIFICATE_REPORTED_LOST at a reception)',
      body: reportLostSchema,
      answer: certificateViewSchema,
      emptyBody: true,
      run: reportCertificateLost,
    }),
  ]);
};
