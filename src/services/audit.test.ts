import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.js';
import type { Store } from '../store/db.js';
import { systemActor } from './actor.js';
import { appendAudit, auditHash, verifyAuditChain } from './audit.js';

describe.each(STORE_KINDS)('audit chain on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
    for (let i = 0; i < 5; i++) {
      await store.db.transaction().execute((trx) =>
        appendAudit(trx, store.dialect, systemActor(), `2025-12-02T0${i}:00:00.000Z`, {
          action: 'verification',
          memberId: `m${i}`,
          detail: { outcome: 'eligible' },
        }),
      );
    }
  });
  afterAll(() => store.close());

  it('verifies an untouched chain', async () => {
    const result = await verifyAuditChain(store.db);
    expect(result).toMatchObject({ ok: true, records: 5, head: { seq: 5 } });
    const last = await store.db.selectFrom('audit_log').select('hash').where('seq', '=', 5).executeTakeFirstOrThrow();
    expect(result.ok && result.head.hash).toBe(last.hash);
  });

  it('detects a modified record, then a deleted one', async () => {
    await store.db.updateTable('audit_log').set({ detail: '{"outcome":"ineligible"}' }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 3, problem: 'record modified' });
    await store.db.updateTable('audit_log').set({ detail: '{"outcome":"eligible"}' }).where('seq', '=', 3).execute();
    expect((await verifyAuditChain(store.db)).ok).toBe(true);
    await store.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
    expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, problem: 'records removed from the end' });
  });

  it('rolls the audit record back with the transaction it belongs to', async () => {
    const before = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, store.dialect, systemActor(), '2025-12-03T00:00:00.000Z', { action: 'x' });
        throw new Error('crash after the audit write');
      }),
    ).rejects.toThrow('crash');
    const after = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

/** A fresh chain of `n` records on its own store, for one tampering each. */
async function chainOf(kind: 'sqlite' | 'postgres', n: number): Promise<Store> {
  const store = await openTestStore(kind);
  for (let i = 1; i <= n; i++) {
    await store.db.transaction().execute((trx) =>
      appendAudit(trx, store.dialect, systemActor(), `2025-12-02T00:00:${String(i).padStart(2, '0')}.000Z`, {
        action: 'verification',
        memberId: `m${i}`,
        detail: { outcome: 'eligible', n: i },
      }),
    );
  }
  return store;
}

describe.each(STORE_KINDS)('audit tampering on %s', (kind) => {
  it('detects a modified record, even one whose hash was recomputed', async () => {
    const store = await chainOf(kind, 6);
    try {
      await store.db.updateTable('audit_log').set({ actor: 'operator:someone-else' }).where('seq', '=', 4).execute();
      expect(await verifyAuditChain(store.db, { pageSize: 2 })).toMatchObject({
        ok: false,
        brokenAt: 4,
        problem: 'record modified',
        records: 4,
      });
      // A forger who recomputes the record's hash breaks the next record's link instead.
      const row = await store.db.selectFrom('audit_log').selectAll().where('seq', '=', 4).executeTakeFirstOrThrow();
      await store.db
        .updateTable('audit_log')
        .set({ hash: auditHash({ ...row, seq: 4 }) })
        .where('seq', '=', 4)
        .execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 5, problem: 'broken link' });
    } finally {
      await store.close();
    }
  });

  it('detects a deleted middle record', async () => {
    const store = await chainOf(kind, 6);
    try {
      await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 3, problem: 'sequence gap' });
      // Renumbering the rest to close the gap breaks the link instead.
      for (const seq of [4, 5, 6])
        await store.db
          .updateTable('audit_log')
          .set({ seq: seq - 1 })
          .where('seq', '=', seq)
          .execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 3, problem: 'broken link' });
    } finally {
      await store.close();
    }
  });

  it('detects a deleted tail through the head row, and through an anchor when the head was rewound too', async () => {
    const store = await chainOf(kind, 6);
    try {
      const intact = await verifyAuditChain(store.db);
      if (!intact.ok) throw new Error('expected an intact chain');
      const anchor = intact.head;
      await store.db.deleteFrom('audit_log').where('seq', '>=', 5).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({
        ok: false,
        brokenAt: 5,
        problem: 'records removed from the end',
      });
      const four = await store.db.selectFrom('audit_log').select('hash').where('seq', '=', 4).executeTakeFirstOrThrow();
      // The intruder rewinds the chain's head row too (audit_head is only a view since 0007).
      await store.db.updateTable('audit_chains').set({ seq: 4, hash: four.hash }).execute();
      // Consistent again on its own; only a head kept elsewhere shows the loss.
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 4 });
      expect(await verifyAuditChain(store.db, { anchor })).toMatchObject({ ok: false, problem: 'anchor mismatch' });
      expect(await verifyAuditChain(store.db, { anchor: { seq: 2, hash: 'f'.repeat(64) } })).toMatchObject({
        ok: false,
        brokenAt: 2,
        problem: 'anchor mismatch',
      });
    } finally {
      await store.close();
    }
  });

  it('detects two records swapped', async () => {
    const store = await chainOf(kind, 6);
    try {
      await store.db.updateTable('audit_log').set({ seq: 1000 }).where('seq', '=', 2).execute();
      await store.db.updateTable('audit_log').set({ seq: 2 }).where('seq', '=', 3).execute();
      await store.db.updateTable('audit_log').set({ seq: 3 }).where('seq', '=', 1000).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 2, problem: 'broken link' });
    } finally {
      await store.close();
    }
  });

  it("detects a record appended behind the chain's back", async () => {
    const store = await chainOf(kind, 3);
    try {
      const head = await store.db.selectFrom('audit_head').select('hash').executeTakeFirstOrThrow();
      const row = {
        seq: 4,
        at: '2025-12-03T00:00:00.000Z',
        actor: 'x',
        action: 'y',
        insurer_number: null,
        member_id: null,
        detail: '{}',
        prev_hash: head.hash,
      };
      await store.db
        .insertInto('audit_log')
        .values({ ...row, hash: auditHash(row) })
        .execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({
        ok: false,
        brokenAt: 4,
        problem: 'records beyond the head',
      });
    } finally {
      await store.close();
    }
  });
});
