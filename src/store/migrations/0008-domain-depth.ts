import type { Kysely, Migration } from 'kysely';

/**
 * Domain depth (issue #16): the facts the new domain rules read.
 * - insurers: the legacy-card transition policy as dated periods (JSON of
 *   domain/transition-policy.ts; NULL = the default), and whether 適用区分・特定疾病区分 go on separate
 *   paper or on the 資格確認書 (domain/paper-certificates.ts).
 * - legacy_cards: the card's life — printed 有効期限, 滅失・き損届, 回収, 自己廃棄 (domain/legacy-card.ts).
 * - notifications: the "資格確認書の交付希望" box of 資格取得届 / 被扶養者異動届 (0/1).
 * - notice_dedupe_keys: the dedupe key of `noticeDue` (primary key) with the お知らせ issued for it,
 *   so runs issue a due お知らせ once.
 * - verifications: the reader used (faceReader / genericReader), NULL when not told.
 * - paper_certificates: 高齢受給者証, 限度額適用(・標準負担額減額)認定証, 特定疾病療養受療証 issued.
 * Rows from before keep NULL / the defaults, which give the behaviour before this migration.
 */
export const domainDepthMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('insurers').addColumn('transition_policy', 'text').execute();
    await db.schema
      .alterTable('insurers')
      .addColumn('category_print_policy', 'text', (c) => c.notNull().defaultTo('separate_documents'))
      .execute();

    for (const column of ['expires_on', 'reported_lost_on', 'returned_on', 'disposed_on']) {
      await db.schema.alterTable('legacy_cards').addColumn(column, 'text').execute();
    }

    await db.schema
      .alterTable('notifications')
      .addColumn('certificate_requested', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('notice_dedupe_keys')
      .addColumn('dedupe_key', 'text', (c) => c.primaryKey())
      .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.alterTable('verifications').addColumn('reader', 'text').execute();

    await db.schema
      .createTable('paper_certificates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
      .addColumn('insurer_number', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('issued_on', 'text', (c) => c.notNull())
      .addColumn('valid_from', 'text', (c) => c.notNull())
      .addColumn('valid_until', 'text', (c) => c.notNull())
      .addColumn('contents', 'text', (c) => c.notNull())
      .addColumn('application_id', 'text')
      .addColumn('collected_on', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('paper_certificates_member')
      .on('paper_certificates')
      .columns(['member_id', 'kind', 'issued_on'])
      .execute();
  },
};
