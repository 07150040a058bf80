import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';
import type { MemberRow } from '../issuance-facts.js';

/** Audits a download as a disclosure (codes and ids only), in its own transaction. */
export async function auditDisclosure(
  ctx: ServiceContext,
  actor: Actor,
  action: string,
  member: Pick<MemberRow, 'id' | 'insurer_number'>,
  detail: Record<string, unknown>,
): Promise<void> {
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action,
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail,
    }).then(() => undefined),
  );
}
