/**
 * The registry's answers are part of its contract: every registry operation in the OpenAPI
 * document has a JSON schema for each 2xx status it answers (src/contract/*).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../../../test/support/stores.js';
import type { ServiceContext } from '../../services/context.js';
import { buildApp } from '../app.js';

interface Operation {
  tags?: string[];
  responses?: Record<string, { content?: Record<string, { schema?: { type?: string } }> }>;
}

const REGISTRY_OPERATIONS = [
  'post /api/v1/insurers 201',
  'post /api/v1/residents 200',
  'post /api/v1/residents 201',
  'post /api/v1/notifications 201',
  'post /api/v1/notifications:batch 200',
  'post /api/v1/notifications:batch 202',
  'get /api/v1/notifications/jobs/{id} 200',
  'get /api/v1/members 200',
  'get /api/v1/members/{id} 200',
  'post /api/v1/members/{id}/legacy-cards 201',
];

describe('registry answers in the OpenAPI document', () => {
  let ctx: ServiceContext;
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    app = await buildApp({ ctx });
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('documents an object schema for every 2xx answer of the registry routes', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, Operation>>;
    };
    const documented: string[] = [];
    for (const path of new Set(REGISTRY_OPERATIONS.map((o) => o.split(' ')[1] as string))) {
      for (const [method, operation] of Object.entries(doc.paths[path] ?? {})) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (!status.startsWith('2')) continue;
          expect(response.content?.['application/json']?.schema?.type, `${method} ${path} ${status}`).toBe('object');
          documented.push(`${method} ${path} ${status}`);
        }
      }
    }
    expect(new Set(documented)).toEqual(new Set(REGISTRY_OPERATIONS));
  });
});
