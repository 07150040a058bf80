import type { Kysely, Migration } from 'kysely';

/**
 * The public key of each user certificate on record, as JWK (issue #7, docs/PERFORMANCE.md): a
 * presented certificate found by the SHA-256 of its DER is then verified with this key, without
 * parsing the certificate again (135 µs) or checking it against the CA (60 µs): only certificates our
 * CA issued are on record. Rows from before this migration keep NULL and take the parsing path.
 */
export const certificateKeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('card_certificates').addColumn('public_key_jwk', 'text').execute();
  },
};
