import type { WhoAmI } from '../../contract/console.js';
import type { Actor } from '../actor.js';
import { type ServiceContext, today } from '../context.js';

/** The caller's role and scope (no secret, no personal data), so a screen can check it fits. */
export async function whoAmI(ctx: ServiceContext, actor: Actor): Promise<WhoAmI> {
  let insurerNumber = actor.insurerNumber;
  if (actor.role === 'member' && actor.memberId) {
    const row = await ctx.store.db
      .selectFrom('members')
      .select('insurer_number')
      .where('id', '=', actor.memberId)
      .executeTakeFirst();
    insurerNumber = row?.insurer_number ?? null;
  }
  const insurer = insurerNumber
    ? await ctx.store.db
        .selectFrom('insurers')
        .select('name')
        .where('insurer_number', '=', insurerNumber)
        .executeTakeFirst()
    : undefined;
  return {
    role: actor.role,
    insurerNumber,
    insurerName: insurer?.name ?? null,
    employerSymbol: actor.employerSymbol,
    providerCode: actor.providerCode,
    memberId: actor.memberId,
    today: today(ctx),
  };
}
