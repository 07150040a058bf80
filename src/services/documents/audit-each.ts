import type { Actor } from '../actor.js';
import { type AuditEntry, appendAudit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';

/** One audit record per item, in one transaction and at one instant: the disclosures of one download or print. */
export async function auditEach<T>(
  ctx: ServiceContext,
  actor: Actor,
  items: readonly T[],
  entryOf: (item: T) => AuditEntry,
): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const at = nowIso(ctx);
    for (const item of items) await appendAudit(trx, ctx.store.dialect, actor, at, entryOf(item));
  });
}
