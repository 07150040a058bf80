import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.js';
import type { Store } from './db.js';
import { fastAll, fastRun, rawDialect } from './fast.js';
import type { Database } from './schema.js';

const insertChallenge = (db: Kysely<Database>, challenge: string) =>
  db
    .insertInto('challenges')
    .values({ challenge, provider_code: 'p', expires_at: '2099-01-01T00:00:00.000Z', used_at: null, created_at: 'x' })
    .execute();

describe.each(STORE_KINDS)('hand-written hot-path queries on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  it('runs the same SQL with ? placeholders on the raw driver and inside a transaction', async () => {
    expect(rawDialect(store.db)).toBe(kind);
    await insertChallenge(store.db, 'c-1');
    const select = 'select challenge, provider_code from challenges where challenge = ? and provider_code = ?';
    expect(await fastAll(store.db, select, ['c-1', 'p'])).toEqual([{ challenge: 'c-1', provider_code: 'p' }]);
    const inside = await store.db.transaction().execute(async (trx) => {
      await insertChallenge(trx, 'c-2');
      return fastAll(trx, select, ['c-2', 'p']);
    });
    expect(inside).toEqual([{ challenge: 'c-2', provider_code: 'p' }]);
    const update = 'update challenges set used_at = ? where challenge = ? and used_at is null';
    expect(await fastRun(store.db, update, ['now', 'c-1'])).toBe(1);
    expect(await fastRun(store.db, update, ['now', 'c-1'])).toBe(0);
    expect(await store.db.transaction().execute((trx) => fastRun(trx, update, ['now', 'c-2']))).toBe(1);
  });

  it('never reads what an open transaction has not committed', async () => {
    const select = 'select challenge from challenges where challenge = ?';
    let reading: Promise<unknown[]> | undefined;
    await expect(
      store.db.transaction().execute(async (trx) => {
        await insertChallenge(trx, 'c-rolled-back');
        // Another request reads meanwhile: on SQLite it waits for the transaction (one connection),
        // on PostgreSQL it runs on another connection; either way it must not see the row.
        reading = fastAll(store.db, select, ['c-rolled-back']);
        if (kind === 'postgres') await reading;
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await reading).toEqual([]);
    expect(await fastAll(store.db, select, ['c-rolled-back'])).toEqual([]);
  });

  it.runIf(kind === 'sqlite')('reuses a cached statement after a stream over it ended early', async () => {
    for (const c of ['s-1', 's-2', 's-3']) await insertChallenge(store.db, c);
    const query = store.db
      .selectFrom('challenges')
      .select('challenge')
      .where('challenge', 'like', 's-%')
      .orderBy('challenge');
    for await (const row of query.stream()) {
      expect(row.challenge).toBe('s-1');
      break;
    }
    expect((await query.execute()).map((r) => r.challenge)).toEqual(['s-1', 's-2', 's-3']);
    expect(Number((await sql<{ n: number }>`select 1 as n`.execute(store.db)).rows[0]?.n)).toBe(1);
  });
});
