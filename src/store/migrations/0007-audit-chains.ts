import { type Kysely, type Migration, sql } from 'kysely';
import { dialectOf } from '../fast.js';

/**
 * Audit chains per association (issue #20, src/services/audit.ts): no row that every writer locks.
 * - `audit_chains` holds each chain's head. The records written so far (one global chain) stay as
 *   they are, a closed chain named `legacy` whose head is the old audit_head row: they verify as
 *   before, and no record is rewritten.
 * - audit_log gains `chain` and `prev_seq` (null on the legacy records).
 * - audit_head becomes a view of the log's last record (the health check and the record gauge read
 *   it); nothing writes it any more.
 * - PostgreSQL: `audit_log_seq` hands out seqs without a lock, after the legacy records.
 */
export const auditChainsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('audit_chains')
      .addColumn('chain', 'text', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`insert into audit_chains (chain, seq, hash)
      select 'legacy', seq, hash from audit_head where id = 1 and seq > 0`.execute(db);
    await db.schema.alterTable('audit_log').addColumn('chain', 'text').execute();
    await db.schema.alterTable('audit_log').addColumn('prev_seq', 'integer').execute();
    await db.schema.dropTable('audit_head').execute();
    await sql`create view audit_head as
      select 1 as id, seq, hash from audit_log where seq = (select max(seq) from audit_log)`.execute(db);
    if (dialectOf(db) === 'postgres') {
      await sql`create sequence audit_log_seq`.execute(db);
      await sql`select setval('audit_log_seq', coalesce(max(seq), 0) + 1, false) from audit_log`.execute(db);
    }
  },
};
