import {
  applicationParamsSchema,
  applicationSchema,
  applicationViewSchema,
  approveSchema,
  refuseSchema,
} from '../../contract/applications.js';
import { problem } from '../../contract/common.js';
import { approveApplication, refuseApplication } from '../../services/application-decide.js';
import { submitApplication } from '../../services/application-receive.js';
import { getApplication } from '../../services/applications.js';
import { actorOf, emptyBodyAsObject, type RouteModule } from '../kit.js';

/**
 * Applications (DESIGN.md §5.2): 限度額適用認定, 限度額適用・標準負担額減額認定, 特定疾病, 利用登録解除 and
 * お知らせ reissue. Received by the association (or filed by the member), then approved or refused
 * (`/api/v1/applications/{id}:approve|:refuse`, the id ending at the colon).
 */
const APPLICATION = '/api/v1/applications/:id([^:/]+)';
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['applications'];

export const applicationRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/api/v1/applications',
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags,
        summary: 'File an application (state received); refusals at receipt are recorded and answered with their code',
        body: applicationSchema,
        response: { 201: applicationViewSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await submitApplication(ctx, actorOf(request), request.body)),
  );

  app.get(
    APPLICATION,
    {
      config: { roles: ['admin', 'member'] },
      schema: {
        tags,
        summary: 'An application and its decision',
        params: applicationParamsSchema,
        response: { 200: applicationViewSchema, ...errors },
      },
    },
    async (request) => getApplication(ctx, actorOf(request), request.params.id),
  );

  app.post(
    `${APPLICATION}::approve`,
    {
      config: { roles: ['admin'] },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary:
          'Approve: record the certification, cancel the registration and issue a 資格確認書, or reissue the お知らせ',
        params: applicationParamsSchema,
        body: approveSchema,
        response: { 200: applicationViewSchema, ...errors },
      },
    },
    async (request) => approveApplication(ctx, actorOf(request), request.params.id, request.body),
  );

  app.post(
    `${APPLICATION}::refuse`,
    {
      config: { roles: ['admin'] },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        summary: 'Refuse a received application with the association’s reason code',
        params: applicationParamsSchema,
        body: refuseSchema,
        response: { 200: applicationViewSchema, ...errors },
      },
    },
    async (request) => refuseApplication(ctx, actorOf(request), request.params.id, request.body),
  );
};
