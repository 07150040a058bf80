/**
 * The edges of the HTTP shell a newcomer's probe found (issue #19 §6): the Bearer scheme in any case,
 * personal answers never cached, and the errors raised before a route runs (a parameter too long, headers
 * too large, a malformed request) answered as problem+json like every other error.
 */
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerToken, buildApp } from '../../src/http/app.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { type DemoResult, loadDemo } from '../../src/services/demo.js';
import { openTestContext } from '../support/stores.js';

/** Sends raw bytes to the listening server and reads the whole answer (the server closes). */
function raw(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(request);
  });
}

describe('the HTTP shell at its edges', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  let port = 0;

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-12-04T01:00:00Z'));
    app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('reads the Bearer scheme in any case', async () => {
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    const response = await app.inject({
      url: '/api/v1/me/qualification',
      headers: { authorization: `bearer ${demo.tokens.member}` },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 401 with WWW-Authenticate: Bearer, naming a refused token (RFC 6750)', async () => {
    const none = await app.inject({ url: '/api/v1/me/qualification' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="shikaku"');
    const wrong = await app.inject({ url: '/fhir/R4/Patient', headers: { authorization: 'Bearer shk_not-a-token' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="shikaku", error="invalid_token"');
    // Forbidden is not a login problem: no challenge.
    const forbidden = await app.inject({
      url: '/api/v1/members',
      headers: { authorization: `Bearer ${demo.tokens.member}` },
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBeUndefined();
  });

  it('marks every authenticated answer no-store, and leaves public ones alone', async () => {
    const personal = await app.inject({
      url: '/api/v1/me/qualification',
      headers: { authorization: `Bearer ${demo.tokens.member}` },
    });
    expect(personal.headers['cache-control']).toBe('no-store');
    const refused = await app.inject({
      url: '/api/v1/members/unknown',
      headers: { authorization: `Bearer ${demo.tokens.admin}` },
    });
    expect(refused.statusCode).toBe(404);
    expect(refused.headers['cache-control']).toBe('no-store');
    const health = await app.inject({ url: '/healthz' });
    expect(health.headers['cache-control']).toBeUndefined();
  });

  it('answers a path parameter too long with 414 URI_TOO_LONG problem+json', async () => {
    const response = await app.inject({
      url: `/api/v1/members/${'x'.repeat(5000)}`,
      headers: { authorization: `Bearer ${demo.tokens.admin}` },
    });
    expect(response.statusCode).toBe(414);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'URI_TOO_LONG', ja: 'URLが長すぎます' });
  });

  it('answers headers too large with 431 HEADERS_TOO_LARGE problem+json', async () => {
    const answer = await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 431,
      code: 'HEADERS_TOO_LARGE',
    });
  });

  it('answers a request it cannot parse with 400 BAD_REQUEST problem+json', async () => {
    const answer = await raw(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
