import { type Kysely, type Migration, sql } from 'kysely';

/**
 * The ex-officio decision reads a page of an association's members in id order, then what each
 * member holds (issue #20, docs/PERFORMANCE.md). With these indexes each of those reads is one range
 * of one index, `insurer_number = ? and member_id between` the page's first and last id, answered
 * from the index alone, instead of one B-tree descent and one table access per member:
 * - `members_issuance` gains `insured_member_id`: a dependent's insured without a second read of it;
 * - `eligibility_certificates_issuance` and `legacy_cards_issuance`: the columns the decision reads;
 * - `notifications_certificate_requested`: the few acquisitions that asked for a 資格確認書 (partial).
 */
export const issuanceRangesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('members_issuance').execute();
    await db.schema
      .createIndex('members_issuance')
      .on('members')
      .columns(['insurer_number', 'id', 'acquired_on', 'lost_on', 'birth_date', 'my_number_index', 'insured_member_id'])
      .execute();
    await db.schema
      .createIndex('eligibility_certificates_issuance')
      .on('eligibility_certificates')
      .columns([
        'insurer_number',
        'member_id',
        'issued_on',
        'created_at',
        'id',
        'valid_until',
        'collected_on',
        'reported_lost_on',
      ])
      .execute();
    await db.schema
      .createIndex('legacy_cards_issuance')
      .on('legacy_cards')
      .columns([
        'insurer_number',
        'member_id',
        'issued_on',
        'expires_on',
        'reported_lost_on',
        'returned_on',
        'disposed_on',
      ])
      .execute();
    await sql`create index notifications_certificate_requested on notifications (insurer_number, member_id)
      where certificate_requested = 1 and kind in ('acquisition', 'dependent_add')`.execute(db);
  },
};
