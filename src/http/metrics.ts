/**
 * Prometheus metrics at `GET /metrics` (role operator; docs/OPERATIONS.md lists them). Labels are
 * route patterns, methods, status codes and stable outcome/reason codes only: never a path with an
 * id in it, never a person, a token or an association's data.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ServiceContext } from '../services/context.js';

/** Process metrics (CPU, memory, event loop, GC) are per process: one registry, started once. */
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'shikaku_' });
  }
  return processRegistry;
}

const VERIFICATION_ROUTE = '/api/v1/verifications';

/** Adds the request hooks and the `/metrics` route to an app (one metrics registry per app). */
export function registerMetrics(app: FastifyInstance, ctx: ServiceContext): void {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({
    name: 'shikaku_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'shikaku_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const verifications = new Counter({
    name: 'shikaku_verifications_total',
    help: 'Eligibility verifications answered (REST), by method (card/number) and outcome',
    labelNames: ['method', 'outcome'] as const,
    registers: [registry],
  });
  const reasons = new Counter({
    name: 'shikaku_verification_reasons_total',
    help: 'Reason codes given in verification answers (REST)',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'shikaku_audit_records',
    help: 'Records in the audit chain (it must only grow)',
    registers: [registry],
    async collect() {
      const head = await ctx.store.db.selectFrom('audit_head').select('seq').where('id', '=', 1).executeTakeFirst();
      this.set(Number(head?.seq ?? 0));
    },
  });

  app.addHook('onResponse', async (request, reply) => {
    // The pattern (`/api/v1/members/:id`), never the path: paths carry ids.
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.addHook('preSerialization', async (request, reply, payload) => {
    if (request.routeOptions.url !== VERIFICATION_ROUTE || request.method !== 'POST' || reply.statusCode !== 200) {
      return payload;
    }
    const answer = payload as { outcome?: unknown; reasons?: Array<{ code?: unknown }> } | null;
    const method = (request.body as { method?: unknown } | undefined)?.method;
    if (typeof answer?.outcome === 'string') {
      verifications.inc({ method: method === 'card' ? 'card' : 'number', outcome: answer.outcome });
      for (const r of answer.reasons ?? []) if (typeof r.code === 'string') reasons.inc({ code: r.code });
    }
    return payload;
  });

  app.get('/metrics', { config: { roles: ['operator'] }, schema: { hide: true } }, async (_request, reply) => {
    const text = `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    return reply.type(registry.contentType).send(text);
  });
}
