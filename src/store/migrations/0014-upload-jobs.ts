import type { Kysely, Migration } from 'kysely';

/**
 * A long CSV upload runs as a notification job too (issue #19 §1): the job knows its source, so its
 * rows are recorded as CSV rows, and keeps the file's header (column labels only, no personal data)
 * so its report names the columns a row error points at, as the synchronous upload does. A CSV
 * job's row `line` is the physical line of the file.
 */
export const uploadJobsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    // One column per statement: SQLite adds one at a time.
    await db.schema
      .alterTable('notification_jobs')
      .addColumn('source', 'text', (c) => c.notNull().defaultTo('batch'))
      .execute();
    await db.schema.alterTable('notification_jobs').addColumn('csv_header', 'text').execute();
  },
};
