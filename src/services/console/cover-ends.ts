/**
 * The console's list of dependents whose cover ends with their insured's in a window (issue #16
 * point 2; domain/dependents.ts): on the insured's 75th birthday, death or loss every dependent's cover
 * ends the same day, without a notification of its own. Staff tell each to join 国保 (or another
 * insurer) and collect their 資格確認書.
 */
import type { DependentCoverLoss, DependentsLosingCover } from '../../contract/console.js';
import { ShikakuError } from '../../domain/codes.js';
import { addMonths, type IsoDate } from '../../domain/dates.js';
import { type CoverFacts, dependentsLosingCover } from '../../domain/dependents.js';
import { type Actor, requireRole } from '../actor.js';
import { reissuable } from '../certificates/view.js';
import { type ServiceContext, today } from '../context.js';
import { MEMBER_REF_COLUMNS, type MemberRefRow, memberRefOf } from './member-ref.js';

type Row = MemberRefRow & { birth_date: IsoDate; acquired_on: IsoDate; lost_on: IsoDate | null };

function coverOf(row: Row): CoverFacts {
  return { birthDate: row.birth_date, acquiredOn: row.acquired_on, lostOn: row.lost_on };
}

export async function dependentsLosingCoverIn(
  ctx: ServiceContext,
  actor: Actor,
  insurerNumber: string,
  window: { asOf?: IsoDate | undefined; until?: IsoDate | undefined },
): Promise<DependentsLosingCover> {
  requireRole(actor, 'admin');
  // Another association's list is answered as if it did not exist (out-of-scope reads are 404).
  if (actor.insurerNumber !== insurerNumber) throw new ShikakuError('INSURER_NOT_FOUND');
  const asOf = window.asOf ?? today(ctx);
  const until = window.until ?? addMonths(asOf, 3);
  const db = ctx.store.db;
  const columns = [...MEMBER_REF_COLUMNS, 'birth_date', 'acquired_on', 'lost_on'] as const;
  // Dependents still covered by their own record on asOf, with their insured.
  const dependents = await db
    .selectFrom('members')
    .select([...columns, 'insured_member_id'])
    .where('insurer_number', '=', insurerNumber)
    .where('relationship', '=', 'dependent')
    .where((eb) => eb.or([eb('lost_on', 'is', null), eb('lost_on', '>', asOf)]))
    .execute();
  const insuredIds = [...new Set(dependents.map((d) => d.insured_member_id).filter((id) => id !== null))];
  const insureds = new Map<string, Row>();
  if (insuredIds.length > 0) {
    for (const r of await db.selectFrom('members').select(columns).where('id', 'in', insuredIds).execute()) {
      insureds.set(r.id, r);
    }
  }
  const byId = new Map(dependents.map((d) => [d.id, d]));
  const rows: DependentCoverLoss[] = [];
  for (const [insuredId, insured] of insureds) {
    const own = dependents.filter((d) => d.insured_member_id === insuredId);
    const losses = dependentsLosingCover(
      coverOf(insured),
      own.map((d) => ({ ...coverOf(d), memberId: d.id })),
    ).filter((l) => l.endsOn >= asOf && l.endsOn <= until);
    for (const loss of losses) {
      const d = byId.get(loss.memberId);
      if (!d) continue;
      const held = await db.selectFrom('eligibility_certificates').selectAll().where('member_id', '=', d.id).execute();
      rows.push({
        ...memberRefOf(d),
        insured: memberRefOf(insured),
        endsOn: loss.endsOn,
        cause: loss.cause,
        mustJoinOtherInsurance: true,
        certificatesToCollect: held.filter((c) => reissuable(c, loss.endsOn)).map((c) => c.id),
      });
    }
  }
  rows.sort((a, b) => (a.endsOn < b.endsOn ? -1 : a.endsOn > b.endsOn ? 1 : a.memberId < b.memberId ? -1 : 1));
  return { insurerNumber, asOf, until, dependents: rows };
}
