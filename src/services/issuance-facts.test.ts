/**
 * The issuance facts read a page at a time (one range of member ids per table, migration 0016) are
 * those read member by member, with another association's members, certificates and legacy cards
 * numbered between them; and on SQLite each of those reads is answered from its index alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentsInsurer, makeMember, USABLE_CARD } from '../../test/support/documents.js';
import { adminOf, makeHousehold, notify, person } from '../../test/support/registry.js';
import { countStatements } from '../../test/support/statements.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { ServiceContext } from './context.js';
import { gatherIssuanceFacts, ISSUANCE_MEMBER_COLUMNS, type IssuanceMember } from './issuance-facts.js';
import { runExOfficio } from './issuance-run.js';

const AS_OF = '2025-12-10';

describe.each(STORE_KINDS)('issuance facts on %s', (kind) => {
  let ctx: ServiceContext;
  const insurers: string[] = [];

  let statements: ReturnType<typeof countStatements> | undefined;

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    if (ctx.store.sqlite) statements = countStatements(ctx.store.sqlite);
    for (let i = 0; i < 2; i++) {
      const insurer = await makeDocumentsInsurer(ctx);
      insurers.push(insurer);
      await makeMember(ctx, insurer, {});
      await makeMember(ctx, insurer, { withoutMyNumber: true });
      await makeMember(ctx, insurer, { card: USABLE_CARD });
      await makeMember(ctx, insurer, { legacyCardIssuedOn: '2024-04-01' });
      await makeMember(ctx, insurer, { legacyCardIssuedOn: '2023-04-01', lostOn: '2025-06-30' });
      await makeHousehold(ctx, {
        insurerNumber: insurer,
        symbol: '88',
        insuredBorn: '1951-03-01',
        dependentBorn: '1952-06-01',
        remuneration: 300_000,
      });
      await notify(ctx, {
        kind: 'acquisition',
        insurerNumber: insurer,
        recordedOn: '2025-11-01',
        symbol: '99',
        acquiredOn: '2025-11-01',
        certificateRequested: true,
        person: person(),
      });
      // 資格確認書 for those who must have one, then more members after them.
      await runExOfficio(ctx, adminOf(insurer), { insurerNumber: insurer, asOf: '2025-12-02' });
      await makeMember(ctx, insurer, { acquiredOn: '2025-12-05', recordedOn: '2025-12-05' });
    }
  });
  afterAll(() => ctx.store.close());

  it("read a page at a time, are those read member by member, another association's members between", async () => {
    const [insurer] = insurers as [string];
    const members = (await ctx.store.db
      .selectFrom('members')
      .select(ISSUANCE_MEMBER_COLUMNS)
      .where('insurer_number', '=', insurer)
      .orderBy('id')
      .execute()) as IssuanceMember[];
    const all = await ctx.store.db.selectFrom('members').select('id').orderBy('id').execute();
    const between = all.filter((m) => m.id > (members[0]?.id ?? '') && m.id < (members.at(-1)?.id ?? ''));
    expect(between.length).toBeGreaterThan(members.length - 2);
    for (let i = 0; i < members.length; i += 3) {
      const page = members.slice(i, i + 3);
      const paged = await gatherIssuanceFacts(ctx.store.db, page, AS_OF);
      for (const m of page) {
        const alone = await gatherIssuanceFacts(ctx.store.db, [m], AS_OF);
        expect(paged.get(m.id)).toEqual(alone.get(m.id));
      }
    }
    // The members hold what each read is for.
    const facts = [...(await gatherIssuanceFacts(ctx.store.db, members, AS_OF)).values()].map((g) => g.facts);
    expect(facts.filter((f) => f.eligibilityCertificates.length > 0).length).toBeGreaterThan(1);
    expect(facts.filter((f) => f.legacyCards.length > 0)).toHaveLength(2);
    expect(facts.filter((f) => f.insured !== null)).toHaveLength(1);
    expect(facts.filter((f) => f.certificateRequested)).toHaveLength(1);
  });

  it('refuses members of two associations in one read', async () => {
    const one = (insurer: string) =>
      ctx.store.db
        .selectFrom('members')
        .select(ISSUANCE_MEMBER_COLUMNS)
        .where('insurer_number', '=', insurer)
        .limit(1)
        .executeTakeFirstOrThrow();
    const mixed = [await one(insurers[0] as string), await one(insurers[1] as string)] as IssuanceMember[];
    await expect(gatherIssuanceFacts(ctx.store.db, mixed, AS_OF)).rejects.toThrow(/one association/);
  });

  it.runIf(kind === 'sqlite')(
    'reads by index only: no table scanned, the member-keyed reads from the 0016 indexes',
    async () => {
      const sqlite = ctx.store.sqlite;
      if (!statements || !sqlite) throw new Error('no SQLite handle');
      const members = (await ctx.store.db
        .selectFrom('members')
        .select(ISSUANCE_MEMBER_COLUMNS)
        .where('insurer_number', '=', insurers[0] as string)
        .orderBy('id')
        .execute()) as IssuanceMember[];
      statements.reset();
      await gatherIssuanceFacts(ctx.store.db, members, AS_OF);
      const plans = new Map(
        [...new Set(statements.sql)].map((sql) => {
          const nulls = Array.from({ length: sql.split('?').length - 1 }, () => null);
          const plan = sqlite.prepare(`explain query plan ${sql}`).all(...nulls) as Array<{ detail: string }>;
          return [sql, plan.map((r) => r.detail).join(' / ')] as const;
        }),
      );
      expect(plans.size).toBeGreaterThanOrEqual(5);
      for (const plan of plans.values()) expect(plan).not.toMatch(/\bSCAN\b/);
      const planOf = (table: string) => [...plans].find(([sql]) => sql.includes(`from ${table} where`))?.[1];
      expect(planOf('eligibility_certificates')).toMatch(/COVERING INDEX eligibility_certificates_issuance/);
      expect(planOf('legacy_cards')).toMatch(/COVERING INDEX legacy_cards_issuance/);
      expect(planOf('notifications')).toMatch(/INDEX notifications_certificate_requested/);
    },
  );
});
