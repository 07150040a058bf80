import type { ServiceContext } from '../../src/services/context.js';

/**
 * Stores `count` challenges straight into the table, in chunks each store takes in one statement:
 * enough rows to reach the portal's cap of open challenges without issuing them one by one.
 */
export async function fillChallenges(
  ctx: ServiceContext,
  count: number,
  row: { expiresAt: string; providerCode?: string | null; usedAt?: string | null; prefix?: string },
): Promise<void> {
  const prefix = row.prefix ?? `fill-${row.expiresAt}-`;
  for (let start = 0; start < count; start += 1000) {
    const values = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      challenge: `${prefix}${start + i}`,
      provider_code: row.providerCode ?? null,
      expires_at: row.expiresAt,
      used_at: row.usedAt ?? null,
      created_at: row.expiresAt,
    }));
    await ctx.store.db.insertInto('challenges').values(values).execute();
  }
}
