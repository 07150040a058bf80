import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInsurer, makeResident, notify, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { ServiceContext } from './context.js';
import {
  addressKey,
  compareWithResident,
  type HubEntry,
  hubEntriesByNumber,
  hubEntriesByPerson,
  hubLookupByNumber,
} from './hub.js';

const RESIDENT = {
  name: '髙橋 﨑子',
  nameKana: 'タカハシ サキコ',
  birthDate: '1990-02-28',
  sex: 'female' as const,
  address: '東京都千代田区霞が関1-2-2',
};

describe('compareWithResident', () => {
  it('registers an exact match, after width and space normalisation', () => {
    expect(
      compareWithResident(
        { ...RESIDENT, name: '髙橋　﨑子', nameKana: 'ﾀｶﾊｼ  ｻｷｺ', address: '東京都 千代田区霞が関１ー２ー２' },
        RESIDENT,
      ),
    ).toEqual({ status: 'registered', fields: [], nearMatch: [] });
  });

  it('lists every differing field in a fixed order, with near-match hints for variant kanji and small kana', () => {
    const check = compareWithResident(
      { name: '高橋 崎子', nameKana: 'タカハシ サキユ', birthDate: '1990-03-01', sex: 'male', address: null },
      { ...RESIDENT, nameKana: 'タカハシ サキュ' },
    );
    expect(check.status).toBe('mismatch');
    expect(check.fields).toEqual(['name', 'nameKana', 'birthDate', 'sex', 'address']);
    expect(check.nearMatch).toEqual([
      { field: 'name', index: 0, given: '高', recorded: '髙' },
      { field: 'name', index: 3, given: '崎', recorded: '﨑' },
      { field: 'nameKana', index: 7, given: 'ユ', recorded: 'ュ' },
    ]);
  });

  it("gives no hint when a name is simply different, and 'residentRecord' without a record", () => {
    expect(compareWithResident({ ...RESIDENT, name: '田中 﨑子' }, RESIDENT)).toEqual({
      status: 'mismatch',
      fields: ['name'],
      nearMatch: [],
    });
    expect(compareWithResident(RESIDENT, null).fields).toEqual(['residentRecord']);
  });

  it('reads dash look-alikes in addresses as one, but not 丁目 for a dash', () => {
    expect(addressKey('霞が関１−２‐２')).toBe(addressKey('霞が関1-2-2'));
    expect(addressKey('霞が関1丁目2番2号')).not.toBe(addressKey('霞が関1-2-2'));
    // ー between letters is a long vowel, not a dash.
    expect(addressKey('センター1ー2')).toBe('センター1-2');
  });
});

