import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS, testStoreTargets } from '../../test/support/stores.js';
import { openStore, type Store } from '../store/db.js';
import { MIGRATIONS } from '../store/migrations/index.js';
import type { Database } from '../store/schema.js';
import { systemActor } from './actor.js';
import { appendAudit, appendAuditBatch, auditChainOf, auditHash, GENESIS, verifyAuditChain } from './audit.js';

const A = '06139992';
const B = '06131239';
const admin = (insurerNumber: string) => systemActor('admin', { tokenId: `t-${insurerNumber}`, insurerNumber });
const provider = systemActor('provider', { tokenId: 't-p', providerCode: '1311234566' });

describe('auditChainOf', () => {
  it('puts a record on its association, else on the asking provider, else on the actor', () => {
    expect(auditChainOf(admin(A), { action: 'x', insurerNumber: A })).toBe(`insurer:${A}`);
    expect(auditChainOf(provider, { action: 'verification' })).toBe('provider:1311234566');
    expect(auditChainOf(systemActor(), { action: 'resident.upsert' })).toBe('actor:operator:system');
  });
});

describe.each(STORE_KINDS)('audit chains on %s', (kind) => {
  async function twoAssociations(): Promise<Store> {
    const store = await openTestStore(kind);
    for (let i = 0; i < 6; i++) {
      const insurerNumber = i % 2 === 0 ? A : B;
      await store.db.transaction().execute((trx) =>
        appendAudit(trx, store.dialect, admin(insurerNumber), `2025-12-02T00:00:0${i}.000Z`, {
          action: 'x',
          insurerNumber,
          detail: { i },
        }),
      );
    }
    return store;
  }

  it('links each record to the previous one of its own chain, and verifies them all', async () => {
    const store = await twoAssociations();
    try {
      const rows = await store.db.selectFrom('audit_log').select(['seq', 'chain', 'prev_seq']).orderBy('seq').execute();
      expect(rows.map((r) => [Number(r.seq), r.chain, Number(r.prev_seq)])).toEqual([
        [1, `insurer:${A}`, 0],
        [2, `insurer:${B}`, 0],
        [3, `insurer:${A}`, 1],
        [4, `insurer:${B}`, 2],
        [5, `insurer:${A}`, 3],
        [6, `insurer:${B}`, 4],
      ]);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 6, chains: 2, head: { seq: 6 } });
      const heads = await store.db.selectFrom('audit_chains').selectAll().orderBy('chain').execute();
      expect(heads.map((h) => [h.chain, Number(h.seq)])).toEqual([
        [`insurer:${B}`, 6],
        [`insurer:${A}`, 5],
      ]);
    } finally {
      await store.close();
    }
  });

  it("detects one chain's tail removed, though later records of another chain remain", async () => {
    const store = await twoAssociations();
    try {
      await store.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({
        ok: false,
        brokenAt: 4,
        problem: 'records removed from the end',
      });
    } finally {
      await store.close();
    }
  });

  it('detects a record moved to another chain', async () => {
    const store = await twoAssociations();
    try {
      await store.db
        .updateTable('audit_log')
        .set({ chain: `insurer:${B}` })
        .where('seq', '=', 3)
        .execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 3, problem: 'broken link' });
    } finally {
      await store.close();
    }
  });

  it('seals a chunk over several chains with the links as many single appends would write', async () => {
    const store = await openTestStore(kind);
    try {
      const chunk = [0, 1, 2, 3].map((i) => ({
        actor: i === 3 ? provider : admin(i % 2 === 0 ? A : B),
        at: '2025-12-02T00:00:00.000Z',
        entry: i === 3 ? { action: 'verification' } : { action: 'x', insurerNumber: i % 2 === 0 ? A : B },
      }));
      const seqs = await store.db.transaction().execute((trx) => appendAuditBatch(trx, store.dialect, chunk));
      expect(seqs).toEqual([1, 2, 3, 4]);
      const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
      expect(rows.map((r) => [r.chain, Number(r.prev_seq)])).toEqual([
        [`insurer:${A}`, 0],
        [`insurer:${B}`, 0],
        [`insurer:${A}`, 1],
        ['provider:1311234566', 0],
      ]);
      expect(rows[0]?.prev_hash).toBe(GENESIS);
      expect(rows[2]?.prev_hash).toBe(rows[0]?.hash);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 4, chains: 3 });
    } finally {
      await store.close();
    }
  });
});

