/**
 * A legacy 健康保険証's life recorded by the association (RULES-NOTES §5): its return (回収),
 * self-disposal (自己廃棄) or loss (滅失・き損), each dated, checked by the domain
 * (`legacyCardEventCheck`), audited, and idempotent (the same event on the same day again answers the
 * card as it is). The card's state on a day is the domain's `legacyCardState`.
 */
import type { Kysely } from 'kysely';
import type {
  DisposeLegacyCardInput,
  LegacyCardEventAnswer,
  LegacyCardLife,
  ReportLegacyCardLostInput,
  ReturnLegacyCardInput,
} from '../contract/legacy-cards.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { type LegacyCardEvent, legacyCardEventCheck, legacyCardState } from '../domain/legacy-card.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';
import { LEGACY_CARD_LIFE_COLUMNS, type LegacyCardLifeRow, legacyCardFactsOfRow } from './legacy-card-facts.js';
import { factsOfRow } from './member-facts.js';
import { loadMemberInScope } from './members/scope.js';

type LifeRow = LegacyCardLifeRow & { id: string };

/** One card with its dates and its state on `asOf`; `memberLostOn` ends its use too. */
export function legacyCardLifeOf(row: LifeRow, asOf: IsoDate, memberLostOn: IsoDate | null): LegacyCardLife {
  const facts = legacyCardFactsOfRow(row);
  return {
    legacyCardId: row.id,
    issuedOn: facts.issuedOn,
    expiresOn: facts.expiresOn ?? null,
    reportedLostOn: facts.reportedLostOn ?? null,
    returnedOn: facts.returnedOn ?? null,
    disposedOn: facts.disposedOn ?? null,
    ...legacyCardState(facts, asOf, memberLostOn),
  };
}

/** A member's legacy cards, oldest first, judged on `asOf` (the member view). */
export async function legacyCardLivesOf(
  db: Kysely<Database>,
  memberId: string,
  asOf: IsoDate,
  memberLostOn: IsoDate | null,
): Promise<LegacyCardLife[]> {
  const rows = await db
    .selectFrom('legacy_cards')
    .select(['id', ...LEGACY_CARD_LIFE_COLUMNS])
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => legacyCardLifeOf(r, asOf, memberLostOn));
}

const COLUMN = { returned: 'returned_on', disposed: 'disposed_on', lost: 'reported_lost_on' } as const;
const ACTION = { returned: 'legacy_card.return', disposed: 'legacy_card.dispose', lost: 'legacy_card.report_lost' };

async function recordEvent(
  ctx: ServiceContext,
  actor: Actor,
  legacyCardId: string,
  event: LegacyCardEvent,
  on: IsoDate,
): Promise<LegacyCardEventAnswer> {
  const db = ctx.store.db;
  const find = () =>
    db
      .selectFrom('legacy_cards')
      .select(['id', 'member_id', ...LEGACY_CARD_LIFE_COLUMNS])
      .where('id', '=', legacyCardId)
      .executeTakeFirst();
  const card = await find();
  if (!card) throw new ShikakuError('LEGACY_CARD_NOT_FOUND');
  // Out of the actor's scope answers as a card that does not exist.
  const member = await loadMemberInScope(db, actor, card.member_id, ['admin']).catch((e: unknown) => {
    throw e instanceof ShikakuError && e.code === 'MEMBER_NOT_FOUND' ? new ShikakuError('LEGACY_CARD_NOT_FOUND') : e;
  });
  const answer = (row: LifeRow): LegacyCardEventAnswer => ({
    ...legacyCardLifeOf(row, on, factsOfRow(member).lostOn),
    memberId: member.id,
    asOf: on,
  });
  const check = legacyCardEventCheck(legacyCardFactsOfRow(card), event, on);
  if (!check.ok) throw new ShikakuError(check.refusal, { legacyCardId, [`${event}On`]: on });
  if (check.repeat) return answer(card);
  const written = await db.transaction().execute(async (trx) => {
    // A card has one end: a concurrent loss, return or disposal wins and this one is refused.
    const result = await trx
      .updateTable('legacy_cards')
      .set({ [COLUMN[event]]: on })
      .where('id', '=', legacyCardId)
      .where('reported_lost_on', 'is', null)
      .where('returned_on', 'is', null)
      .where('disposed_on', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: ACTION[event],
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { legacyCardId, on },
    });
    return true;
  });
  const after = await find();
  if (!after) throw new ShikakuError('LEGACY_CARD_NOT_FOUND');
  if (!written && after[COLUMN[event]] !== on) throw new ShikakuError('CONFLICT_LEGACY_CARD_STATE', { legacyCardId });
  return answer(after);
}

/** 回収: the card handed back to the association (admin of the member's association). */
export function returnLegacyCard(ctx: ServiceContext, actor: Actor, id: string, input: ReturnLegacyCardInput) {
  return recordEvent(ctx, actor, id, 'returned', input.returnedOn);
}

/** 自己廃棄: the member's report that they destroyed the card (from 2025-12-02). */
export function disposeLegacyCard(ctx: ServiceContext, actor: Actor, id: string, input: DisposeLegacyCardInput) {
  return recordEvent(ctx, actor, id, 'disposed', input.disposedOn);
}

/** 滅失・き損届: the card stops verifying on the day. */
export function reportLegacyCardLost(ctx: ServiceContext, actor: Actor, id: string, input: ReportLegacyCardLostInput) {
  return recordEvent(ctx, actor, id, 'lost', input.reportedLostOn);
}
