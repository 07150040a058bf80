/**
 * The import's write floor (bench/import-floor.ts) writes exactly what the import wrote: the same
 * rows in every table, and an audit chain that still verifies, so the ceiling it measures is the
 * cost of these very rows.
 */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MAIN_INSURER } from '../../bench/generate.js';
import { importCsvText, importStore } from '../../bench/import.js';
import { replayImportWrites } from '../../bench/import-floor.js';
import { verifyAuditChain } from '../../src/services/audit.js';
import { importCsv } from '../../src/services/csv-import.js';
import type { Store } from '../../src/store/db.js';
import { STORE_KINDS, testStoreTargets } from '../support/stores.js';

const stores = testStoreTargets('shikaku_floor');
const target = stores.target;
afterAll(() => stores.remove());

const TABLES = ['members', 'member_versions', 'notifications', 'notices', 'audit_log'] as const;
const ORDER: Record<(typeof TABLES)[number], string> = {
  members: 'id',
  member_versions: 'member_id, version',
  notifications: 'id',
  notices: 'id',
  audit_log: 'seq',
};

async function rows(store: Store, table: (typeof TABLES)[number]): Promise<unknown[]> {
  return (await sql.raw(`select * from ${table} order by ${ORDER[table]}`).execute(store.db)).rows;
}

describe.each(STORE_KINDS)('the import write floor on %s', (kind) => {
  it('writes again exactly the rows the import wrote, chain included', async () => {
    const { csv, residents } = importCsvText(300, 'floor-test');
    const imported = await importStore(await target(kind, 'imported'), 'floor-test', residents);
    const floor = await importStore(await target(kind, 'floor'), 'floor-test', residents);
    try {
      const report = await importCsv(imported.ctx, csv, { insurerNumber: MAIN_INSURER });
      expect(report.rejected).toBe(0);
      const figures = await replayImportWrites(imported.store, floor.store);
      expect(figures.notifications).toBe(report.written);
      expect(figures.rowsPerSecond).toBeGreaterThan(0);
      for (const table of TABLES) {
        const expected = await rows(imported.store, table);
        expect(expected.length).toBeGreaterThan(0);
        expect(await rows(floor.store, table), table).toEqual(expected);
      }
      expect(await verifyAuditChain(floor.store.db)).toMatchObject({ ok: true });
    } finally {
      await imported.store.close();
      await floor.store.close();
    }
  }, 120_000);
});
