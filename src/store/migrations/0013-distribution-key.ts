import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../fast.js';

/**
 * Every growing table of an association carries `insurer_number`, the distribution key on Citus
 * (docs/SCALING.md, src/store/citus.ts): these four hung off a parent row only. Backfilled from the
 * parent with a correlated subquery (the same SQL on SQLite and PostgreSQL). The column is added
 * NOT NULL with a '' default because SQLite cannot add a NOT NULL column without one; PostgreSQL
 * then drops the default, so a writer that forgets the key fails instead of landing on a wrong shard.
 */
const CHILDREN: ReadonlyArray<{ table: string; parent: string; parentKey: string; childKey: string }> = [
  { table: 'member_versions', parent: 'members', parentKey: 'id', childKey: 'member_id' },
  { table: 'legacy_cards', parent: 'members', parentKey: 'id', childKey: 'member_id' },
  { table: 'issuance_run_members', parent: 'issuance_runs', parentKey: 'id', childKey: 'run_id' },
  { table: 'notice_dedupe_keys', parent: 'notices', parentKey: 'id', childKey: 'notice_id' },
];

export const distributionKeyMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const postgres = dialectOf(db) === 'postgres';
    for (const { table, parent, parentKey, childKey } of CHILDREN) {
      await db.schema
        .alterTable(table)
        .addColumn('insurer_number', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`update ${sql.table(table)} set insurer_number = (
          select p.insurer_number from ${sql.table(parent)} p where p.${sql.ref(parentKey)} = ${sql.table(table)}.${sql.ref(childKey)}
        )`.execute(db);
      if (postgres) await sql`alter table ${sql.table(table)} alter column insurer_number drop default`.execute(db);
    }
  },
};
