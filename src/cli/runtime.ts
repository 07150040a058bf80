import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadKeyringSource } from '../security/keyring.js';
import { type ServiceContext, systemClock } from '../services/context.js';
import { assertKeyringOpensStore } from '../services/key-rotation.js';
import { openStore } from '../store/db.js';

export interface StoreFlags {
  db?: string | undefined;
}

export const DEFAULT_DB_FILE = './data/shikaku.db';

/** Where the store and the key file are, from `--db`, `DATABASE_URL` and `SHIKAKU_DATA_DIR`. */
export function resolveLocations(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env) {
  // An explicit --db wins over DATABASE_URL (a SQLite file named on the command line is meant).
  const databaseUrl = flags.db
    ? flags.db.startsWith('postgres')
      ? flags.db
      : undefined
    : env.DATABASE_URL || undefined;
  const file = flags.db && !flags.db.startsWith('postgres') ? flags.db : DEFAULT_DB_FILE;
  const dataDir = env.SHIKAKU_DATA_DIR ?? (file === ':memory:' ? './data' : dirname(file));
  return { databaseUrl, file, keyFile: join(dataDir, 'shikaku.key') };
}

/**
 * Opens the store named by `--db` or `DATABASE_URL` (PostgreSQL), and the keyring from
 * `SHIKAKU_KEY`, `SHIKAKU_KEY_FILE` or the key file beside the data (`SHIKAKU_DATA_DIR`, else the
 * SQLite file's folder).
 */
export async function openRuntime(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): Promise<ServiceContext> {
  const { databaseUrl, file, keyFile } = resolveLocations(flags, env);
  const source = loadKeyringSource(keyFile, env);
  const store = await openStore({ databaseUrl, file });
  try {
    await assertKeyringOpensStore(store, source.keyring);
  } catch (error) {
    await store.close();
    // A key file made just now for a store that has data is useless: do not leave it behind.
    if (source.created && source.file) rmSync(source.file, { force: true });
    throw error;
  }
  return { store, keyring: source.keyring, clock: systemClock };
}
