import type { Kysely, Migration } from 'kysely';

/**
 * Challenges read by their expiry (issue #19 §6): issuing a portal challenge purges the stale ones and
 * counts the open ones against a cap (src/services/portal-session.ts), both by `expires_at`, so neither
 * walks the whole table.
 */
export const challengeExpiryMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('challenges_expires_at').on('challenges').column('expires_at').execute();
  },
};
