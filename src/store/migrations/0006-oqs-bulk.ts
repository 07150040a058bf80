import type { Kysely, Migration } from 'kysely';

/**
 * 一括照会 (OQS bulk queries, issue #15): a provider's batch of up to 1,000 queries by 記号・番号 for
 * one day, queued here and answered in the background (src/services/oqs-bulk.ts). The request row
 * holds the queue state and the lease of the worker answering it; each answer is a row of
 * oqs_bulk_results written with the request's progress in one transaction, so a worker killed
 * half-way leaves whole batches, and the next claim goes on after `done`.
 */
export const oqsBulkMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('oqs_bulk_requests')
      .addColumn('reception_number', 'text', (c) => c.primaryKey())
      .addColumn('provider_code', 'text', (c) => c.notNull())
      .addColumn('token_id', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('arbitrary_file_identifier', 'text')
      .addColumn('character_code', 'text', (c) => c.notNull())
      .addColumn('items', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('done', 'integer', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_at', 'text')
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('oqs_bulk_requests_queue')
      .on('oqs_bulk_requests')
      .columns(['state', 'received_at'])
      .execute();
    await db.schema
      .createIndex('oqs_bulk_requests_provider')
      .on('oqs_bulk_requests')
      .columns(['provider_code', 'received_at'])
      .execute();
    await db.schema
      .createTable('oqs_bulk_results')
      .addColumn('reception_number', 'text', (c) => c.notNull().references('oqs_bulk_requests.reception_number'))
      .addColumn('item', 'integer', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('oqs_bulk_results_pk', ['reception_number', 'item'])
      .execute();
  },
};
