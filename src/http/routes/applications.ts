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
import { idAction, type RouteModule, registerIdActions, routesOf } from '../kit.js';

/**
 * Applications (DESIGN.md §5.2): 限度額適用認定, 限度額適用・標準負担額減額認定, 特定疾病, 利用登録解除 and
 * お知らせ reissue. Received by the association (or filed by the member), then approved or refused
 * (`/api/v1/applications/{id}:approve|:refuse`, the id ending at the colon).
 */
const APPLICATION = '/api/v1/applications/:id([^:/]+)';
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem };
const tags = ['applications'];

export const applicationRoutes: RouteModule = (app, ctx) => {
  const route = routesOf(app, { tags, errors, roles: ['admin', 'member'] });
  route.post('/api/v1/applications', {
    summary: 'File an application (state received); refusals at receipt are recorded and answered with their code',
    body: applicationSchema,
    answer: applicationViewSchema,
    status: 201,
    handle: ({ actor, body }) => submitApplication(ctx, actor, body),
  });
  route.get(APPLICATION, {
    summary: 'An application and its decision',
    params: applicationParamsSchema,
    answer: applicationViewSchema,
    handle: ({ actor, params }) => getApplication(ctx, actor, params.id),
  });

  const resource = { path: APPLICATION, params: applicationParamsSchema, tags, errors, roles: ['admin' as const] };
  registerIdActions(app, ctx, resource, [
    idAction({
      suffix: '::approve',
      summary:
        'Approve: record the certification, cancel the registration and issue a 資格確認書, or reissue the お知らせ',
      body: approveSchema,
      answer: applicationViewSchema,
      emptyBody: true,
      run: approveApplication,
    }),
    idAction({
      suffix: '::refuse',
      summary: 'Refuse a received application with the association’s reason code',
      body: refuseSchema,
      answer: applicationViewSchema,
      emptyBody: true,
      run: refuseApplication,
    }),
  ]);
};