describe.each(STORE_KINDS)('what the hub answered on a day, on %s', (kind) => {
  let ctx: ServiceContext;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
  });
  afterAll(() => ctx.store.close());

  async function enrol(insurer: string, extra: Record<string, unknown> = {}, p = person()) {
    await makeResident(ctx, p);
    const result = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: insurer,
      recordedOn: '2025-11-21',
      symbol: '1234',
      acquiredOn: '2025-11-01',
      person: p,
      ...extra,
    });
    return { p, result, index: ctx.keyring.blindIndex(p.myNumber) };
  }

  const states = (entries: HubEntry[]) => entries.map((e) => e.record.state);

  it('is absent before the recording, pending until hubAvailableOn, registered from it', async () => {
    const insurer = await makeInsurer(ctx);
    const { result, index } = await enrol(insurer);
    expect(await hubEntriesByPerson(ctx.store.db, index, '2025-11-20')).toEqual([]);
    for (const day of ['2025-11-21', '2025-11-24', '2025-11-25']) {
      expect(await hubEntriesByPerson(ctx.store.db, index, day)).toEqual([
        { memberId: result.memberId, record: { state: 'pending', hubAvailableOn: '2025-11-26' }, facts: null },
      ]);
    }
    const [entry] = await hubEntriesByPerson(ctx.store.db, index, '2025-11-26');
    expect(entry?.record).toEqual({
      state: 'registered',
      qualification: {
        memberId: result.memberId,
        insurerNumber: insurer,
        symbol: '1234',
        number: result.number,
        branch: '00',
        relationship: 'insured',
        birthDate: '1989-10-01',
        acquiredOn: '2025-11-01',
        lostOn: null,
      },
    });
    expect(entry?.facts).toMatchObject({ name: '協会 太郎', insurerNumber: insurer });

    const key = { insurerNumber: insurer, symbol: '1234', number: result.number };
    expect(states(await hubEntriesByNumber(ctx.store.db, key, '2025-11-25'))).toEqual(['pending']);
    expect(states(await hubEntriesByNumber(ctx.store.db, key, '2025-11-26'))).toEqual(['registered']);
    expect(await hubEntriesByNumber(ctx.store.db, { ...key, branch: '01' }, '2025-11-26')).toEqual([]);

    // The verification's one read: the household, the 枝番's members, the person elsewhere (none here).
    const lookup = await hubLookupByNumber(ctx.store.db, key, '2025-11-26');
    expect(states(lookup.household)).toEqual(['registered']);
    expect(lookup.entries).toEqual(lookup.household);
    expect(lookup.elsewhere).toEqual([]);
    expect(lookup.personOf.get(result.memberId)).toBe(index);
    expect((await hubLookupByNumber(ctx.store.db, { ...key, branch: '00' }, '2025-11-26')).entries).toEqual(
      lookup.household,
    );
    const other = await hubLookupByNumber(ctx.store.db, { ...key, branch: '01' }, '2025-11-26');
    expect(other.entries).toEqual([]);
    expect(other.household).toEqual(lookup.household);
  });

  it('keeps answering the old version until a retroactive loss reaches the hub', async () => {
    const insurer = await makeInsurer(ctx);
    const { result, index } = await enrol(insurer);
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      recordedOn: '2025-12-10',
      symbol: '1234',
      number: result.number,
      lostOn: '2025-11-30',
    });
    const lostOn = async (day: string) => {
      const [entry] = await hubEntriesByPerson(ctx.store.db, index, day);
      return entry?.record.state === 'registered' ? entry.record.qualification.lostOn : entry?.record.state;
    };
    // What the hub said on 2025-12-05 (the loss was not yet recorded) and on 12-11 (not yet visible).
    expect(await lostOn('2025-12-05')).toBeNull();
    expect(await lostOn('2025-12-11')).toBeNull();
    // From 2025-12-12 (2nd business day after 12-10) the hub knows the loss, back to 11-30.
    expect(await lostOn('2025-12-12')).toBe('2025-11-30');
    const [byNumber] = await hubEntriesByNumber(
      ctx.store.db,
      { insurerNumber: insurer, symbol: '1234', number: result.number, branch: '00' },
      '2025-12-05',
    );
    expect(byNumber?.facts?.lostOn).toBeNull();
  });

  it('answers mismatch with field names, and no_my_number until a My Number reaches the hub', async () => {
    const insurer = await makeInsurer(ctx);
    const mistyped = await enrol(insurer, {}, person({ nameKana: 'キョウカイ タロウ' }));
    // Re-record the resident with another kana: the next version would mismatch; the first matched.
    await makeResident(ctx, { ...mistyped.p, nameKana: 'キョウカイ タロオ' });
    await notify(ctx, {
      kind: 'change',
      insurerNumber: insurer,
      recordedOn: '2025-12-01',
      symbol: '1234',
      number: mistyped.result.number,
      address: '東京都千代田区霞が関1-2-2',
    });
    expect(states(await hubEntriesByPerson(ctx.store.db, mistyped.index, '2025-12-02'))).toEqual(['registered']);
    const [later] = await hubEntriesByPerson(ctx.store.db, mistyped.index, '2025-12-03');
    expect(later?.record).toEqual({ state: 'mismatch', fields: ['nameKana'] });
    expect(later?.facts?.nameKana).toBe('キョウカイ タロウ');

    const { myNumber, ...withoutNumber } = person();
    await makeResident(ctx, { myNumber, ...withoutNumber });
    const noNumber = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: insurer,
      recordedOn: '2025-11-21',
      symbol: '5678',
      acquiredOn: '2025-11-01',
      person: withoutNumber,
    });
    const key = { insurerNumber: insurer, symbol: '5678', number: noNumber.number };
    expect(states(await hubEntriesByNumber(ctx.store.db, key, '2025-11-26'))).toEqual(['no_my_number']);
    await notify(ctx, { kind: 'change', recordedOn: '2025-12-10', ...key, myNumber });
    const index = ctx.keyring.blindIndex(myNumber);
    // Found by the number it now holds, but on 12-11 the hub still had the version without it.
    expect(states(await hubEntriesByPerson(ctx.store.db, index, '2025-12-11'))).toEqual(['no_my_number']);
    expect(states(await hubEntriesByPerson(ctx.store.db, index, '2025-12-12'))).toEqual(['registered']);
  });

  it('finds a person at every association that registered them', async () => {
    const first = await makeInsurer(ctx);
    const second = await makeInsurer(ctx);
    const { p, index, result } = await enrol(first);
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: first,
      recordedOn: '2025-11-28',
      symbol: '1234',
      number: result.number,
      lostOn: '2025-12-01',
    });
    await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: second,
      recordedOn: '2025-12-01',
      symbol: '77',
      acquiredOn: '2025-12-01',
      person: p,
    });
    const entries = await hubEntriesByPerson(ctx.store.db, index, '2025-12-03');
    const byInsurer = Object.fromEntries(
      entries.map((e) => [
        e.facts?.insurerNumber,
        e.record.state === 'registered' ? e.record.qualification.lostOn : null,
      ]),
    );
    expect(byInsurer).toEqual({ [first]: '2025-12-01', [second]: null });
  });
});
