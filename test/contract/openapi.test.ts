import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { openTestContext } from '../support/stores.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every documented operation with the 2xx statuses it answers and whether each has a schema. */
function successResponses(doc: OpenApi) {
  const rows: Array<{ operation: string; status: string | null; types: string[]; hasSchema: boolean }> = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const operation = `${method.toUpperCase()} ${path}`;
      const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      if (ok.length === 0) rows.push({ operation, status: null, types: [], hasSchema: false });
      for (const [status, response] of ok) {
        const content = response.content ?? {};
        rows.push({
          operation,
          status,
          types: Object.keys(content),
          // 204 answers nothing; anything else names its body.
          hasSchema: status === '204' || Object.values(content).some((c) => c.schema !== undefined),
        });
      }
    }
  }
  return rows;
}

describe('the OpenAPI document (/docs/json)', () => {
  let ctx: ServiceContext;
  let doc: OpenApi;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-12-04T01:00:00Z'));
    const app = await buildApp({ ctx });
    doc = (await app.inject({ url: '/docs/json' })).json() as OpenApi;
    await app.close();
  });
  afterAll(() => ctx.store.close());

  it('gives every operation a schema for each of its 2xx answers', () => {
    const rows = successResponses(doc);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((r) => !r.hasSchema).map((r) => `${r.operation} ${r.status ?? '(no 2xx)'}`)).toEqual([]);
  });

  it('describes PDF downloads as binary application/pdf', () => {
    const pdfs = successResponses(doc).filter((r) => r.operation.includes('.pdf'));
    expect(pdfs.length).toBeGreaterThanOrEqual(3);
    for (const row of pdfs) expect(row.types, row.operation).toContain('application/pdf');
  });
});
