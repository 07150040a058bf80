/**
 * The access-control matrix (issue 6 item 1; DESIGN.md §1, §5), generated from the app's own route
 * table: every route × every role × in-scope / out-of-scope target. A new route cannot escape it:
 * a guarded route without a fixture in access-fixtures.ts, or a public one not allow-listed with a
 * reason, fails the table checks below.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type RouteEntry, routeTable } from '../../src/http/app.js';
import { SCREEN_PATHS, WEB_DIST } from '../../src/http/routes/web.js';
import type { Role } from '../../src/services/actor.js';
import { openTestContext, STORE_KINDS } from '../support/stores.js';
import {
  AWAITED,
  buildWorld,
  type Call,
  MATRIX,
  OUTSIDE_API,
  type OutOfScope,
  type Person,
  PUBLIC,
  ROLES,
  secretsOf,
  type World,
} from './access-fixtures.js';

// The route table of the app as it is built (a throwaway store: building registers every route).
const probeCtx = await openTestContext('sqlite');
const probe = await buildApp({ ctx: probeCtx, limits: { verifyPerMinute: 0 } });
const ROUTES: RouteEntry[] = routeTable(probe).filter((r) => r.method !== 'HEAD');
await probe.close();
await probeCtx.store.close();

const keyOf = (r: RouteEntry): string => `${r.method} ${r.url}`;
const isApi = (url: string): boolean => url.startsWith('/api/') || url.startsWith('/fhir/');
const API = ROUTES.filter((r) => isApi(r.url));
/** Every route that declares roles, wherever it is (e.g. /metrics). */
const GUARDED = ROUTES.filter((r) => r.roles !== null);
const REGISTERED = new Set(ROUTES.map(keyOf));

describe('the route table', () => {
  it('is read from the app: it holds the routes of every module', () => {
    expect(API.length).toBeGreaterThan(30);
    expect(REGISTERED).toContain('POST /api/v1/verifications');
    expect(REGISTERED).toContain('GET /fhir/R4/Patient/:id');
  });

  it('every /api/ and /fhir/ route declares roles or is allow-listed PUBLIC with a reason', () => {
    const escaped = API.filter((r) => r.roles === null && !(keyOf(r) in PUBLIC)).map(keyOf);
    expect(escaped, 'public routes missing from PUBLIC in test/security/access-fixtures.ts').toEqual([]);
    for (const [key, entry] of Object.entries(PUBLIC)) expect(entry.reason.length, key).toBeGreaterThan(10);
  });

  it('every guarded route has a fixture in the matrix (add one for a new route)', () => {
    const missing = GUARDED.filter((r) => !(keyOf(r) in MATRIX)).map(keyOf);
    expect(missing, 'guarded routes missing from MATRIX in test/security/access-fixtures.ts').toEqual([]);
  });

  it('PUBLIC routes declare no roles and matrix routes do', () => {
    const wrong = API.filter((r) => keyOf(r) in PUBLIC === (r.roles !== null)).map(keyOf);
    expect(wrong).toEqual([]);
    for (const r of GUARDED) expect(r.roles?.length, keyOf(r)).toBeGreaterThan(0);
  });

  it('public routes outside /api/ and /fhir/ are known (docs, health, the screens)', () => {
    const built = existsSync(WEB_DIST) ? readdirSync(WEB_DIST).map((f) => `/${f}`) : [];
    const screens = new Set(SCREEN_PATHS.flatMap((p) => [p, `${p}/*`]));
    const unknown = ROUTES.filter((r) => !isApi(r.url) && r.roles === null).filter(
      (r) =>
        !(
          screens.has(r.url) ||
          built.includes(r.url) ||
          OUTSIDE_API.some(
            ({ prefix }) => r.url === prefix || r.url.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`),
          )
        ),
    );
    expect(unknown.map(keyOf)).toEqual([]);
  });

  it('entries naming no registered route are exactly the AWAITED ones (the table stays honest)', () => {
    const stale = [...Object.keys(MATRIX), ...Object.keys(PUBLIC)].filter((k) => !REGISTERED.has(k));
    expect(stale.sort()).toEqual(Object.keys(AWAITED).sort());
  });
});

// ---------------------------------------------------------------------------------------------------

function methodOf(key: string): 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH' {
  return key.slice(0, key.indexOf(' ')) as 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
}

async function send(w: World, key: string, call: Call, token: string | null): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (call.payload !== undefined) headers['content-type'] = call.contentType ?? 'application/json';
  return w.app.inject({
    method: methodOf(key),
    url: call.url,
    headers,
    ...(call.payload === undefined
      ? {}
      : { payload: typeof call.payload === 'string' ? call.payload : JSON.stringify(call.payload) }),
  });
}

/** The stable code of an error answer: problem+json `code`, or the OperationOutcome's first coding. */
function codeOf(response: LightMyRequestResponse): string | undefined {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as {
    code?: unknown;
    resourceType?: unknown;
    issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
  };
  if (typeof b.code === 'string') return b.code;
  if (b.resourceType === 'OperationOutcome') return b.issue?.[0]?.details?.coding?.[0]?.code;
  return undefined;
}

function leaked(body: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => s.length > 0 && body.includes(s));
}

function everyone(w: World): Person[] {
  return Object.values(w.people);
}

const tokenOf = (w: World, role: Role): string => w.token[role];

describe.each(STORE_KINDS)('access matrix on %s', (kind) => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(kind);
  });
  afterAll(async () => {
    await w.app.close();
    await w.ctx.store.close();
  });

  const allSecrets = () => everyone(w).flatMap(secretsOf);

  describe('public routes answer without a token', () => {
    for (const key of Object.keys(PUBLIC).filter((k) => REGISTERED.has(k))) {
      it(key, async () => {
        const entry = PUBLIC[key];
        if (!entry) throw new Error(key);
        const response = await send(w, key, await entry.request(w), null);
        expect(response.statusCode, response.body).toBeLessThan(300);
      });
    }
  });

  for (const route of GUARDED) {
    const key = keyOf(route);
    const fixture = MATRIX[key];
    if (!fixture) continue; // reported by 'every guarded route has a fixture'
    const allowed = route.roles ?? [];
    const denied = ROLES.filter((r) => !allowed.includes(r));
    const first = allowed[0] as Role;

    describe(key, () => {
      it('answers 401 AUTH_REQUIRED without a valid token (none, unknown, revoked, expired), never data', async () => {
        const call = await fixture.request(w, first);
        const attempts: Array<[string, string | null]> = [
          ['no token', null],
          ['unknown token', 'shk_not-a-token'],
          ...allowed.map((r): [string, string] => [`revoked ${r} token`, w.revoked[r]]),
          ...allowed.map((r): [string, string] => [`expired ${r} token`, w.expired[r]]),
        ];
        for (const [label, token] of attempts) {
          const response = await send(w, key, call, token);
          expect(response.statusCode, `${label}: ${response.body}`).toBe(401);
          expect(codeOf(response), label).toBe('AUTH_REQUIRED');
          expect(leaked(response.body, allSecrets()), label).toEqual([]);
        }
      });

      if (denied.length > 0) {
        it(`answers 403 FORBIDDEN to ${denied.join(', ')}, never data`, async () => {
          const call = await fixture.request(w, first);
          for (const role of denied) {
            const response = await send(w, key, call, tokenOf(w, role));
            expect(response.statusCode, `${role}: ${response.body}`).toBe(403);
            expect(codeOf(response), role).toBe('FORBIDDEN');
            expect(leaked(response.body, allSecrets()), role).toEqual([]);
          }
        });
      }

      for (const role of allowed) {
        it(`serves ${role} in scope`, async () => {
          const call = await fixture.request(w, role);
          const response = await send(w, key, call, call.token ?? tokenOf(w, role));
          expect(response.statusCode, response.body).toBeGreaterThanOrEqual(200);
          expect(response.statusCode, response.body).toBeLessThan(300);
        });
      }

      const scope = fixture.scope;
      if ('none' in scope) {
        it(`has no target to scope: ${scope.none}`, () => {
          expect(scope.none.length).toBeGreaterThan(10);
        });
      } else {
        for (const role of allowed) {
          it(`${role} out of scope: 403/404 or nothing, never the target's data`, async () => {
            const cases: OutOfScope[] = await scope.cases(w, role);
            // The operator is platform-wide (DESIGN.md §5.0); every other role must have a case.
            if (role !== 'operator') expect(cases.length, `no out-of-scope case for ${role}`).toBeGreaterThan(0);
            for (const c of cases) await expectOutOfScope(w, key, role, c);
          });
        }
      }
    });
  }
});

