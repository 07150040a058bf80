import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../../test/support/stores.js';
import { fixedClock, type ServiceContext } from '../services/context.js';
import { DEMO_INSURER, type DemoResult, loadDemo } from '../services/demo.js';
import { buildApp } from './app.js';

describe('GET /metrics', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  let text = '';

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
    const provider = { authorization: `Bearer ${demo.tokens.provider}` };
    const ichiro = demo.members.find((m) => m.key === 'ichiro');
    for (const asOf of ['2025-12-01', '2025-12-01', '2026-11-23']) {
      await app.inject({
        method: 'POST',
        url: '/api/v1/verifications',
        headers: provider,
        payload: {
          method: 'number',
          asOf,
          document: 'legacy_card',
          insurerNumber: DEMO_INSURER,
          symbol: ichiro?.symbol,
          number: ichiro?.number,
          branch: ichiro?.branch,
          birthDate: '1975-06-15',
        },
      });
    }
    await app.inject({
      method: 'GET',
      url: `/api/v1/members/${demo.members[0]?.memberId}`,
      headers: { authorization: `Bearer ${demo.tokens.admin}` },
    });
    await app.inject({ method: 'GET', url: '/api/v1/no-such-thing/123456789018' });
    const response = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${demo.tokens.operator}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    text = response.body;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('is for the operator only', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const provider = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${demo.tokens.provider}` },
    });
    expect(provider.statusCode).toBe(403);
  });

  it('counts requests by route pattern and status, and times them', () => {
    expect(text).toMatch(
      /shikaku_http_requests_total\{method="POST",route="\/api\/v1\/verifications",status="200"\} 3\b/,
    );
    expect(text).toContain('shikaku_http_requests_total{method="GET",route="/api/v1/members/:id",status="200"} 1');
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).toMatch(
      /shikaku_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/api\/v1\/verifications",status="200"\} \d/,
    );
  });

  it('counts verification outcomes and reason codes', () => {
    // The legacy card is usable on 2025-12-01 and no longer on the demo's today.
    expect(text).toContain('shikaku_verifications_total{method="number",outcome="eligible"} 2');
    expect(text).toMatch(/shikaku_verifications_total\{method="number",outcome="ineligible"\} 1/);
    expect(text).toMatch(/shikaku_verification_reasons_total\{code="[A-Z_]+"\} \d/);
  });

  it('reports process metrics and the audit chain length', async () => {
    expect(text).toMatch(/^shikaku_process_resident_memory_bytes \d+/m);
    expect(text).toContain('shikaku_nodejs_eventloop_lag_seconds');
    const head = await ctx.store.db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
    expect(text).toContain(`shikaku_audit_records ${head.seq}`);
  });

  it('carries no personal data and no ids', async () => {
    expect(text).not.toMatch(/(?<![\d.])\d{12}(?!\d)/);
    for (const m of demo.members) expect(text).not.toContain(m.memberId);
    for (const card of Object.values(demo.cards)) expect(text).not.toContain(card);
    for (const name of ['協会', 'キョウカイ', DEMO_INSURER, ...Object.values(demo.tokens)])
      expect(text).not.toContain(name);
    // Only known label names appear.
    const labels = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    for (const label of labels) {
      expect([
        'method',
        'route',
        'status',
        'outcome',
        'code',
        'le',
        'version',
        'major',
        'minor',
        'patch',
        'kind',
        'type',
        'space',
        'quantile',
      ]).toContain(label);
    }
  });
});
