import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.js';
import type { Store } from './db.js';
import { fastAll, fastInsert, fastInsertMany, fastRun, insertStatement, rawDialect } from './fast.js';
import type { ChallengesTable, Database } from './schema.js';

const insertChallenge = (db: Kysely<Database>, challenge: string) =>
  db
    .insertInto('challenges')
    .values({ challenge, provider_code: 'p', expires_at: '2099-01-01T00:00:00.000Z', used_at: null, created_at: 'x' })
    .execute();

const insert = insertStatement<ChallengesTable>('challenges', [
  'challenge',
  'provider_code',
  'expires_at',
  'used_at',
  'created_at',
]);

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

  it("inside a transaction runs as the transaction's own: savepoints and rollback undo it, a commit keeps it", async () => {
    expect(insert.sql).toBe(
      'insert into "challenges" ("challenge", "provider_code", "expires_at", "used_at", "created_at") values (?, ?, ?, ?, ?)',
    );
    const row = (challenge: string): ChallengesTable => ({
      challenge,
      provider_code: 'p',
      expires_at: '2099-01-01T00:00:00.000Z',
      used_at: null,
      created_at: 'x',
    });
    const select = "select challenge from challenges where challenge like 't-%' order by challenge";
    const trx = await store.db.startTransaction().execute();
    expect(await fastInsert(trx, insert, row('t-kept'))).toBe(1);
    await fastRun(trx, 'savepoint s', []);
    await fastInsert(trx, insert, row('t-undone'));
    expect(await fastAll(trx, select, [])).toEqual([{ challenge: 't-kept' }, { challenge: 't-undone' }]);
    await fastRun(trx, 'rollback to savepoint s', []);
    await fastRun(trx, 'release savepoint s', []);
    await trx.commit().execute();
    expect(await fastAll(store.db, select, [])).toEqual([{ challenge: 't-kept' }]);
    // An ended transaction is refused, as Kysely refuses it, rather than run outside it.
    await expect(fastInsert(trx, insert, row('t-late'))).rejects.toThrow(/committed/);
    expect(await fastAll(store.db, select, [])).toEqual([{ challenge: 't-kept' }]);

    const rolledBack = await store.db.startTransaction().execute();
    await fastInsert(rolledBack, insert, row('t-rolled-back'));
    await rolledBack.rollback().execute();
    expect(await fastAll(store.db, select, [])).toEqual([{ challenge: 't-kept' }]);
  });

  it("inserts many rows in order, in a transaction or not, beyond one statement's bound values", async () => {
    // 30,000 values to a statement: 6,000 rows of 5 columns, so 13,000 rows take three INSERTs.
    const rows = (prefix: string, n: number): ChallengesTable[] =>
      Array.from({ length: n }, (_, i) => ({
        challenge: `${prefix}-${String(i).padStart(5, '0')}`,
        provider_code: String(i % 7),
        expires_at: '2099-01-01T00:00:00.000Z',
        used_at: i % 2 === 0 ? null : 'used',
        created_at: 'x',
      }));
    const read = (prefix: string) =>
      fastAll<ChallengesTable>(
        store.db,
        'select challenge, provider_code, expires_at, used_at, created_at from challenges where challenge like ? order by challenge',
        [`${prefix}-%`],
      );
    await fastInsertMany(store.db, insert, rows('m', 13_000));
    expect(await read('m')).toEqual(rows('m', 13_000));
    await store.db.transaction().execute((trx) => fastInsertMany(trx, insert, rows('n', 13_000)));
    expect(await read('n')).toEqual(rows('n', 13_000));
    // A failing row undoes the whole call inside a transaction: the row 'n-00005' is taken.
    await expect(
      store.db.transaction().execute((trx) => fastInsertMany(trx, insert, [...rows('o', 3), ...rows('n', 6).slice(5)])),
    ).rejects.toThrow();
    expect(await read('o')).toEqual([]);
  });

  // PostgreSQL only (skipped on SQLite): named prepared statements are PostgreSQL's. On SQLite the same
  // statements are prepared once by better-sqlite3's cache, which the SQLite-only test below covers.
  it.runIf(kind === 'postgres')("sends a transaction's statements as named prepared statements", async () => {
    const select = 'select challenge from challenges where challenge = ? and provider_code = ?';
    const prepared = await store.db.transaction().execute(async (trx) => {
      expect(await fastAll(trx, select, ['c-1', 'p'])).toEqual([{ challenge: 'c-1' }]);
      expect(await fastAll(trx, select, ['c-1', 'q'])).toEqual([]);
      // The transaction's own connection: its prepared statements.
      return (
        await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx)
      ).rows;
    });
    const mine = prepared.filter(
      (p) => p.statement === 'select challenge from challenges where challenge = $1 and provider_code = $2',
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]?.name).toMatch(/^fast_[0-9a-f]{16}$/);
  });

  // SQLite only (skipped on PostgreSQL): the statement cache and its busy statements are better-sqlite3's.
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
