import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS } from '../../test/support/stores.js';
import { CITUS_PLACEMENT, citusConstraintDdl, citusDdl } from './citus.js';
import type { Store } from './db.js';

const distributed = Object.entries(CITUS_PLACEMENT).flatMap(([table, p]) =>
  p.kind === 'distributed' ? [{ table, column: p.column }] : [],
);

describe.each(STORE_KINDS)('the Citus placement against the %s schema', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.close();
  });

  it('places every table and view of the migrated schema exactly once', async () => {
    const live = await store.db.introspection.getTables();
    expect(live.map((t) => t.name).sort()).toEqual(Object.keys(CITUS_PLACEMENT).sort());
    for (const t of live)
      expect(CITUS_PLACEMENT[t.name as keyof typeof CITUS_PLACEMENT].kind === 'view').toBe(t.isView);
  });

  it('gives every distributed table its distribution column (never null on PostgreSQL)', async () => {
    const live = await store.db.introspection.getTables();
    for (const { table, column } of distributed) {
      const found = live.find((t) => t.name === table)?.columns.find((c) => c.name === column);
      expect({ table, column, found: found !== undefined }).toEqual({ table, column, found: true });
      // SQLite lets a text primary key hold NULL and reports it nullable; Citus runs on PostgreSQL.
      if (kind === 'postgres')
        expect({ table, column, nullable: found?.isNullable }).toEqual({ table, column, nullable: false });
    }
  });

  it.runIf(kind === 'postgres')(
    'after the constraint DDL, every unique index and foreign key of a distributed table holds its column',
    async () => {
      for (const statement of citusConstraintDdl()) await sql.raw(statement).execute(store.db);
      const uniques = await sql<{ table: string; index: string; columns: string[] }>`
        select t.relname as "table", i.relname as "index",
          array(select a.attname::text from unnest(x.indkey) k join pg_attribute a on a.attrelid = t.oid and a.attnum = k) as columns
        from pg_index x join pg_class t on t.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
        join pg_namespace n on n.oid = t.relnamespace
        where x.indisunique and n.nspname = current_schema()`.execute(store.db);
      const keys = await sql<{ table: string; parent: string; columns: string[]; parentColumns: string[] }>`
        select t.relname as "table", p.relname as parent,
          array(select a.attname::text from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as columns,
          array(select a.attname::text from unnest(c.confkey) k join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k) as "parentColumns"
        from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class p on p.oid = c.confrelid
        join pg_namespace n on n.oid = t.relnamespace
        where c.contype = 'f' and n.nspname = current_schema()`.execute(store.db);
      let checked = 0;
      for (const { table, column } of distributed) {
        for (const u of uniques.rows.filter((r) => r.table === table)) {
          expect({ index: u.index, has: u.columns.includes(column) }).toEqual({ index: u.index, has: true });
          checked++;
        }
        for (const k of keys.rows.filter((r) => r.table === table)) {
          const parent = CITUS_PLACEMENT[k.parent as keyof typeof CITUS_PLACEMENT];
          // To a reference table any key will do; a local table cannot be referenced at all.
          expect({ table, parent: k.parent, kind: parent.kind }).not.toEqual({
            table,
            parent: k.parent,
            kind: 'local',
          });
          if (parent.kind === 'distributed') {
            expect({
              table,
              parent: k.parent,
              columns: k.columns.includes(column),
              parentColumns: k.parentColumns.includes(parent.column),
            }).toEqual({ table, parent: k.parent, columns: true, parentColumns: true });
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(distributed.length);
    },
  );
});

describe('the Citus DDL', () => {
  it('runs the constraints first, reference tables before distributed ones, each leader before its followers', () => {
    const ddl = citusDdl();
    const at = (table: string) => ddl.findIndex((s) => s.includes(`('${table}'`));
    for (const [table, p] of Object.entries(CITUS_PLACEMENT)) {
      if (p.kind === 'view') expect(at(table)).toBe(-1);
      else expect(at(table)).toBeGreaterThan(ddl.indexOf(citusConstraintDdl().at(-1) ?? ''));
      if (p.kind === 'local') expect(ddl).toContain(`SELECT citus_add_local_table_to_metadata('${table}');`);
      if (p.kind === 'distributed' && p.colocateWith) expect(at(table)).toBeGreaterThan(at(p.colocateWith));
      if (p.kind === 'distributed') expect(at(table)).toBeGreaterThan(at('insurers'));
    }
  });

  it('is quoted in docs/SCALING.md as it is', () => {
    const doc = readFileSync(new URL('../../docs/SCALING.md', import.meta.url), 'utf8');
    expect(doc).toContain(['```sql', ...citusDdl(), '```'].join('\n'));
  });
});
