import type { Kysely, Migration } from 'kysely';

/**
 * 資格確認書, 資格情報のお知らせ, applications and the ex-officio issuance runs (issue #3).
 * Resumability lives in the schema: a run's members are written with its certificates in one
 * transaction per batch, keyed (run_id, member_id), so a resumed run cannot issue a member twice.
 */
export const documentsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('issuance_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('insurer_number', 'text', (c) => c.notNull().references('insurers.insurer_number'))
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('last_member_id', 'text')
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema
      .createIndex('issuance_runs_insurer')
      .on('issuance_runs')
      .columns(['insurer_number', 'as_of', 'state'])
      .execute();

    await db.schema
      .createTable('eligibility_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('fee_yen', 'integer', (c) => c.notNull())
      .addColumn('supersedes_id', 'text')
      .addColumn('collected_on', 'text')
      .addColumn('collection_reason', 'text')
      .addColumn('collection_recorded_on', 'text')
      .addColumn('reported_lost_on', 'text')
      .addColumn('run_id', 'text', (c) => c.references('issuance_runs.id'))
      .addColumn('application_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('eligibility_certificates_run_member', ['run_id', 'member_id'])
      .execute();
    await db.schema
      .createIndex('eligibility_certificates_member')
      .on('eligibility_certificates')
      .columns(['member_id', 'issued_on'])
      .execute();
    await db.schema
      .createIndex('eligibility_certificates_insurer')
      .on('eligibility_certificates')
      .columns(['insurer_number', 'issued_on'])
      .execute();

    await db.schema
      .createTable('issuance_run_members')
      .addColumn('run_id', 'text', (c) => c.notNull().references('issuance_runs.id'))
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('certificate_id', 'text')
      .addPrimaryKeyConstraint('issuance_run_members_pk', ['run_id', 'member_id'])
      .execute();

    await db.schema
      .createTable('notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('contents', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notices_member').on('notices').columns(['member_id', 'issued_on']).execute();
    await db.schema.createIndex('notices_insurer').on('notices').columns(['insurer_number', 'issued_on']).execute();

    await db.schema
      .createTable('applications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('received_on', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('decided_on', 'text')
      .addColumn('refusal_code', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('applications_member').on('applications').columns(['member_id', 'state']).execute();
  },
};
