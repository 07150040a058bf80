/**
 * Legacy 健康保険証 (legacyCard), recorded for migration only: none may be issued or reissued from
 * 2024-12-02 (RULES.md §1, DESIGN.md §5.2). Verification by number checks that the card shown was
 * issued (LEGACY_CARD_NOT_ISSUED otherwise).
 */
import type { Kysely } from 'kysely';
import type { LegacyCard, LegacyCardInput } from '../contract/members.js';
import { ShikakuError } from '../domain/codes.js';
import { assertLegacyCardIssuable } from '../domain/proofs.js';
import type { Database } from '../store/schema.js';
import type { Actor } from './actor.js';
import { appendAudit } from './audit.js';
import { newId, nowIso, type ServiceContext } from './context.js';
import { loadMemberInScope } from './members/scope.js';

/**
 * Records a legacy card issued to a member (role admin of the member's association), with its printed
 * 有効期限 when it has one. An `issuedOn` from 2024-12-02 is refused with LEGACY_CARD_ISSUANCE_ENDED.
 */
export async function issueLegacyCard(
  ctx: ServiceContext,
  actor: Actor,
  memberId: string,
  input: LegacyCardInput,
): Promise<LegacyCard> {
  const member = await loadMemberInScope(ctx.store.db, actor, memberId, ['admin']);
  assertLegacyCardIssuable(input.issuedOn);
  if (input.expiresOn !== undefined && input.expiresOn < input.issuedOn) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'expiresOn' },
      { ja: '有効期限は交付日以降の日付です', en: 'expiresOn must be on or after issuedOn' },
    );
  }
  const card: LegacyCard = {
    legacyCardId: newId(),
    memberId: member.id,
    issuedOn: input.issuedOn,
    ...(input.expiresOn === undefined ? {} : { expiresOn: input.expiresOn }),
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('legacy_cards')
      .values({
        id: card.legacyCardId,
        member_id: card.memberId,
        insurer_number: member.insurer_number,
        issued_on: card.issuedOn,
        expires_on: card.expiresOn ?? null,
        created_at: nowIso(ctx),
      })
      .execute();
    await appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'legacy_card.issue',
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { legacyCardId: card.legacyCardId, issuedOn: card.issuedOn, expiresOn: card.expiresOn ?? null },
    });
  });
  return card;
}

/** The legacy cards recorded for a member, oldest first. */
export async function legacyCardsOf(db: Kysely<Database>, memberId: string): Promise<LegacyCard[]> {
  const rows = await db
    .selectFrom('legacy_cards')
    .select(['id', 'member_id', 'issued_on', 'expires_on'])
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .execute();
  return rows.map((r) => ({
    legacyCardId: r.id,
    memberId: r.member_id,
    issuedOn: r.issued_on,
    ...(r.expires_on === null || r.expires_on === undefined ? {} : { expiresOn: r.expires_on }),
  }));
}
