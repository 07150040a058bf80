/**
 * Abuse limits (issue 6 §5): a per-token rate limit on the routes a reception terminal or a card
 * reader calls for every patient, and per-route body limits. The policy is one table here, applied
 * by an onRoute hook as routes register, so route modules stay about their contract and the whole
 * policy can be read and tested in one place (test/security/limits.test.ts checks every entry names
 * a registered route).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ShikakuError } from '../domain/codes.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * Routes under the verification rate limit, as `METHOD url-pattern`: the challenge, the answer, the
 * card's signature and their FHIR twins, and the member portal's card login (public, so keyed by IP).
 */
export const RATE_LIMITED_ROUTES: readonly string[] = [
  'GET /api/v1/verifications/challenge',
  'POST /api/v1/verifications',
  'POST /api/v1/verifications::oqs',
  'POST /oqs-api-pro/MSA01030/ILI01030SV01/search',
  'POST /api/v1/cards/:id([^:/]+)::sign',
  'POST /fhir/R4/CoverageEligibilityRequest/$submit',
  'POST /fhir/R4/CoverageEligibilityRequest/$challenge',
  'GET /api/v1/me/challenge',
  'POST /api/v1/me/card::sign',
  'POST /api/v1/me/session',
];

/**
 * Routes that carry up to 1,000 checks in one request (batch verification, the OQS 一括照会): a
 * request is worth a hundred single ones, so each gets a hundredth of the budget (at least one a minute).
 */
export const BATCH_RATE_LIMITED_ROUTES: readonly string[] = [
  'POST /api/v1/verifications::batch',
  'POST /oqs-api-pro/bulk',
];
export const BATCH_WEIGHT = 100;

/**
 * Body limits below the global 8 MiB (src/http/app.ts), as `METHOD url-pattern` → bytes. A
 * verification is a certificate PEM (≤ 16 KiB by schema) and a signature: 64 KiB leaves room for
 * FHIR's wrapping (a Bundle or Parameters around the request). One notification is a few hundred
 * bytes; 256 KiB is generous. A batch keeps the global 8 MiB: its schema takes up to 10,000 rows of
 * about 0.5 KiB each (≈ 5 MiB of JSON), the size of a large employer's monthly file; a CSV upload
 * the same 8 MiB (≈ 40,000 rows of ~200 bytes; larger files go through `shikaku import`).
 */
export const BODY_LIMITS: Readonly<Record<string, number>> = {
  'POST /api/v1/verifications': 64 * KiB,
  'POST /api/v1/verifications::oqs': 64 * KiB,
  'POST /oqs-api-pro/MSA01030/ILI01030SV01/search': 64 * KiB,
  'POST /fhir/R4/CoverageEligibilityRequest/$submit': 64 * KiB,
  'POST /fhir/R4/CoverageEligibilityRequest/$challenge': 16 * KiB,
  'POST /api/v1/cards/:id([^:/]+)::sign': 16 * KiB,
  'POST /api/v1/me/card::sign': 16 * KiB,
  'POST /api/v1/me/session': 64 * KiB,
  'POST /api/v1/notifications': 256 * KiB,
  'POST /api/v1/notifications::batch': 8 * MiB,
  'POST /api/v1/notifications::import': 8 * MiB,
};

export interface LimitOptions {
  /** Requests per minute per token (per IP without one) on each rate-limited route; 0 disables. */
  verifyPerMinute: number;
}

/** The default when SHIKAKU_RATE_LIMIT_VERIFY is unset: ten a second per terminal, far above a queue. */
export const DEFAULT_VERIFY_PER_MINUTE = 600;

/** SHIKAKU_RATE_LIMIT_VERIFY (a whole number ≥ 0; 0 disables), else the default. */
export function verifyRateFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHIKAKU_RATE_LIMIT_VERIFY?.trim();
  if (raw === undefined || raw === '') return DEFAULT_VERIFY_PER_MINUTE;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new Error(
      `SHIKAKU_RATE_LIMIT_VERIFY must be a whole number of requests per minute (0 disables), not "${raw}"`,
    );
  }
  return Number(raw);
}

/**
 * The bucket of a request: its token, so the terminals of one hospital behind one address each
 * have their own; the client address only for a request without a valid token.
 */
export function rateLimitKey(request: FastifyRequest): string {
  return request.actor ? `token:${request.actor.tokenId}` : `ip:${request.ip}`;
}

function routeKeys(route: RouteOptions): string[] {
  return [route.method].flat().map((method) => `${method} ${route.url}`);
}

/**
 * Installs the limits on `app`; call before any route is registered. The onRoute hook runs before
 * @fastify/rate-limit's own (hooks run in registration order), so the plugin sees `config.rateLimit`.
 * The plugin's hook is a route-level onRequest hook, so it runs after the app's authentication hook
 * and can key by token.
 */
export async function registerLimits(app: FastifyInstance, options: LimitOptions): Promise<void> {
  const limited = new Set(RATE_LIMITED_ROUTES);
  const batches = new Set(BATCH_RATE_LIMITED_ROUTES);
  const perMinute = options.verifyPerMinute;
  app.addHook('onRoute', (route) => {
    for (const key of routeKeys(route)) {
      const bodyLimit = BODY_LIMITS[key];
      if (bodyLimit !== undefined) route.bodyLimit ??= bodyLimit;
      if (perMinute > 0 && limited.has(key)) {
        route.config = { ...route.config, rateLimit: { max: perMinute, timeWindow: 60_000 } };
      }
      if (perMinute > 0 && batches.has(key)) {
        const max = Math.max(1, Math.floor(perMinute / BATCH_WEIGHT));
        route.config = { ...route.config, rateLimit: { max, timeWindow: 60_000 } };
      }
    }
  });
  if (perMinute > 0) {
    await app.register(rateLimit, {
      global: false,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.ceil(context.ttl / 1000);
        return new ShikakuError(
          'RATE_LIMITED',
          { retryAfterSeconds: seconds, limitPerMinute: context.max },
          { ja: `${seconds}秒後に再試行してください`, en: `retry in ${seconds} s` },
        );
      },
    });
  }
}
