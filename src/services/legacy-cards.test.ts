import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, employerOf, makeInsurer, notify, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { ServiceContext } from './context.js';
import { issueLegacyCard, legacyCardsOf } from './legacy-cards.js';

describe.each(STORE_KINDS)('legacy cards on %s', (kind) => {
  let ctx: ServiceContext;
  let insurer: string;
  let memberId: string;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    insurer = await makeInsurer(ctx);
    memberId = (
      await notify(ctx, {
        kind: 'acquisition',
        insurerNumber: insurer,
        recordedOn: '2024-04-01',
        symbol: '1234',
        acquiredOn: '2024-04-01',
        person: person(),
      })
    ).memberId;
  });
  afterAll(() => ctx.store.close());

  it('records a card issued up to 2024-12-01, and refuses one from 2024-12-02', async () => {
    const card = await issueLegacyCard(ctx, adminOf(insurer), memberId, { issuedOn: '2024-12-01' });
    expect(card).toEqual({ legacyCardId: expect.any(String), memberId, issuedOn: '2024-12-01' });
    await expect(issueLegacyCard(ctx, adminOf(insurer), memberId, { issuedOn: '2024-12-02' })).rejects.toMatchObject({
      code: 'LEGACY_CARD_ISSUANCE_ENDED',
      status: 422,
    });
    expect(await legacyCardsOf(ctx.store.db, memberId)).toEqual([card]);
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'member_id'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'legacy_card.issue', member_id: memberId });
  });

  it('is for the admin of the member’s association only', async () => {
    await expect(
      issueLegacyCard(ctx, employerOf(insurer, '1234'), memberId, { issuedOn: '2024-04-01' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other = await makeInsurer(ctx);
    await expect(issueLegacyCard(ctx, adminOf(other), memberId, { issuedOn: '2024-04-01' })).rejects.toMatchObject({
      code: 'MEMBER_NOT_FOUND',
    });
  });
});
