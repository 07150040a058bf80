import type { Actor } from '../actor.js';
import { type AuditEntry, appendAuditBatch } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';

/**
 * One audit record per item, in one transaction and at one instant: the disclosures of one download or
 * print, sealed set-wise (one head move per chain, not three statements per item).
 */
export async function auditEach<T>(
  ctx: ServiceContext,
  actor: Actor,
  items: readonly T[],
  entryOf: (item: T) => AuditEntry,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const at = nowIso(ctx);
    await appendAuditBatch(
      trx,
      ctx.store.dialect,
      items.map((item) => ({ actor, at, entry: entryOf(item) })),
    );
  });
}
