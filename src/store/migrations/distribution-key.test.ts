import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dropTestDatabase, STORE_KINDS } from '../../../test/support/stores.js';
import { openStore, type Store } from '../db.js';
import { MIGRATIONS } from './index.js';

/** Rows as 0012 left them, one per child table, their association only on the parent. */
const BEFORE = [
  `insert into insurers (insurer_number, name, certificate_policy, reissue_fee_yen, new_member_certificate, created_at)
   values ('06139992', 'A', '{}', 0, 'ex_officio', 't'), ('06139984', 'B', '{}', 0, 'ex_officio', 't')`,
  `insert into members (id, insurer_number, symbol, number, branch, relationship, name, name_kana, birth_date, sex,
     acquired_on, version, recorded_on, hub_available_on, hub_status, hub_mismatch_fields, created_at)
   values ('m1', '06139992', '1', '1', '00', 'insured', 'n', 'k', '1980-01-01', 'male', '2024-04-01', 1, '2024-04-01', '2024-04-02', 'registered', '[]', 't'),
          ('m2', '06139984', '1', '1', '00', 'insured', 'n', 'k', '1980-01-01', 'male', '2024-04-01', 1, '2024-04-01', '2024-04-02', 'registered', '[]', 't')`,
  `insert into member_versions (member_id, version, recorded_on, hub_available_on, hub_status, hub_mismatch_fields, facts, created_at)
   values ('m1', 1, '2024-04-01', '2024-04-02', 'registered', '[]', '{}', 't'), ('m2', 1, '2024-04-01', '2024-04-02', 'registered', '[]', '{}', 't')`,
  `insert into legacy_cards (id, member_id, issued_on, created_at) values ('l2', 'm2', '2024-04-01', 't')`,
  `insert into issuance_runs (id, insurer_number, as_of, state, total, started_at) values ('r1', '06139992', '2024-12-02', 'finished', 1, 't')`,
  `insert into issuance_run_members (run_id, member_id, outcome, reason) values ('r1', 'm1', 'skipped', 'x')`,
  `insert into notices (id, member_id, insurer_number, issued_on, reason, contents, created_at)
   values ('n2', 'm2', '06139984', '2024-12-02', 'initial', '{}', 't')`,
  `insert into notice_dedupe_keys (dedupe_key, notice_id, created_at) values ('k2', 'n2', 't')`,
];

describe.each(STORE_KINDS)('0013-distribution-key on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    let target: { file?: string; databaseUrl?: string };
    let db: Kysely<unknown>;
    if (kind === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'shikaku-0013-'));
      const file = join(dir, 'store.db');
      db = new Kysely({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
      target = { file };
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
    } else {
      const { url, name } = await createTestDatabase('shikaku_0013');
      db = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
      target = { databaseUrl: url };
      cleanup = () => dropTestDatabase(name);
    }
    const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
    const { error } = await migrator.migrateTo('0012-challenge-expiry');
    if (error) throw error;
    for (const statement of BEFORE) await sql.raw(statement).execute(db);
    await db.destroy();
    store = await openStore(target);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('backfills insurer_number from the parent row', async () => {
    const of = async (table: 'member_versions' | 'legacy_cards' | 'issuance_run_members' | 'notice_dedupe_keys') =>
      (
        await sql.raw<{ insurer_number: string }>(`select insurer_number from ${table} order by 1`).execute(store.db)
      ).rows.map((r) => r.insurer_number);
    expect(await of('member_versions')).toEqual(['06139984', '06139992']);
    expect(await of('legacy_cards')).toEqual(['06139984']);
    expect(await of('issuance_run_members')).toEqual(['06139992']);
    expect(await of('notice_dedupe_keys')).toEqual(['06139984']);
  });

  it.runIf(kind === 'postgres')('refuses a row without it on PostgreSQL (no default to fall back on)', async () => {
    await expect(
      sql
        .raw(`insert into legacy_cards (id, member_id, issued_on, created_at) values ('l3', 'm1', '2024-04-01', 't')`)
        .execute(store.db),
    ).rejects.toThrow(/insurer_number/);
  });
});
