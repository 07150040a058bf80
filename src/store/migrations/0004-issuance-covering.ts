import type { Kysely, Migration } from 'kysely';

/**
 * Covering indexes for the ex-officio decision (issue #7, docs/PERFORMANCE.md): the run reads every
 * member of an association and their legacy cards, and with these both reads are answered from the
 * index alone instead of one random table access per row.
 * - `members_issuance` (insurer_number, id, acquired_on, lost_on, birth_date, my_number_index): the
 *   columns the decision needs, in the run's paging order. It replaces members_insurer_id (its prefix).
 * - `legacy_cards_member_issued` (member_id, issued_on) replaces legacy_cards_member.
 * - `members_person` gains (lost_on, id). SQLite runs without ANALYZE (0003), so a covering index wins
 *   over a narrower one: without them, "an active member of this association with this My Number"
 *   (every acquisition) would scan the whole association in members_issuance.
 */
export const issuanceCoveringMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('members_issuance')
      .on('members')
      .columns(['insurer_number', 'id', 'acquired_on', 'lost_on', 'birth_date', 'my_number_index'])
      .execute();
    await db.schema.dropIndex('members_insurer_id').execute();
    await db.schema.dropIndex('members_person').execute();
    await db.schema
      .createIndex('members_person')
      .on('members')
      .columns(['my_number_index', 'insurer_number', 'lost_on', 'id'])
      .execute();
    await db.schema
      .createIndex('legacy_cards_member_issued')
      .on('legacy_cards')
      .columns(['member_id', 'issued_on'])
      .execute();
    await db.schema.dropIndex('legacy_cards_member').execute();
  },
};
