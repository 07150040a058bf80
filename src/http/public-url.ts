/**
 * The public base URL absolute links are built from (FHIR fullUrls, Bundle links, Location): the
 * configured SHIKAKU_PUBLIC_URL; else, behind a trusted proxy (SHIKAKU_TRUST_PROXY), the
 * X-Forwarded-Proto / X-Forwarded-Host it sets; else the request's own scheme and Host. A client's
 * forwarded headers are never believed unless the proxy is trusted.
 */
import type { FastifyRequest } from 'fastify';

export interface PublicUrlOptions {
  /** The configured public origin (and path prefix, if any), e.g. https://shikaku.example.jp. */
  url?: string | undefined;
  /** Whether X-Forwarded-Proto / X-Forwarded-Host come from a proxy we trust. */
  trustProxy?: boolean | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    publicUrl: PublicUrlOptions;
  }
}

/** SHIKAKU_PUBLIC_URL and SHIKAKU_TRUST_PROXY (1, true or yes); a malformed URL fails the start. */
export function publicUrlFromEnv(env: NodeJS.ProcessEnv = process.env): PublicUrlOptions {
  const url = env.SHIKAKU_PUBLIC_URL?.trim();
  if (url && !/^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/u.test(url)) {
    throw new Error(`SHIKAKU_PUBLIC_URL must be an http(s) URL without query or fragment: ${url}`);
  }
  return { url: url || undefined, trustProxy: /^(?:1|true|yes)$/iu.test(env.SHIKAKU_TRUST_PROXY ?? '') };
}

function firstForwarded(value: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  return raw?.split(',')[0]?.trim() || undefined;
}

/** The public origin (no trailing slash) a request's absolute links start with. */
export function publicOrigin(request: FastifyRequest, options: PublicUrlOptions): string {
  if (options.url) return options.url.replace(/\/+$/u, '');
  if (options.trustProxy) {
    const proto = firstForwarded(request.headers['x-forwarded-proto']);
    const host = firstForwarded(request.headers['x-forwarded-host']);
    const scheme = proto === 'https' || proto === 'http' ? proto : request.protocol;
    const authority = host && /^[A-Za-z0-9.\-:[\]]+$/u.test(host) ? host : request.host;
    return `${scheme}://${authority}`;
  }
  return `${request.protocol}://${request.host}`;
}
