/**
 * The route kit: what a route module needs from the HTTP shell, and nothing of how the app is
 * assembled (`app.ts` imports the route modules; the route modules import only this file).
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
