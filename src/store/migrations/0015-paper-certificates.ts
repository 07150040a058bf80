import type { Kysely, Migration } from 'kysely';

/**
 * 基準収入額適用 on the members row (issue #16 point 1): the approval day is a fact of the insured that
 * notifications do not carry, so it is kept beside the latest state and every later version keeps it
 * (`factsOfRow`). The notification writers leave the column alone.
 */
export const paperCertificatesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('members').addColumn('standard_income_approved_on', 'text').execute();
  },
};
