import type { Kysely, Migration } from 'kysely';

/**
 * Large notification batches run as jobs (issue #19 §1): the job and each of its rows, so a
 * restarted server resumes where the last committed chunk ended. A row's input is kept encrypted
 * (it may carry a My Number) and erased once its outcome is recorded.
 */
export const notificationJobsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('notification_jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('insurer_number', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('processed', 'integer', (c) => c.notNull())
      .addColumn('accepted', 'integer', (c) => c.notNull())
      .addColumn('rejected', 'integer', (c) => c.notNull())
      .addColumn('lease_until', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('notification_jobs_status').on('notification_jobs').columns(['status']).execute();
    await db.schema
      .createTable('notification_job_rows')
      .addColumn('job_id', 'text', (c) => c.notNull().references('notification_jobs.id'))
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('input_enc', 'text')
      .addColumn('outcome', 'text')
      .addPrimaryKeyConstraint('notification_job_rows_pk', ['job_id', 'line'])
      .execute();
  },
};
