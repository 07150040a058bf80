/** The OQS curl line the demo prints answers as printed (issue #15), and the OpenAPI page lists the endpoints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { fixedClock } from '../src/services/context.js';
import { type DemoResult, loadDemo } from '../src/services/demo.js';
import { readOqsAnswer } from './oqs/reader.js';
import { openTestContext } from './support/stores.js';

describe('OQS in the demo and the API docs', () => {
  let ctx: ServiceContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let demo: DemoResult;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('the printed OQS query answers 有効 for 一郎', async () => {
    const lines = demo.describe('http://127.0.0.1:8080').split('\n');
    const at = lines.findIndex((l) => l.includes('/oqs-api-pro/MSA01030/ILI01030SV01/search'));
    expect(at).toBeGreaterThan(0);
    const token = /Bearer ([^']+)'/.exec(lines[at] ?? '')?.[1] ?? '';
    const payload = /-d '(.*)'$/.exec(lines[at + 1] ?? '')?.[1] ?? '';
    const res = await app.inject({
      method: 'POST',
      url: '/oqs-api-pro/MSA01030/ILI01030SV01/search',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload,
    });
    const a = readOqsAnswer(res.rawPayload, String(res.headers['content-type']));
    expect(a.header.SegmentOfResult).toBe('1');
    expect(a.body.fields.QualificationValidity).toBe('1');
    expect(a.body.results[0]?.fields.InsurerNumber).toMatch(/^\d{8}$/);
  });

  it('the OpenAPI page lists the OQS endpoints', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.paths['/oqs-api-pro/MSA01030/ILI01030SV01/search']?.post).toBeDefined();
    expect(spec.paths['/oqs-api-pro/bulk']?.post).toBeDefined();
    expect(spec.paths['/oqs-api-pro/bulk/{receptionNumber}']?.get).toBeDefined();
    expect(Object.keys(spec.paths).some((p) => p.startsWith('/api/v1/verifications:oqs'))).toBe(true);
    const body =
      spec.paths['/oqs-api-pro/MSA01030/ILI01030SV01/search'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('LimitApplicationCertificateRelatedConsFlg');
  });
});
