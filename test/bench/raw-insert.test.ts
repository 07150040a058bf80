/**
 * The engine's raw bulk insert (bench/raw-insert.ts) writes the very rows the import wrote, members
 * re-keyed in order and every reference with them, so the floor it measures is the cost of these rows.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN_INSURER } from '../../bench/generate.js';
import { importCsvText, importStore } from '../../bench/import.js';
import { importedRows, orderedId, rawBulkInsert } from '../../bench/raw-insert.js';
import { verifyAuditChain } from '../../src/services/audit.js';
import { importCsv } from '../../src/services/csv-import.js';
import type { Store } from '../../src/store/db.js';
import { STORE_KINDS, testStoreTargets } from '../support/stores.js';

const stores = testStoreTargets('shikaku_raw');
afterAll(() => stores.remove());

async function count(store: Store, table: string): Promise<number> {
  const { rows } = await sql.raw<{ n: number | string }>(`select count(*) as n from ${table}`).execute(store.db);
  return Number(rows[0]?.n);
}

describe('orderedId', () => {
  it('sorts in the order it was given', () => {
    const ids = Array.from({ length: 1000 }, (_, n) => orderedId(1_700_000_000_000, n));
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe.each(STORE_KINDS)('the raw bulk insert on %s', (kind) => {
  it('writes every row the import wrote, members re-keyed in order, the chain intact', async () => {
    const { csv, residents } = importCsvText(300, 'raw-test');
    const imported = await importStore(await stores.target(kind, 'imported'), 'raw-test', residents);
    const raw = await importStore(await stores.target(kind, 'raw'), 'raw-test', residents);
    try {
      const report = await importCsv(imported.ctx, csv, { insurerNumber: MAIN_INSURER });
      expect(report.rejected).toBe(0);
      const tables = await importedRows(imported.store, 1);
      const figures = await rawBulkInsert(tables, raw.store);
      expect(figures.notifications).toBe(report.written);
      for (const table of ['members', 'member_versions', 'notifications', 'notices', 'audit_log', 'audit_chains']) {
        expect(await count(raw.store, table), table).toBe(await count(imported.store, table));
      }
      // The same members under new keys: every version, notification and お知らせ follows its member.
      const orphans = await sql<{ n: number | string }>`select count(*) as n from notifications n
        left join members m on m.id = n.member_id where m.id is null`.execute(raw.store.db);
      expect(Number(orphans.rows[0]?.n)).toBe(0);
      const ids = (await raw.store.db.selectFrom('members').select('id').orderBy('created_at').execute()).map(
        (m) => m.id,
      );
      expect(ids.every((id) => id.charAt(14) === '7')).toBe(true);
      expect(await verifyAuditChain(raw.store.db)).toMatchObject({ ok: true });
    } finally {
      await imported.store.close();
      await raw.store.close();
    }
  }, 120_000);
});
