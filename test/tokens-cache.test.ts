import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../src/services/context.js';
import { authenticate, createToken, revokeToken, TOKEN_CACHE_TTL_MS } from '../src/services/tokens.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The per-process token cache (docs/PERFORMANCE.md): revocations still apply within seconds. */
describe.each(STORE_KINDS)('token cache on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(async () => {
    await ctx.store.close();
  });

  it('applies a revocation made by this process at once', async () => {
    const { id, token } = await createToken(ctx, { role: 'provider', providerCode: '1311234566' });
    expect(await authenticate(ctx, token)).toMatchObject({ tokenId: id, role: 'provider' });
    await revokeToken(ctx, id);
    expect(await authenticate(ctx, token)).toBeNull();
  });

  it(
    'applies a revocation made elsewhere (another process, the CLI) within TOKEN_CACHE_TTL_MS',
    async () => {
      const { id, token } = await createToken(ctx, { role: 'provider', providerCode: '1311234566' });
      expect(await authenticate(ctx, token)).not.toBeNull();
      // What `shikaku token revoke` in another process does to the row.
      await ctx.store.db
        .updateTable('tokens')
        .set({ revoked_at: '2025-11-21T01:00:00.000Z' })
        .where('id', '=', id)
        .execute();
      const revokedAt = performance.now();
      let refusedAfter = Number.POSITIVE_INFINITY;
      while (performance.now() - revokedAt < TOKEN_CACHE_TTL_MS + 2_000) {
        if ((await authenticate(ctx, token)) === null) {
          refusedAfter = performance.now() - revokedAt;
          break;
        }
        await sleep(100);
      }
      expect(refusedAfter).toBeLessThanOrEqual(TOKEN_CACHE_TTL_MS + 200);
    },
    TOKEN_CACHE_TTL_MS + 10_000,
  );

  it('refuses a cached token from the instant it expires (the clock is read on every request)', async () => {
    const { token } = await createToken(ctx, {
      role: 'provider',
      providerCode: '1311234566',
      expiresAt: '2025-11-21T01:00:00.001Z',
    });
    expect(await authenticate(ctx, token)).not.toBeNull();
    const later: ServiceContext = { ...ctx, clock: { now: () => new Date('2025-11-21T01:00:00.001Z') } };
    expect(await authenticate(later, token)).toBeNull();
  });
});
