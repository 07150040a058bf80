import type { Migration } from 'kysely';
import { coreMigration } from './0001-core.js';

/**
 * Migrations bundled in code, applied in name order on start. Append new ones; never edit one that
 * has shipped.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-core': coreMigration,
};
