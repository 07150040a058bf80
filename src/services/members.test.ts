import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, employerOf, makeInsurer, makeResident, notify, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { memberSearchSchema } from '../contract/members.js';
import { ShikakuError } from '../domain/codes.js';
import type { ServiceContext } from './context.js';
import { issueLegacyCard } from './legacy-cards.js';
import { searchMembers, statusOn, viewMember } from './members.js';

describe('statusOn', () => {
  it('is eligible from acquiredOn up to the day before lostOn', () => {
    const facts = { acquiredOn: '2025-11-01', lostOn: '2025-12-01' };
    expect(statusOn(facts, '2025-10-31')).toBe('not_started');
    expect(statusOn(facts, '2025-11-01')).toBe('eligible');
    expect(statusOn(facts, '2025-11-30')).toBe('eligible');
    expect(statusOn(facts, '2025-12-01')).toBe('lost');
    expect(statusOn({ acquiredOn: '2025-11-01', lostOn: null }, '2099-12-31')).toBe('eligible');
  });
});

describe.each(STORE_KINDS)('members on %s', (kind) => {
  let ctx: ServiceContext;
  let insurer: string;
  let insuredId: string;
  let dependentId: string;
  let myNumber: string;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    insurer = await makeInsurer(ctx);
    const p = person();
    myNumber = p.myNumber;
    await makeResident(ctx, p);
    const base = { insurerNumber: insurer, recordedOn: '2025-11-21', acquiredOn: '2025-11-01' };
    insuredId = (await notify(ctx, { kind: 'acquisition', ...base, symbol: '1234', number: '567', person: p }))
      .memberId;
    dependentId = (
      await notify(ctx, {
        kind: 'dependent_add',
        ...base,
        insured: { symbol: '1234', number: '567' },
        person: person({ name: '協会 花子', nameKana: 'キョウカイ ハナコ', sex: 'female', birthDate: '2016-04-01' }),
      })
    ).memberId;
    for (const [symbol, name, kana] of [
      ['1234', '田中 一', 'タナカ ハジメ'],
      ['5678', '田中 二郎', 'タナカ ジロウ'],
      ['5678', '田辺 三郎', 'タナベ サブロウ'],
    ] as const) {
      await notify(ctx, { kind: 'acquisition', ...base, symbol, person: person({ name, nameKana: kana }) });
    }
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-12-10',
      symbol: '1234',
      number: '567',
      lostOn: '2025-12-01',
    });
  });
  afterAll(() => ctx.store.close());

  const search = (query: Record<string, unknown>, actor = adminOf(insurer)) =>
    searchMembers(ctx, actor, memberSearchSchema.parse(query));

  it('searches by kana prefix (half-width and hiragana accepted), 記号 and birth date', async () => {
    const byKana = await search({ kana: 'ﾀﾅ' });
    expect(byKana.items.map((m) => m.nameKana)).toEqual(['タナカ ハジメ', 'タナカ ジロウ', 'タナベ サブロウ']);
    expect((await search({ kana: 'たなか' })).items).toHaveLength(2);
    expect((await search({ kana: 'タナ', symbol: '5678' })).items).toHaveLength(2);
    expect((await search({ birthDate: '2016-04-01' })).items.map((m) => m.memberId)).toEqual([dependentId]);
    expect((await search({ kana: '%' })).items).toEqual([]);
    expect(JSON.stringify(await search({}))).not.toContain(myNumber);
  });

  it('pages with a cursor, in 記号・番号・枝番 order', async () => {
    const first = await search({ limit: 2 });
    expect(first.items.map((m) => [m.symbol, m.number, m.branch])).toEqual([
      ['1234', '567', '00'],
      ['1234', '567', '01'],
    ]);
    expect(first.nextCursor).not.toBeNull();
    const second = await search({ limit: 2, cursor: first.nextCursor });
    const third = await search({ limit: 2, cursor: second.nextCursor });
    expect([...second.items, ...third.items].map((m) => m.symbol)).toEqual(['1234', '5678', '5678']);
    expect(third.nextCursor).toBeNull();
    await expect(search({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('limits an employer to its own 記号, and another association sees nothing', async () => {
    const employer = employerOf(insurer, '5678');
    expect((await search({}, employer)).items.map((m) => m.symbol)).toEqual(['5678', '5678']);
    expect((await search({ symbol: '1234' }, employer)).items).toEqual([]);
    const other = await makeInsurer(ctx);
    expect((await search({}, adminOf(other))).items).toEqual([]);
  });

  it('writes member.search with the count only', async () => {
    await search({ kana: 'タナカ' });
    const last = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail', 'insurer_number'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ action: 'member.search', detail: '{"count":2}', insurer_number: insurer });
  });

  it('shows a member on a date with history, dependents, legacy cards and a masked My Number', async () => {
    await issueLegacyCard(ctx, adminOf(insurer), insuredId, { issuedOn: '2024-04-01' });
    const before = await viewMember(ctx, adminOf(insurer), insuredId, '2025-11-30');
    expect(before).toMatchObject({
      memberId: insuredId,
      status: 'eligible',
      eligible: true,
      lostOn: '2025-12-01',
      myNumber: `********${myNumber.slice(8)}`,
      version: 2,
      hubStatus: 'registered',
      // On 11-30 the hub had the first version: covered, loss unknown.
      hubOnAsOf: { state: 'registered' },
      insured: null,
      legacyCards: [{ legacyCardId: expect.any(String), issuedOn: '2024-04-01' }],
    });
    expect(before.versions.map((v) => [v.version, v.recordedOn, v.hubAvailableOn, v.facts.lostOn])).toEqual([
      [1, '2025-11-21', '2025-11-26', null],
      [2, '2025-12-10', '2025-12-12', '2025-12-01'],
    ]);
    expect(before.dependents.map((d) => [d.memberId, d.branch, d.lostOn])).toEqual([[dependentId, '01', '2025-12-01']]);
    expect(JSON.stringify(before)).not.toContain(myNumber);

    const after = await viewMember(ctx, adminOf(insurer), insuredId, '2025-12-01');
    expect(after).toMatchObject({ status: 'lost', eligible: false });
    const early = await viewMember(ctx, adminOf(insurer), insuredId, '2025-11-22');
    expect(early).toMatchObject({ status: 'eligible', hubOnAsOf: { state: 'pending', hubAvailableOn: '2025-11-26' } });
    expect((await viewMember(ctx, adminOf(insurer), insuredId, '2025-10-31')).status).toBe('not_started');

    const dependent = await viewMember(ctx, adminOf(insurer), dependentId, '2025-11-30');
    expect(dependent).toMatchObject({
      relationship: 'dependent',
      myNumber: expect.stringMatching(/^\*{8}\d{4}$/),
      insured: { memberId: insuredId, symbol: '1234', number: '567', branch: '00' },
      standardMonthlyRemuneration: null,
    });

    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('member_id', '=', dependentId)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ action: 'member.view', detail: '{"asOf":"2025-11-30"}' });
  });

  it('answers MEMBER_NOT_FOUND out of scope, exactly as for an unknown id', async () => {
    const other = await makeInsurer(ctx);
    for (const actor of [adminOf(other), employerOf(insurer, '5678')]) {
      const error = await viewMember(ctx, actor, insuredId).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ShikakuError);
      expect((error as ShikakuError).code).toBe('MEMBER_NOT_FOUND');
    }
    await expect(viewMember(ctx, adminOf(insurer), 'no-such-id')).rejects.toMatchObject({ code: 'MEMBER_NOT_FOUND' });
    expect((await viewMember(ctx, employerOf(insurer, '1234'), insuredId, '2025-11-30')).memberId).toBe(insuredId);
  });
});
