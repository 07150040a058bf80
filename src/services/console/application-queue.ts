import type { ApplicationQueueQuery } from '../../contract/applications.js';
import type { ApplicationQueue } from '../../contract/console.js';
import { ShikakuError } from '../../domain/codes.js';
import { type Actor, requireRole } from '../actor.js';
import { applicationView } from '../applications.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext } from '../context.js';
import { memberRefOf } from './member-ref.js';

/**
 * The association's applications in one state (default: received, the queue to decide), oldest
 * first, with the member's 記号・番号 and name so staff can tell them apart. Admin only; audited with
 * the count.
 */
export async function listApplications(
  ctx: ServiceContext,
  actor: Actor,
  query: ApplicationQueueQuery = {},
): Promise<ApplicationQueue> {
  requireRole(actor, 'admin');
  const insurerNumber = actor.insurerNumber;
  if (insurerNumber === null) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  const state = query.state ?? 'received';
  const rows = await ctx.store.db
    .selectFrom('applications as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .selectAll('a')
    .select(['m.symbol', 'm.number', 'm.branch', 'm.name', 'm.name_kana'])
    .where('a.insurer_number', '=', insurerNumber)
    .where('a.state', '=', state)
    .orderBy('a.received_on')
    .orderBy('a.created_at')
    .limit(query.limit ?? 200)
    .execute();
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'application.list',
      insurerNumber,
      detail: { state, count: rows.length },
    }),
  );
  return {
    items: rows.map((r) => ({
      ...applicationView(r),
      member: memberRefOf({ ...r, id: r.member_id }),
    })),
  };
}
