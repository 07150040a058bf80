import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../../../test/support/stores.js';
import { buildApp } from '../app.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };

/** The certificate, application, notice, portal and screen routes: each 2xx answer is in /docs/json. */
describe('OpenAPI answers of the documents, applications, console and portal routes', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    app = await buildApp({ ctx: await openTestContext('sqlite'), logger: false });
    paths = (await app.inject({ method: 'GET', url: '/docs/json' })).json().paths;
  });
  afterAll(() => app.close());

  it('documents every 2xx answer with its schema', () => {
    const ours = Object.keys(paths).filter((p) =>
      /^\/api\/v1\/(certificates|certificate-runs|applications|notices|me\/|whoami|insurers\/\{insurerNumber\}\/dashboard|members\/\{id\}\/timeline|notifications:import)/.test(
        p,
      ),
    );
    expect(ours.length).toBeGreaterThanOrEqual(20);
    for (const path of ours) {
      for (const [method, op] of Object.entries(paths[path] ?? {})) {
        const ok = Object.entries(op.responses ?? {}).filter(([status]) => status.startsWith('2'));
        expect(ok.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [, answer] of ok)
          expect(Object.values(answer.content ?? {})[0]?.schema, `${method} ${path}`).toBeTruthy();
      }
    }
  });

  it('answers the PDFs as binary application/pdf, not JSON', () => {
    for (const path of ['/api/v1/certificates/{id}.pdf', '/api/v1/notices/{id}.pdf', '/api/v1/me/qualification.pdf']) {
      const content = paths[path]?.get?.responses?.['200']?.content ?? {};
      expect(Object.keys(content), path).toEqual(['application/pdf']);
      expect(content['application/pdf']?.schema).toEqual({ type: 'string', format: 'binary' });
    }
  });
});
