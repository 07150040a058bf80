import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminOf,
  employerOf,
  freshMyNumber,
  makeInsurer,
  makeResident,
  notify,
  person,
} from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { ShikakuError } from '../domain/codes.js';
import type { MemberFacts } from '../domain/member.js';
import type { ServiceContext } from './context.js';
import { parseNotification, submitBatch, submitNotification } from './registry.js';

async function counts(ctx: ServiceContext) {
  const db = ctx.store.db;
  const n = async (table: 'members' | 'member_versions' | 'notifications' | 'audit_log') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    members: await n('members'),
    versions: await n('member_versions'),
    notifications: await n('notifications'),
    audit: await n('audit_log'),
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<ShikakuError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ShikakuError);
  expect((error as ShikakuError).code).toBe(code);
  return error as ShikakuError;
}

function acquisition(insurerNumber: string, p: object, extra: Record<string, unknown> = {}) {
  return {
    kind: 'acquisition',
    insurerNumber,
    recordedOn: '2025-11-21',
    symbol: '1234',
    acquiredOn: '2025-11-01',
    standardMonthlyRemuneration: 300000,
    person: p,
    ...extra,
  };
}

describe.each(STORE_KINDS)('registry notifications on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  it('records an acquisition: 2nd business day after 2025-11-21 (over 勤労感謝の日 振替休日) is 2025-11-26', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    await makeResident(ctx, p);
    const result = await notify(ctx, acquisition(insurer, p));
    expect(result).toMatchObject({ symbol: '1234', number: '1', branch: '00', hubStatus: 'registered' });
    expect(result.hubAvailableOn).toBe('2025-11-26');
    expect(result.mismatch).toBeUndefined();

    const db = ctx.store.db;
    const member = await db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', result.memberId)
      .executeTakeFirstOrThrow();
    expect(member).toMatchObject({ version: 1, recorded_on: '2025-11-21', hub_available_on: '2025-11-26' });
    expect(member.my_number_enc).not.toContain(p.myNumber);
    expect(ctx.keyring.decrypt(member.my_number_enc ?? '')).toBe(p.myNumber);
    expect(member.my_number_index).toBe(ctx.keyring.blindIndex(p.myNumber));

    const version = await db
      .selectFrom('member_versions')
      .selectAll()
      .where('member_id', '=', result.memberId)
      .executeTakeFirstOrThrow();
    const facts = JSON.parse(version.facts) as MemberFacts;
    expect(facts).toMatchObject({ relationship: 'insured', lostOn: null, myNumberLast4: p.myNumber.slice(8) });
    expect(version.facts).not.toContain(p.myNumber);
    expect(version.notification_id).toBe(result.notificationId);

    const notification = await db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', result.notificationId)
      .executeTakeFirstOrThrow();
    expect(notification.payload).not.toContain(p.myNumber);
    expect(JSON.parse(notification.payload).notification.person.myNumber).toBe(`********${p.myNumber.slice(8)}`);

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('member_id', '=', result.memberId)
      .executeTakeFirstOrThrow();
    expect(audit.action).toBe('notification.acquisition');
    expect(audit.insurer_number).toBe(insurer);
    expect(JSON.parse(audit.detail)).toMatchObject({ kind: 'acquisition', recordedOn: '2025-11-21' });
    expect(audit.detail).not.toContain(p.myNumber);

    // The next number under the same 記号; recordedOn defaults to today in Japan (the clock: 2025-11-21).
    const second = person({ name: '協会 花子', nameKana: 'キョウカイ ハナコ', sex: 'female' });
    await makeResident(ctx, second);
    const { recordedOn: _omitted, ...withoutDate } = acquisition(insurer, second);
    const next = await notify(ctx, withoutDate);
    expect(next).toMatchObject({ number: '2', branch: '00', hubAvailableOn: '2025-11-26' });
  });

  it('reports a mistyped kana as a mismatch, with field names only', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    await makeResident(ctx, p);
    const result = await notify(ctx, acquisition(insurer, { ...p, nameKana: 'キョウカイ タロオ' }));
    expect(result.hubStatus).toBe('mismatch');
    expect(result.mismatch).toEqual({ fields: ['nameKana'], nearMatch: [] });
  });

  it('reports 高橋 given for 髙橋 recorded as a near-match hint, and keeps each kanji as typed', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person({ name: '髙橋 一郎', nameKana: 'タカハシ イチロウ' });
    await makeResident(ctx, p);
    const result = await notify(ctx, acquisition(insurer, { ...p, name: '高橋 一郎' }));
    expect(result.hubStatus).toBe('mismatch');
    expect(result.mismatch).toEqual({
      fields: ['name'],
      nearMatch: [{ field: 'name', index: 0, given: '高', recorded: '髙' }],
    });
    const row = await ctx.store.db
      .selectFrom('members')
      .select(['name', 'hub_mismatch_fields'])
      .where('id', '=', result.memberId)
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('高橋 一郎');
    expect(JSON.parse(row.hub_mismatch_fields)).toEqual(['name']);

    // The variant typed right is registered, and stored as typed.
    const q = person({ name: '髙橋 次郎', nameKana: 'タカハシ ジロウ' });
    await makeResident(ctx, q);
    const exact = await notify(ctx, acquisition(insurer, { ...q, name: '髙橋　次郎' }));
    expect(exact.hubStatus).toBe('registered');
    const stored = await ctx.store.db
      .selectFrom('members')
      .select('name')
      .where('id', '=', exact.memberId)
      .executeTakeFirstOrThrow();
    expect(stored.name).toBe('髙橋 次郎');
  });

  it('normalises width and spaces at the edge: half-width kana and full-width digits still match', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    await makeResident(ctx, p);
    const result = await notify(
      ctx,
      acquisition(insurer, {
        ...p,
        name: '協会　 太郎',
        nameKana: 'ｷｮｳｶｲ ﾀﾛｳ',
        address: '東京都千代田区霞が関１－２－２',
      }),
    );
    expect(result.hubStatus).toBe('registered');
  });

  it('fails the hub registration when the My Number has no resident record, or on birth date / sex / address', async () => {
    const insurer = await makeInsurer(ctx);
    const unknown = await notify(ctx, acquisition(insurer, person()));
    expect(unknown.mismatch?.fields).toEqual(['residentRecord']);
    const p = person();
    await makeResident(ctx, p);
    const result = await notify(
      ctx,
      acquisition(insurer, { ...p, birthDate: '1989-10-02', sex: 'female', address: '東京都千代田区霞が関1-2-3' }),
    );
    expect(result.mismatch?.fields).toEqual(['birthDate', 'sex', 'address']);
  });

  it('registers at the hub when a My Number is supplied later by a change', async () => {
    const insurer = await makeInsurer(ctx);
    const { myNumber, ...withoutNumber } = person();
    await makeResident(ctx, { myNumber, ...withoutNumber });
    const first = await notify(ctx, acquisition(insurer, withoutNumber));
    expect(first).toMatchObject({ hubStatus: 'no_my_number', hubAvailableOn: '2025-11-26' });

    const later = await notify(ctx, {
      kind: 'change',
      insurerNumber: insurer,
      recordedOn: '2025-12-10',
      symbol: '1234',
      number: first.number,
      myNumber,
    });
    expect(later).toMatchObject({ memberId: first.memberId, hubStatus: 'registered', hubAvailableOn: '2025-12-12' });
    const versions = await ctx.store.db
      .selectFrom('member_versions')
      .select(['version', 'hub_status'])
      .where('member_id', '=', first.memberId)
      .orderBy('version')
      .execute();
    expect(versions.map((v) => [Number(v.version), v.hub_status])).toEqual([
      [1, 'no_my_number'],
      [2, 'registered'],
    ]);
  });

  it('adds dependents on the next free branch, and the loss of the insured ends them on the same lostOn', async () => {
    const insurer = await makeInsurer(ctx);
    const insured = await notify(ctx, acquisition(insurer, person(), { number: '567' }));
    const dependent = (name: string) => ({
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2025-11-21',
      insured: { symbol: '1234', number: '567' },
      acquiredOn: '2025-11-01',
      person: person({ name, nameKana: 'キョウカイ コドモ', birthDate: '2015-04-02' }),
    });
    const first = await notify(ctx, dependent('協会 一子'));
    const second = await notify(ctx, dependent('協会 二子'));
    const third = await notify(ctx, dependent('協会 三子'));
    expect([first.branch, second.branch, third.branch]).toEqual(['01', '02', '03']);
    expect(first).toMatchObject({ symbol: '1234', number: '567' });

    // The third left earlier; the loss of the insured leaves it as it was.
    await notify(ctx, {
      kind: 'dependent_remove',
      insurerNumber: insurer,
      recordedOn: '2025-11-21',
      symbol: '1234',
      number: '567',
      branch: '03',
      lostOn: '2025-11-15',
    });
    // A branch is never reused: the next dependent gets 04, not 03.
    const fourth = await notify(ctx, dependent('協会 四子'));
    expect(fourth.branch).toBe('04');
    const loss = await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-12-10',
      symbol: '1234',
      number: '567',
      lostOn: '2025-12-01',
    });
    expect(loss.memberId).toBe(insured.memberId);
    expect(loss.endedDependents?.sort()).toEqual([first.memberId, second.memberId, fourth.memberId].sort());
    const rows = await ctx.store.db
      .selectFrom('members')
      .select(['branch', 'lost_on', 'version'])
      .where('insurer_number', '=', insurer)
      .orderBy('branch')
      .execute();
    expect(rows.map((r) => [r.branch, r.lost_on, Number(r.version)])).toEqual([
      ['00', '2025-12-01', 2],
      ['01', '2025-12-01', 2],
      ['02', '2025-12-01', 2],
      ['03', '2025-11-15', 2],
      ['04', '2025-12-01', 2],
    ]);
    // A lost insured takes no new dependent.
    await expectCode(notify(ctx, dependent('協会 五子')), 'CONFLICT_MEMBER_STATE');
  });

  it('refuses what does not fit, writing nothing', async () => {
    const insurer = await makeInsurer(ctx);
    const p = person();
    await notify(ctx, acquisition(insurer, p, { number: '10' }));
    const before = await counts(ctx);

    await expectCode(notify(ctx, acquisition(insurer, person(), { number: '10' })), 'DUPLICATE_MEMBER');
    await expectCode(notify(ctx, acquisition(insurer, p, { number: '11' })), 'DUPLICATE_MEMBER');
    const lossOf = (extra: Record<string, unknown>) => ({
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-11-21',
      symbol: '1234',
      number: '10',
      lostOn: '2025-12-01',
      ...extra,
    });
    await expectCode(notify(ctx, lossOf({ number: '99' })), 'MEMBER_NOT_FOUND');
    await expectCode(notify(ctx, lossOf({ lostOn: '2025-10-31' })), 'VALIDATION_FAILED');
    await expectCode(notify(ctx, lossOf({ recordedOn: '2025-11-20' })), 'CONFLICT_MEMBER_STATE');
    await expectCode(notify(ctx, { ...lossOf({}), kind: 'dependent_remove', branch: '00' }), 'CONFLICT_MEMBER_STATE');
    await expectCode(notify(ctx, acquisition(insurer, person(), { acquiredOn: '1989-09-30' })), 'VALIDATION_FAILED');
    await expectCode(notify(ctx, acquisition('06139992', person()), adminOf(insurer)), 'FORBIDDEN');
    await expectCode(notify(ctx, acquisition(insurer, person()), employerOf(insurer, '9999')), 'FORBIDDEN');
    expect(await counts(ctx)).toEqual(before);

    await notify(ctx, lossOf({}));
    await expectCode(notify(ctx, lossOf({ recordedOn: '2025-11-22' })), 'CONFLICT_MEMBER_STATE');
  });

  it('answers INSURER_NOT_FOUND for an association that is not hosted', async () => {
    await expectCode(notify(ctx, acquisition('01130012', person())), 'INSURER_NOT_FOUND');
  });

  it('rolls the whole notification back when a later step fails (no half-written loss)', async () => {
    const insurer = await makeInsurer(ctx);
    await notify(ctx, acquisition(insurer, person(), { number: '1' }));
    // The dependent's last change was recorded after the insured's loss date: the cascade fails.
    await notify(ctx, {
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2025-12-15',
      insured: { symbol: '1234', number: '1' },
      acquiredOn: '2025-11-01',
      person: person({ birthDate: '2010-01-01' }),
    });
    const before = await counts(ctx);
    await expectCode(
      notify(ctx, {
        kind: 'loss',
        insurerNumber: insurer,
        recordedOn: '2025-12-10',
        symbol: '1234',
        number: '1',
        lostOn: '2025-12-01',
      }),
      'CONFLICT_MEMBER_STATE',
    );
    expect(await counts(ctx)).toEqual(before);
    const insured = await ctx.store.db
      .selectFrom('members')
      .select(['lost_on', 'version'])
      .where('insurer_number', '=', insurer)
      .where('branch', '=', '00')
      .executeTakeFirstOrThrow();
    expect(insured).toMatchObject({ lost_on: null });
    expect(Number(insured.version)).toBe(1);
  });

  it('lets an employer notify for its own 記号 only', async () => {
    const insurer = await makeInsurer(ctx);
    const employer = employerOf(insurer, '1234');
    const result = await notify(ctx, acquisition(insurer, person()), employer);
    expect(result.symbol).toBe('1234');
    await expectCode(notify(ctx, acquisition(insurer, person(), { symbol: '5678' }), employer), 'FORBIDDEN');
  });

  it('answers the first result for a repeated idempotency key and writes nothing', async () => {
    const insurer = await makeInsurer(ctx);
    const input = parseNotification(acquisition(insurer, person(), { idempotencyKey: 'hr-2025-0001' }));
    const first = await submitNotification(ctx, adminOf(insurer), input);
    expect(first.replayed).toBe(false);
    const before = await counts(ctx);
    const again = await submitNotification(ctx, adminOf(insurer), input);
    expect(again).toEqual({ result: first.result, replayed: true });
    expect(await counts(ctx)).toEqual(before);

    // Reused for another kind of notification: refused, never someone else's answer.
    const loss = parseNotification({
      kind: 'loss',
      insurerNumber: insurer,
      symbol: '1234',
      number: first.result.number,
      lostOn: '2025-12-01',
      idempotencyKey: 'hr-2025-0001',
    });
    await expectCode(submitNotification(ctx, adminOf(insurer), loss), 'CONFLICT_IDEMPOTENCY_KEY');
    // Another employer of the association reusing the key does not see the first answer.
    await expectCode(
      submitNotification(
        ctx,
        employerOf(insurer, '9999'),
        parseNotification(acquisition(insurer, person(), { symbol: '9999', idempotencyKey: 'hr-2025-0001' })),
      ),
      'CONFLICT_IDEMPOTENCY_KEY',
    );

    // Keys are per association: the same key elsewhere is a new notification.
    const other = await makeInsurer(ctx);
    const elsewhere = await submitNotification(ctx, adminOf(other), { ...input, insurerNumber: other });
    expect(elsewhere.replayed).toBe(false);
    expect(elsewhere.result.memberId).not.toBe(first.result.memberId);
  });

  it('runs a JSON batch row by row, with line numbers; a re-run writes nothing new', async () => {
    const insurer = await makeInsurer(ctx);
    const good = person();
    const rows: unknown[] = [
      acquisition(insurer, good, { idempotencyKey: 'b-1' }),
      acquisition(insurer, { ...person(), myNumber: '123456789012' }, { idempotencyKey: 'b-2' }),
      { ...acquisition(insurer, person(), { idempotencyKey: 'b-3' }), favouriteColour: 'blue' },
      {
        kind: 'dependent_add',
        insurerNumber: insurer,
        recordedOn: '2025-11-21',
        insured: { symbol: '1234', number: '1' },
        acquiredOn: '2025-11-01',
        person: person({ birthDate: '2020-02-29' }),
        idempotencyKey: 'b-4',
      },
      {
        kind: 'loss',
        insurerNumber: insurer,
        symbol: '1234',
        number: '1',
        lostOn: '2025-13-01',
        idempotencyKey: 'b-5',
      },
    ];
    const report = await submitBatch(ctx, adminOf(insurer), rows);
    expect(report).toMatchObject({ accepted: 2, rejected: 3 });
    expect(report.rows.map((r) => [r.line, r.ok, r.ok ? r.result.branch : r.error.code])).toEqual([
      [1, true, '00'],
      [2, false, 'MYNUMBER_CHECK_DIGIT'],
      [3, false, 'VALIDATION_UNKNOWN_FIELD'],
      [4, true, '01'],
      [5, false, 'VALIDATION_DATE'],
    ]);
    const bad = report.rows[1];
    expect(bad?.ok === false && bad.error.errors).toEqual([
      expect.objectContaining({ path: '/person/myNumber', code: 'MYNUMBER_CHECK_DIGIT' }),
    ]);
    expect(report.rows[2]?.ok === false && report.rows[2].error.errors?.[0]?.message).toContain('favouriteColour');

    const before = await counts(ctx);
    const again = await submitBatch(ctx, adminOf(insurer), rows);
    expect(again).toMatchObject({ accepted: 2, rejected: 3 });
    expect(again.rows.filter((r) => r.ok).every((r) => r.ok && r.replayed)).toBe(true);
    expect(await counts(ctx)).toEqual(before);
  });

  it('numbers concurrent acquisitions apart, and answers concurrent repeats of one key once', async () => {
    const insurer = await makeInsurer(ctx);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => notify(ctx, acquisition(insurer, person(), { symbol: '4242' }))),
    );
    expect(results.map((r) => Number(r.number)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);

    const input = parseNotification(acquisition(insurer, person(), { symbol: '4343', idempotencyKey: 'same' }));
    const outcomes = await Promise.all(
      Array.from({ length: 4 }, () => submitNotification(ctx, adminOf(insurer), input)),
    );
    expect(new Set(outcomes.map((o) => o.result.memberId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
  });

  it('treats a My Number already active in the association as a duplicate, but allows it elsewhere', async () => {
    const insurer = await makeInsurer(ctx);
    const other = await makeInsurer(ctx);
    const myNumber = freshMyNumber();
    await notify(ctx, acquisition(insurer, person({ myNumber })));
    await expectCode(notify(ctx, acquisition(insurer, person({ myNumber }), { symbol: '2222' })), 'DUPLICATE_MEMBER');
    const elsewhere = await notify(ctx, acquisition(other, person({ myNumber })));
    expect(elsewhere.number).toBe('1');
  });
});
