import { z } from 'zod';
import {
  certificateApplicationSchema,
  collectSchema,
  exOfficioRunSchema,
  reissueSchema,
  reportLostSchema,
} from '../../contract/certificates.js';
import { isoDate, problem } from '../../contract/common.js';
import {
  applyForCertificate,
  type CertificateIssued,
  type CertificateView,
  collectCertificate,
  getCertificate,
  reissueCertificate,
  reportCertificateLost,
} from '../../services/certificates.js';
import { certificatePdf } from '../../services/documents.js';
import { type ExOfficioRunResult, getRun, runExOfficio } from '../../services/issuance-run.js';
import { actorOf, emptyBodyAsObject, type RouteModule, sendPdf } from '../kit.js';

/**
 * 資格確認書 (DESIGN.md §5.2): the ex-officio run, applications, reissue, collection, loss reports and
 * the card-size PDF. Action routes are `/api/v1/certificates/{id}:action`; the id carries a regex that
 * ends it at the colon (find-my-way would read `:id::reissue` as one parameter), and at the dot of
 * `{id}.pdf`.
 */
const CERTIFICATE = '/api/v1/certificates/:id([^:/.]+)';

const params = z.strictObject({ id: z.string().min(1).max(100).describe('certificate id') });
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['certificates'];

const exOfficioReason = z.enum([
  'no_card',
  'not_registered',
  'registration_cancelled',
  'cert_expired',
  'card_returned',
]);
const skipReason = z.enum([
  'usable_myna_card',
  'valid_legacy_card',
  'already_has_certificate',
  'not_eligible',
  'on_application_policy',
]);

const runAnswer = z.object({
  runId: z.string().nullable().describe('null in a dry run'),
  insurerNumber: z.string(),
  asOf: z.string(),
  dryRun: z.boolean(),
  resumed: z.boolean().describe('true when this call finished a run an earlier call had left unfinished'),
  issued: z.array(
    z.object({
      memberId: z.string(),
      certificateId: z.string().nullable(),
      reason: exOfficioReason,
      validUntil: z.string(),
    }),
  ),
  skipped: z.array(z.object({ memberId: z.string(), reason: skipReason })),
}) satisfies z.ZodType<ExOfficioRunResult>;

const runView = runAnswer.extend({
  state: z.enum(['running', 'finished']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

const kind = z.enum(['ex_officio', 'on_application', 'reissue']);

const issuedAnswer = z.object({
  applicationId: z.string(),
  certificateId: z.string(),
  memberId: z.string(),
  reason: z.string(),
  kind,
  issuedOn: z.string(),
  validUntil: z.string(),
  feeYen: z.number().describe('再交付手数料 charged (non-refundable); 0 unless a reissue'),
  supersedesId: z.string().nullable(),
}) satisfies z.ZodType<CertificateIssued>;

export const certificateView = z.object({
  certificateId: z.string(),
  memberId: z.string(),
  insurerNumber: z.string(),
  issuedOn: z.string(),
  validUntil: z.string(),
  reason: z.string(),
  kind,
  feeYen: z.number(),
  supersedesId: z.string().nullable(),
  collectedOn: z.string().nullable(),
  collectionReason: z
    .enum(['loss', 'dependent_remove', 'name_change', 'number_change', 'superseded', 'returned'])
    .nullable(),
  reportedLostOn: z.string().nullable(),
  runId: z.string().nullable(),
  applicationId: z.string().nullable(),
  status: z.enum(['usable', 'not_yet_issued', 'reported_lost', 'collected', 'expired']),
  asOf: z.string(),
}) satisfies z.ZodType<CertificateView>;

const collectionAnswer = z.object({ certificate: certificateView, replacement: certificateView.nullable() });

export const certificateRoutes: RouteModule = (app, ctx) => {
  // '::' is Fastify's escape for a literal ':' in a path: the URL is /api/v1/certificates:issue-ex-officio.
  app.post(
    '/api/v1/certificates::issue-ex-officio',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: '職権交付: decide for every member on asOf and issue (idempotent, resumable; dryRun writes nothing)',
        body: exOfficioRunSchema,
        response: { 200: runAnswer, ...errors },
      },
    },
    async (request) => runExOfficio(ctx, actorOf(request), request.body),
  );

  app.get(
    '/api/v1/certificate-runs/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        summary: 'An ex-officio run and every member it issued or skipped, with the reason',
        params: z.strictObject({ id: z.string().min(1).max(100) }),
        response: { 200: runView, ...errors },
      },
    },
    async (request) => getRun(ctx, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/certificates',
    {
      config: { roles: ['admin', 'employer', 'member'] },
      schema: {
        tags,
        summary: 'A 資格確認書 on application (one of the 8 reasons); refused with CERTIFICATE_NOT_NEEDED etc.',
        description:
          'A refusal is recorded as a refused application; its problem carries details.applicationId, ' +
          'details.why and, when the data tells one, details.suggestedReason. certificate_lost reissues the ' +
          'certificate held, with the association fee.',
        body: certificateApplicationSchema,
        response: { 201: issuedAnswer, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await applyForCertificate(ctx, actorOf(request), request.body)),
  );

  app.get(
    CERTIFICATE,
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags,
        summary: 'A 資格確認書 and its state on a day (default today)',
        params,
        querystring: z.strictObject({ asOf: isoDate.optional() }),
        response: { 200: certificateView, ...errors },
      },
    },
    async (request) => getCertificate(ctx, actorOf(request), request.params.id, request.query.asOf),
  );

  app.get(
    `${CERTIFICATE}.pdf`,
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags,
        summary: 'The card-size 資格確認書 (85.6 × 54 mm) as a PDF (audited as a disclosure)',
        params,
        response: { ...errors },
      },
    },
    async (request, reply) => {
      return sendPdf(reply, await certificatePdf(ctx, actorOf(request), request.params.id));
    },
  );

  app.post(
    `${CERTIFICATE}::reissue`,
    {
      config: { roles: ['admin', 'member'] },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: 'Reissue after loss or damage: the association fee is recorded, the old certificate superseded',
        params,
        body: reissueSchema,
        response: { 201: issuedAnswer, ...errors },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reissueCertificate(ctx, actorOf(request), request.params.id, request.body)),
  );

  app.post(
    `${CERTIFICATE}::collect`,
    {
      config: { roles: ['admin'] },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: '回収: no longer a proof from collectedOn (a name or number change also issues the replacement)',
        params,
        body: collectSchema,
        response: { 200: collectionAnswer, ...errors },
      },
    },
    async (request) => collectCertificate(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${CERTIFICATE}::report-lost`,
    {
      config: { roles: ['admin', 'member'] },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: '紛失届: no longer a proof from reportedOn (CERTIFICATE_REPORTED_LOST at a reception)',
        params,
        body: reportLostSchema,
        response: { 200: certificateView, ...errors },
      },
    },
    async (request) => reportCertificateLost(ctx, actorOf(request), request.params.id, request.body),
  );
};
