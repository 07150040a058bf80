import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Keyring, keyringFromSecret } from '../../src/security/keyring.js';
import { type Clock, fixedClock, type ServiceContext } from '../../src/services/context.js';
import { openStore, type Store } from '../../src/store/db.js';

/**
 * The stores every store/service test runs on: real SQLite always; real PostgreSQL when
 * SHIKAKU_TEST_DATABASE_URL points at a server (.ci/run starts a throwaway cluster). Each test file
 * gets a fresh database, so files never see each other's rows.
 */
export const STORE_KINDS: Array<'sqlite' | 'postgres'> = process.env.SHIKAKU_TEST_DATABASE_URL
  ? ['sqlite', 'postgres']
  : ['sqlite'];

export async function openTestStore(kind: 'sqlite' | 'postgres'): Promise<Store> {
  if (kind === 'sqlite') return openStore({ file: ':memory:' });
  const base = process.env.SHIKAKU_TEST_DATABASE_URL;
  if (!base) throw new Error('SHIKAKU_TEST_DATABASE_URL is not set');
  const name = `shikaku_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString() });
  return {
    ...store,
    close: async () => {
      await store.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

export const testKeyring: Keyring = keyringFromSecret(Buffer.alloc(32, 7));

export async function openTestContext(
  kind: 'sqlite' | 'postgres',
  clock: Clock = fixedClock('2025-11-21T01:00:00Z'),
): Promise<ServiceContext> {
  return { store: await openTestStore(kind), keyring: testKeyring, clock };
}
