import type { Kysely, Migration } from 'kysely';

/**
 * Probing a person by 記号・番号 (issue #19 §5): the misses of each provider on each person (保険者番号・
 * 記号・番号) within the current window, the lock they engage, and the locks for the association to see.
 * One row per provider and person in `verification_misses`, updated in place; one row per lock in
 * `verification_locks` (the alert).
 */
export const verificationMissesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('verification_misses')
      .addColumn('provider_code', 'text', (c) => c.notNull())
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('symbol', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('misses', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addPrimaryKeyConstraint('verification_misses_pk', ['provider_code', 'insurer_number', 'symbol', 'number'])
      .execute();
    // The locks in force are read by their end (src/services/verification/probing.ts).
    await db.schema
      .createIndex('verification_misses_locked')
      .on('verification_misses')
      .column('locked_until')
      .execute();

    await db.schema
      .createTable('verification_locks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider_code', 'text', (c) => c.notNull())
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('symbol', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('misses', 'integer', (c) => c.notNull())
      .addColumn('locked_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('verification_locks_insurer')
      .on('verification_locks')
      .columns(['insurer_number', 'locked_at'])
      .execute();
  },
};
