import type { Kysely, Migration } from 'kysely';

/** The core registry, hub, card stand-in, auth and audit tables (issue #2). */
export const coreMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('insurers')
      .addColumn('insurer_number', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('certificate_policy', 'text', (c) => c.notNull())
      .addColumn('reissue_fee_yen', 'integer', (c) => c.notNull())
      .addColumn('new_member_certificate', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('members')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('insurer_number', 'text', (c) => c.notNull().references('insurers.insurer_number'))
      .addColumn('symbol', 'text', (c) => c.notNull())
      .addColumn('number', 'text', (c) => c.notNull())
      .addColumn('branch', 'text', (c) => c.notNull())
      .addColumn('relationship', 'text', (c) => c.notNull())
      .addColumn('insured_member_id', 'text')
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_kana', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('my_number_enc', 'text')
      .addColumn('my_number_index', 'text')
      .addColumn('my_number_last4', 'text')
      .addColumn('acquired_on', 'text', (c) => c.notNull())
      .addColumn('lost_on', 'text')
      .addColumn('standard_monthly_remuneration', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('recorded_on', 'text', (c) => c.notNull())
      .addColumn('hub_available_on', 'text', (c) => c.notNull())
      .addColumn('hub_status', 'text', (c) => c.notNull())
      .addColumn('hub_mismatch_fields', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('members_identity', ['insurer_number', 'symbol', 'number', 'branch'])
      .execute();
    await db.schema.createIndex('members_my_number_index').on('members').column('my_number_index').execute();
    await db.schema.createIndex('members_insured').on('members').column('insured_member_id').execute();
    await db.schema.createIndex('members_kana').on('members').columns(['insurer_number', 'name_kana']).execute();

    await db.schema
      .createTable('member_versions')
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('notification_id', 'text')
      .addColumn('recorded_on', 'text', (c) => c.notNull())
      .addColumn('hub_available_on', 'text', (c) => c.notNull())
      .addColumn('hub_status', 'text', (c) => c.notNull())
      .addColumn('hub_mismatch_fields', 'text', (c) => c.notNull())
      .addColumn('facts', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('member_versions_pk', ['member_id', 'version'])
      .execute();

    await db.schema
      .createTable('notifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('idempotency_key', 'text', (c) => c.unique())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('recorded_on', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notifications_member').on('notifications').column('member_id').execute();

    await db.schema
      .createTable('residents')
      .addColumn('my_number_index', 'text', (c) => c.primaryKey())
      .addColumn('my_number_enc', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_kana', 'text', (c) => c.notNull())
      .addColumn('birth_date', 'text', (c) => c.notNull())
      .addColumn('sex', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('legacy_cards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('legacy_cards_member').on('legacy_cards').column('member_id').execute();

    await db.schema
      .createTable('ca')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('certificate_pem', 'text', (c) => c.notNull())
      .addColumn('private_key_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cards')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('my_number_index', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('expires_on', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('ended_on', 'text')
      .addColumn('pin_hash', 'text', (c) => c.notNull())
      .addColumn('pin_failures', 'integer', (c) => c.notNull())
      .addColumn('pin_locked', 'integer', (c) => c.notNull())
      .addColumn('private_key_enc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cards_person').on('cards').column('my_number_index').execute();

    await db.schema
      .createTable('card_certificates')
      .addColumn('serial', 'text', (c) => c.primaryKey())
      .addColumn('card_id', 'text', (c) => c.notNull().references('cards.id'))
      .addColumn('certificate_pem', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull().unique())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('expires_on', 'text', (c) => c.notNull())
      .addColumn('revoked_on', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('card_certificates_card').on('card_certificates').column('card_id').execute();

    await db.schema
      .createTable('card_registrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('my_number_index', 'text', (c) => c.notNull())
      .addColumn('card_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('recorded_on', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('card_registrations_person')
      .on('card_registrations')
      .column('my_number_index')
      .execute();

    await db.schema
      .createTable('challenges')
      .addColumn('challenge', 'text', (c) => c.primaryKey())
      .addColumn('provider_code', 'text')
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('insurer_number', 'text')
      .addColumn('employer_symbol', 'text')
      .addColumn('provider_code', 'text')
      .addColumn('member_id', 'text')
      .addColumn('label', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('verifications')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('provider_code', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('as_of', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text')
      .addColumn('insurer_number', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('verifications_member').on('verifications').column('member_id').execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('insurer_number', 'text')
      .addColumn('member_id', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_member').on('audit_log').column('member_id').execute();

    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db
      .insertInto('audit_head' as never)
      .values({ id: 1, seq: 0, hash: '0'.repeat(64) } as never)
      .execute();
  },
};
