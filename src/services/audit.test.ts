import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.js';
import type { Store } from '../store/db.js';
import { systemActor } from './actor.js';
import { appendAudit, verifyAuditChain } from './audit.js';

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
    expect(await verifyAuditChain(store.db)).toEqual({ ok: true, records: 5 });
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
    const before = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, store.dialect, systemActor(), '2025-12-03T00:00:00.000Z', { action: 'x' });
        throw new Error('crash after the audit write');
      }),
    ).rejects.toThrow('crash');
    const after = await store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
