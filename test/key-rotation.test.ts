import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import {
  addKey,
  documentFromSecret,
  type Keyring,
  keyringFromDocument,
  keyringFromSecret,
} from '../src/security/keyring.js';
import { verifyAuditChain } from '../src/services/audit.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { type DemoResult, loadDemo } from '../src/services/demo.js';
import {
  assertKeyringOpensStore,
  encryptedColumns,
  keyUsage,
  rewrapAll,
  summarizeUsage,
} from '../src/services/key-rotation.js';
import type { Store } from '../src/store/db.js';
import { openTestStore, STORE_KINDS } from './support/stores.js';

const clock = fixedClock('2026-11-23T01:00:00Z');
const SECRET = Buffer.alloc(32, 9);
const firstDoc = documentFromSecret(SECRET);
const first = keyringFromDocument(firstDoc);
const second = keyringFromDocument(addKey(firstDoc, '2026-11-23T00:00:00.000Z'));

/** Every sealed value, opened, keyed by table.column and its position in a stable order. */
async function openedValues(store: Store, keyring: Keyring): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const db = store.db as unknown as {
    selectFrom(t: string): { select(c: string): { execute(): Promise<Array<Record<string, string | null>>> } };
  };
  for (const c of await encryptedColumns(store.db)) {
    const rows = await db.selectFrom(c.table).select(c.column).execute();
    const opened = rows
      .map((r) => r[c.column])
      .filter((v): v is string => typeof v === 'string')
      .map((v) => keyring.decrypt(v))
      .sort();
    out.set(`${c.table}.${c.column}`, opened);
  }
  return out;
}

async function rawValues(store: Store): Promise<Set<string>> {
  const all = new Set<string>();
  const db = store.db as unknown as {
    selectFrom(t: string): { select(c: string): { execute(): Promise<Array<Record<string, string | null>>> } };
  };
  for (const c of await encryptedColumns(store.db)) {
    for (const r of await db.selectFrom(c.table).select(c.column).execute()) {
      const v = r[c.column];
      if (typeof v === 'string') all.add(v);
    }
  }
  return all;
}

describe.each(STORE_KINDS)('key rotation on %s', (kind) => {
  let store: Store;
  let ctx: ServiceContext;
  let demo: DemoResult;
  let before: Map<string, string[]>;
  let indexesBefore: string[];

  beforeAll(async () => {
    store = await openTestStore(kind);
    ctx = { store, keyring: first, clock };
    const app = await buildApp({ ctx });
    demo = await loadDemo(app, ctx);
    await app.close();
    before = await openedValues(store, first);
    indexesBefore = (await store.db.selectFrom('members').select('my_number_index').orderBy('id').execute()).map(
      (r) => r.my_number_index ?? '',
    );
  });
  afterAll(() => store.close());

  it('finds every encrypted column of the schema, each holding demo values', async () => {
    const columns = (await encryptedColumns(store.db)).map((c) => `${c.table}.${c.column}`);
    for (const expected of [
      'members.my_number_enc',
      'residents.my_number_enc',
      'cards.private_key_enc',
      'ca.private_key_enc',
    ]) {
      expect(columns).toContain(expected);
      expect(before.get(expected)?.length).toBeGreaterThan(0);
    }
    expect(summarizeUsage(await keyUsage(ctx), second)).toMatchObject({ current: 0, unknown: {} });
  });

  it('resumes after a crash half-way, then leaves every value on the new key, opened to the same plaintext', async () => {
    const rotated: ServiceContext = { store, keyring: second, clock };
    const total = summarizeUsage(await keyUsage(ctx), second).pending;
    let batches = 0;
    await expect(
      rewrapAll(rotated, {
        batch: 2,
        onBatch: () => {
          if (++batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const half = summarizeUsage(await keyUsage(ctx), second);
    const done = half.current;
    expect(done).toBeGreaterThanOrEqual(3);
    expect(half.pending).toBe(total - done);
    const convertedFirst = [...(await rawValues(store))].filter((v) => v.startsWith(`v1:${second.keyId}:`));
    expect(convertedFirst).toHaveLength(done);
    // The old keyring cannot open what was re-encrypted: the data really moved to the new key.
    await expect(openedValues(store, first)).rejects.toThrow(/sealed with key/);

    const report = await rewrapAll(rotated, { batch: 2 });
    expect(report).toMatchObject({
      keyId: second.keyId,
      rewrapped: total - done,
      skipped: 0,
      remaining: 0,
      unknown: {},
    });
    // Values already on the new key were not touched again.
    const after = await rawValues(store);
    for (const v of convertedFirst) expect(after.has(v)).toBe(true);
    expect(summarizeUsage(await keyUsage(ctx), second)).toEqual({ current: total, pending: 0, unknown: {} });
    expect(await openedValues(store, second)).toEqual(before);

    // A third run finds nothing to do.
    expect((await rewrapAll(rotated)).rewrapped).toBe(0);
  });

  it('keeps the blind index: My Number lookups, PINs and card keys work after the rotation', async () => {
    const indexesAfter = (await store.db.selectFrom('members').select('my_number_index').orderBy('id').execute()).map(
      (r) => r.my_number_index ?? '',
    );
    expect(indexesAfter).toEqual(indexesBefore);
    const app = await buildApp({ ctx: { store, keyring: second, clock } });
    try {
      const provider = { authorization: `Bearer ${demo.tokens.provider}` };
      const { challenge } = (
        await app.inject({ method: 'GET', url: '/api/v1/verifications/challenge', headers: provider })
      ).json();
      // The PIN is checked against a hash peppered with the index key; the card key was re-encrypted.
      const signed = await app.inject({
        method: 'POST',
        url: `/api/v1/cards/${demo.cards.taro}:sign`,
        headers: provider,
        payload: { challenge, pin: '1234' },
      });
      expect(signed.statusCode).toBe(200);
      const { certificate, signature } = signed.json();
      const verified = await app.inject({
        method: 'POST',
        url: '/api/v1/verifications',
        headers: provider,
        payload: { method: 'card', card: { certificate, challenge, signature }, identityCheck: 'pin' },
      });
      expect(verified.json()).toMatchObject({ outcome: 'eligible' });
    } finally {
      await app.close();
    }
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'keys.rewrap')
      .execute();
    // One record per completed run (the killed run's batches are not a completed rotation).
    expect(audit).toHaveLength(2);
  });

  it('counts values sealed with a key the keyring lacks, never touches them, and refuses to serve with it', async () => {
    const stranger = keyringFromSecret(Buffer.alloc(32, 10));
    const sealed = stranger.encrypt('x');
    await store.db.updateTable('ca').set({ private_key_enc: sealed }).execute();
    const report = await rewrapAll({ store, keyring: second, clock });
    expect(report.unknown).toEqual({ [stranger.keyId]: 1 });
    expect((await store.db.selectFrom('ca').select('private_key_enc').executeTakeFirstOrThrow()).private_key_enc).toBe(
      sealed,
    );
    await expect(assertKeyringOpensStore(store, second)).rejects.toThrow(
      new RegExp(`key ${stranger.keyId}.*ca\\.private_key_enc`),
    );
    await expect(assertKeyringOpensStore(store, stranger)).rejects.toThrow(/does not hold key/);
  });
});
