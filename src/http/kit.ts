/**
 * The route kit: what a route module needs from the HTTP shell, and nothing of how the app is
 * assembled (`app.ts` imports the route modules; the route modules import only this file).
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ShikakuError } from '../domain/codes.js';
import type { Actor, Role } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; a route without it is public (health, docs, static pages). */
    roles?: Role[];
  }
}

export type ZodFastify = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A route module: registers its routes, each calling a service with `actorOf(request)`. */
export type RouteModule = (app: ZodFastify, ctx: ServiceContext) => Promise<void> | void;

/** The authenticated actor of a route that declared `config.roles` (the hook guarantees one). */
export function actorOf(request: { actor: Actor | null }): Actor {
  if (!request.actor) throw new ShikakuError('AUTH_REQUIRED');
  return request.actor;
}

/** A personal PDF: downloaded, never cached. */
export function sendPdf(reply: FastifyReply, file: { pdf: Buffer; filename: string }): FastifyReply {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${file.filename}"`)
    .header('cache-control', 'no-store')
    .send(file.pdf);
}

/**
 * Lets an action whose fields are all optional be posted without a body (`POST …/{id}:collect`):
 * an absent body is read as `{}` before validation.
 */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {};
}

/** One action's registration on a resource (see `idAction`). */
export type IdAction = (app: ZodFastify, ctx: ServiceContext, resource: IdResource) => void;

/** What the actions of one resource share: its path (the id ends at the colon), params, tags, errors, roles. */
export interface IdResource {
  path: string;
  params: z.ZodType<{ id: string }>;
  tags: string[];
  errors: Record<number, z.ZodType>;
  roles: Role[];
}

/**
 * An action on one resource, `POST {resource}/{id}:{name}` (or another method and suffix): the
 * service is called with the actor, the id and the body, and its answer sent with `status`.
 */
export function idAction<B extends z.ZodType, A extends z.ZodType>(spec: {
  /** Appended to the resource path: `::name` for an action, `/sub` for a sub-resource. */
  suffix: string;
  method?: 'post' | 'delete';
  summary: string;
  body: B;
  answer: A;
  status?: 200 | 201;
  roles?: Role[];
  /** All the body's fields are optional: the body may be left out. */
  emptyBody?: boolean;
  run: (ctx: ServiceContext, actor: Actor, id: string, body: z.output<B>) => Promise<z.input<A>>;
}): IdAction {
  const { suffix, method = 'post', summary, body, answer, status = 200, roles, emptyBody, run } = spec;
  return (app, ctx, resource) => {
    // A plain schema: the service's signature above is what checks the body and the answer.
    const schema: FastifySchema = {
      tags: resource.tags,
      summary,
      params: resource.params,
      body,
      response: { [status]: answer, ...resource.errors },
    };
    app.route({
      method: method === 'post' ? 'POST' : 'DELETE',
      url: `${resource.path}${suffix}`,
      config: { roles: roles ?? resource.roles },
      ...(emptyBody ? { preValidation: emptyBodyAsObject } : {}),
      schema,
      handler: async (request, reply) => {
        const { id } = request.params as { id: string };
        return reply.code(status).send(await run(ctx, actorOf(request), id, request.body as z.output<B>));
      },
    });
  };
}

/** Registers the actions of one resource, in order. */
export function registerIdActions(app: ZodFastify, ctx: ServiceContext, resource: IdResource, actions: IdAction[]) {
  for (const register of actions) register(app, ctx, resource);
}