async function expectOutOfScope(w: World, key: string, role: Role, c: OutOfScope): Promise<void> {
  const response = await send(w, key, c.call, c.call.token ?? w.token[role]);
  const where = `${c.label}: ${response.statusCode} ${response.body.slice(0, 300)}`;
  // What the caller sent itself (a searched birth date echoed in a Bundle's self link) is no leak.
  const sent = `${decodeURIComponent(c.call.url)} ${JSON.stringify(c.call.payload ?? '')}`;
  const secrets = [...secretsOf(c.target), ...(c.secrets ?? [])].filter((x) => !sent.includes(x));
  expect(leaked(response.body, secrets), where).toEqual([]);
  switch (c.expect ?? 'denied') {
    case 'denied':
      expect(c.status ?? [403, 404], where).toContain(response.statusCode);
      break;
    case 'empty': {
      expect(response.statusCode, where).toBe(200);
      const body = response.json() as { items?: unknown[]; total?: number; entry?: unknown[] };
      if (body.items !== undefined) expect(body.items, where).toEqual([]);
      else {
        expect(body.total, where).toBe(0);
        expect(body.entry ?? [], where).toEqual([]);
      }
      break;
    }
    case 'rows': {
      expect(response.statusCode, where).toBe(200);
      const body = response.json() as { accepted: number; rows: Array<{ ok: boolean; error?: { code: string } }> };
      expect(body.accepted, where).toBe(0);
      expect(body.rows.length, where).toBeGreaterThan(0);
      for (const row of body.rows) {
        expect(row.ok, where).toBe(false);
        expect(['FORBIDDEN', 'MEMBER_NOT_FOUND', 'CONFLICT_IDEMPOTENCY_KEY'], where).toContain(row.error?.code);
      }
      break;
    }
    case 'clean':
      expect(response.statusCode, where).toBeGreaterThanOrEqual(200);
      expect(response.statusCode, where).toBeLessThan(300);
      break;
    case 'undisclosed': {
      expect(response.statusCode, where).toBe(200);
      const body = response.json() as { qualification?: unknown };
      expect(body.qualification ?? null, where).toBeNull();
      break;
    }
  }
}