describe.runIf(STORE_KINDS.includes('postgres'))('audit chains on postgres: no global lock', () => {
  it('lets a writer of one association commit while a writer of another holds its chain', async () => {
    const store = await openTestStore('postgres');
    try {
      let releaseA: () => void = () => {};
      const holdA = new Promise<void>((resolve) => {
        releaseA = resolve;
      });
      let lockedA: () => void = () => {};
      const aLocked = new Promise<void>((resolve) => {
        lockedA = resolve;
      });
      const writerA = store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, store.dialect, admin(A), '2025-12-02T00:00:00.000Z', { action: 'x', insurerNumber: A });
        lockedA();
        await holdA;
      });
      await aLocked;
      // A global head would make this wait for writer A; a chain per association does not.
      const committedB = await Promise.race([
        store.db
          .transaction()
          .execute((trx) =>
            appendAudit(trx, store.dialect, admin(B), '2025-12-02T00:00:01.000Z', { action: 'x', insurerNumber: B }),
          )
          .then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3000)),
      ]);
      releaseA();
      await writerA;
      expect(committedB).toBe(true);
      // B drew its seq after A, committed before A: the log has no gap and both chains verify.
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 2, chains: 2 });
    } finally {
      await store.close();
    }
  });
});

describe.each(STORE_KINDS)('migration 0007 on %s', (kind) => {
  const targets = testStoreTargets('shikaku-audit-0007');
  afterAll(() => targets.remove());

  /** A store migrated up to 0005 with three records of the one global chain, written as before. */
  async function legacyStore(): Promise<{ file?: string; databaseUrl?: string }> {
    const target = await targets.target(kind, 'legacy');
    const db = new Kysely<Database>({
      dialect: target.databaseUrl
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: target.databaseUrl }) })
        : new SqliteDialect({ database: new SqliteDatabase(target.file as string) }),
    });
    const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0006'));
    await new Migrator({
      db,
      provider: { getMigrations: async (): Promise<Record<string, Migration>> => before },
    }).migrateToLatest();
    let prev = GENESIS;
    for (let seq = 1; seq <= 3; seq++) {
      const row = {
        seq,
        at: `2025-12-01T00:00:0${seq}.000Z`,
        actor: 'operator:system',
        action: 'x',
        insurer_number: seq === 2 ? A : null,
        member_id: null,
        detail: '{}',
        prev_hash: prev,
      };
      prev = auditHash(row);
      await db
        .insertInto('audit_log')
        .values({ ...row, hash: prev } as never)
        .execute();
    }
    await db.updateTable('audit_head').set({ seq: 3, hash: prev }).where('id', '=', 1).execute();
    await db.destroy();
    return target;
  }

  it('keeps the old chain verifiable as a closed legacy segment, and chains new records after it', async () => {
    const target = await legacyStore();
    const store = await openStore(target);
    try {
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 3, head: { seq: 3 } });
      const seq = await store.db
        .transaction()
        .execute((trx) =>
          appendAudit(trx, store.dialect, admin(A), '2025-12-02T00:00:00.000Z', { action: 'y', insurerNumber: A }),
        );
      expect(seq).toBe(4);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true, records: 4, chains: 2, head: { seq: 4 } });
      const view = await store.db.selectFrom('audit_head').select(['id', 'seq']).executeTakeFirstOrThrow();
      expect([view.id, Number(view.seq)]).toEqual([1, 4]);

      await store.db.updateTable('audit_log').set({ detail: '{"x":1}' }).where('seq', '=', 2).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: false, brokenAt: 2, problem: 'record modified' });
      await store.db.updateTable('audit_log').set({ detail: '{}' }).where('seq', '=', 2).execute();
      await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
      expect(await verifyAuditChain(store.db)).toMatchObject({
        ok: false,
        brokenAt: 3,
        problem: 'records removed from the end',
      });
    } finally {
      await store.close();
    }
  });
});
