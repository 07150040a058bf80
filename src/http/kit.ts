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

/** What a route's handler is given: the actor, and the request's parts as its schemas read them. */
export interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  actor: Actor;
  params: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One authenticated route: its schema (with the module's error answers), its roles and its handler. */
export interface RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends z.ZodType> {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  roles: Role[];
  tags: string[];
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The answer sent with `status` (default 200) when the handler returns a value rather than the reply. */
  answer: A;
  status?: 200 | 201;
  /** Answers beside `answer` and `errors` (another 2xx, or a problem only this route answers). */
  also?: Record<number, z.ZodType>;
  errors: Record<number, z.ZodType>;
  /** All the body's fields are optional: the body may be left out. */
  emptyBody?: boolean;
  handle: (input: RouteInput<P, Q, B>) => Promise<z.input<A> | FastifyReply>;
}

/**
 * Registers one route that calls a service with `actorOf(request)`: the OpenAPI schema is built from
 * the spec and the value the handler returns is sent with `status` (a handler that sends by itself,
 * a PDF or another status, returns the reply).
 */
export function defineRoute<
  P extends z.ZodType = z.ZodType<undefined>,
  Q extends z.ZodType = z.ZodType<undefined>,
  B extends z.ZodType = z.ZodType<undefined>,
  A extends z.ZodType = z.ZodType,
>(app: ZodFastify, spec: RouteSpec<P, Q, B, A>): void {
  const { status = 200 } = spec;
  // A plain schema: the handler's signature above is what checks the parts and the answer.
  const schema: FastifySchema = {
    tags: spec.tags,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    response: { [status]: spec.answer, ...spec.also, ...spec.errors },
  };
  app.route({
    method: spec.method,
    url: spec.url,
    config: { roles: spec.roles },
    ...(spec.emptyBody ? { preValidation: emptyBodyAsObject } : {}),
    schema,
    handler: async (request, reply) => {
      const result = await spec.handle({
        actor: actorOf(request),
        params: request.params as z.output<P>,
        query: request.query as z.output<Q>,
        body: request.body as z.output<B>,
        request,
        reply,
      });
      return result === reply ? reply : reply.code(status).send(result);
    },
  });
}

/**
 * A module's routes with what they share (tags, errors, roles) given once: `route.get(url, spec)`.
 */
export function routesOf(
  app: ZodFastify,
  shared: { tags: string[]; errors: Record<number, z.ZodType>; roles?: Role[] },
) {
  type Spec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends z.ZodType> = Omit<
    RouteSpec<P, Q, B, A>,
    'method' | 'url' | 'tags' | 'errors' | 'roles'
  > &
    Partial<Pick<RouteSpec<P, Q, B, A>, 'tags' | 'errors' | 'roles'>>;
  const on =
    (method: RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>['method']) =>
    <
      P extends z.ZodType = z.ZodType<undefined>,
      Q extends z.ZodType = z.ZodType<undefined>,
      B extends z.ZodType = z.ZodType<undefined>,
      A extends z.ZodType = z.ZodType,
    >(
      url: string,
      spec: Spec<P, Q, B, A>,
    ) => {
      const roles = spec.roles ?? shared.roles;
      if (!roles) throw new Error(`route ${method} ${url} names no roles`);
      defineRoute(app, { ...shared, ...spec, method, url, roles });
    };
  return { get: on('GET'), post: on('POST'), delete: on('DELETE') };
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
  const { suffix, method = 'post', roles, run, ...rest } = spec;
  return (app, ctx, resource) =>
    defineRoute(app, {
      ...rest,
      method: method === 'post' ? 'POST' : 'DELETE',
      url: `${resource.path}${suffix}`,
      tags: resource.tags,
      params: resource.params,
      errors: resource.errors,
      roles: roles ?? resource.roles,
      handle: ({ actor, params, body }) => run(ctx, actor, params.id, body),
    });
}

/** Registers the actions of one resource, in order. */
export function registerIdActions(app: ZodFastify, ctx: ServiceContext, resource: IdResource, actions: IdAction[]) {
  for (const register of actions) register(app, ctx, resource);
}
