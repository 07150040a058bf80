import { dirname, join } from 'node:path';
import { loadKeyring } from '../security/keyring.js';
import { type ServiceContext, systemClock } from '../services/context.js';
import { openStore } from '../store/db.js';

export interface StoreFlags {
  db?: string | undefined;
}

export const DEFAULT_DB_FILE = './data/shikaku.db';

/**
 * Opens the store named by `--db` or `DATABASE_URL` (PostgreSQL), and the keyring from
 * `SHIKAKU_KEY` or the key file beside the data (`SHIKAKU_DATA_DIR`, else the SQLite file's folder).
 */
export async function openRuntime(flags: StoreFlags, env: NodeJS.ProcessEnv = process.env): Promise<ServiceContext> {
  const databaseUrl = flags.db?.startsWith('postgres') ? flags.db : env.DATABASE_URL;
  const file = flags.db && !flags.db.startsWith('postgres') ? flags.db : DEFAULT_DB_FILE;
  const dataDir = env.SHIKAKU_DATA_DIR ?? (file === ':memory:' ? './data' : dirname(file));
  const keyring = loadKeyring(join(dataDir, 'shikaku.key'), env);
  const store = await openStore({ databaseUrl, file });
  return { store, keyring, clock: systemClock };
}
