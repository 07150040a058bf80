import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ShikakuError } from '../domain/codes.js';
import type { Role } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import { authenticate } from '../services/tokens.js';
import { type LimitOptions, registerLimits, verifyRateFromEnv } from './limits.js';
import { loggablePath } from './log-safety.js';
import { registerMetrics } from './metrics.js';
import { errorHandler, problemOf, refuseRepeatedQueryKeys, sendProblem } from './problem.js';
import { type PublicUrlOptions, publicUrlFromEnv } from './public-url.js';
// The route kit declares `request.actor` and `config.roles`, which the hooks below use.
import './kit.js';
import { ROUTES } from './routes/index.js';

export interface AppOptions {
  ctx: ServiceContext;
  /** false in tests; true or pino options when serving. */
  logger?: FastifyServerOptions['logger'];
  /** Abuse limits (src/http/limits.ts); default from the environment (SHIKAKU_RATE_LIMIT_VERIFY). */
  limits?: Partial<LimitOptions>;
  /** Where absolute links point (src/http/public-url.ts); default from the environment. */
  publicUrl?: PublicUrlOptions;
}

/** One registered route: its method, URL pattern (as registered) and `config.roles` (null: public). */
export interface RouteEntry {
  method: string;
  url: string;
  roles: readonly Role[] | null;
}

const ROUTE_TABLES = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Every route of an app built by `buildApp`, in registration order (HEAD twins of GET routes
 * included): the access-control matrix (test/security) is generated from it, so no route escapes.
 */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTE_TABLES.get(app) ?? [];
}

/**
 * Logs never carry personal data: no bodies, no query strings (a kana search is a name), no
 * Authorization header.
 */
export const LOGGER_OPTIONS = {
  level: process.env.LOG_LEVEL ?? 'info',
  timestamp: () => `,"time":"${new Date().toISOString()}"`,
  redact: ['req.headers.authorization'],
  serializers: {
    req: (req: { method: string; url: string; id: string }) => ({
      id: req.id,
      method: req.method,
      path: loggablePath(req.url.split('?')[0] ?? ''),
    }),
  },
};

export async function buildApp({ ctx, logger = false, limits, publicUrl }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 8 * 1024 * 1024,
    return503OnClosing: true,
    // Errors the router and the HTTP parser raise before a route runs answer problem+json too.
    frameworkErrors: (error, _request, reply) =>
      sendProblem(reply, problemOf(error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'URI_TOO_LONG' : 'BAD_REQUEST')),
    clientErrorHandler: writeClientError,
  });
  const table: RouteEntry[] = [];
  ROUTE_TABLES.set(app, table);
  app.addHook('onRoute', (route) => {
    const roles = route.config?.roles ?? null;
    for (const method of [route.method].flat()) table.push({ method, url: route.url, roles });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, problemOf('NOT_FOUND')));
  app.decorateRequest('actor', null);
  app.decorate('publicUrl', publicUrl ?? publicUrlFromEnv());

  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request.headers.authorization);
    if (token) request.actor = await authenticate(ctx, token);
  });
  app.addHook('onSend', async (request, reply) => {
    if (!request.routeOptions.config?.roles) return;
    // Every authenticated answer is about someone: no browser or proxy may keep it.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    // RFC 6750 §3: a 401 for want of a valid token names the scheme, and says when the token was refused.
    if (reply.statusCode === 401 && !request.actor) {
      const sent = bearerToken(request.headers.authorization) !== null;
      reply.header(
        'www-authenticate',
        sent ? 'Bearer realm="shikaku", error="invalid_token"' : 'Bearer realm="shikaku"',
      );
    }
  });
  // Before validation, so an unauthenticated caller learns nothing about the body's shape.
  app.addHook('preValidation', async (request) => {
    const roles = request.routeOptions.config.roles;
    if (!roles) return;
    if (!request.actor) throw new ShikakuError('AUTH_REQUIRED');
    if (!roles.includes(request.actor.role)) throw new ShikakuError('FORBIDDEN', { role: request.actor.role });
  });
  app.addHook('preValidation', refuseRepeatedQueryKeys);
  // Rate and body limits (issue 6 §5): before any route registers, after the authentication hook.
  await registerLimits(app, { verifyPerMinute: limits?.verifyPerMinute ?? verifyRateFromEnv() });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Shikaku — 資格確認 API',
        description: 'Health-insurance eligibility: registry, documents and online verification (DESIGN.md §5).',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await ctx.store.db.selectFrom('audit_head').select('id').executeTakeFirst();
      return { status: 'ok', store: ctx.store.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  registerMetrics(app, ctx);
  for (const register of ROUTES) await register(app.withTypeProvider<ZodTypeProvider>(), ctx);
  return app;
}

/** The token of an `Authorization: Bearer …` header; the scheme is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(header: string | undefined): string | null {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * A request Node's HTTP parser refused (headers too large, malformed, timed out) gets a problem+json
 * answer before the connection closes, like every other error.
 */
function writeClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const problem =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? problemOf('HEADERS_TOO_LARGE')
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? problemOf('BAD_REQUEST', { status: 408, detail: 'the request took too long to arrive' })
          : problemOf('BAD_REQUEST');
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
