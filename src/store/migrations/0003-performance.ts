import type { Kysely, Migration } from 'kysely';

/**
 * Indexes the bench showed missing (issue #7, docs/PERFORMANCE.md). SQLite is run without ANALYZE
 * (toolchain.md §2), so between two indexes matching one equality each it may pick the wrong one:
 * - `members_person` (my_number_index, insurer_number) replaces members_my_number_index. "An active
 *   member of this association with this My Number" (every acquisition) used members_kana on
 *   insurer_number alone and scanned the whole association: O(members) per notification.
 * - `members_insurer_id` (insurer_number, id): the ex-officio run pages through an association in id
 *   order; without it every page scanned and sorted the association.
 */
export const performanceMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('members_person')
      .on('members')
      .columns(['my_number_index', 'insurer_number'])
      .execute();
    await db.schema.dropIndex('members_my_number_index').execute();
    await db.schema.createIndex('members_insurer_id').on('members').columns(['insurer_number', 'id']).execute();
  },
};
