import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A fresh database on the SHIKAKU_TEST_DATABASE_URL server: its URL and name (`dropTestDatabase`). */
export async function createTestDatabase(prefix: string): Promise<{ url: string; name: string }> {
  const base = process.env.SHIKAKU_TEST_DATABASE_URL;
  if (!base) throw new Error('SHIKAKU_TEST_DATABASE_URL is not set');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

/**
 * Drops a database of `createTestDatabase`. A closed pool has sent its connections' Terminate but
 * their backends may not have gone yet: forcing the drop then would hand a client that is closing
 * a FATAL it has no listener for (an uncaught error in the test file). So wait for them (a few
 * seconds at most), and force only what is left after that.
 */
export async function dropTestDatabase(name: string): Promise<void> {
  const dropper = new pg.Client({ connectionString: process.env.SHIKAKU_TEST_DATABASE_URL });
  await dropper.connect();
  try {
    for (let i = 0; i < 50; i++) {
      const { rows } = await dropper.query<{ n: string }>(
        'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (Number(rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await dropper.end();
  }
}

/**
 * Places for stores a test opens itself (a file or a database URL for `openStore`): SQLite files in
 * a temporary folder, or fresh databases on the test server; `remove` deletes them all.
 */
export function testStoreTargets(prefix: string): {
  target(kind: 'sqlite' | 'postgres', tag: string): Promise<{ file?: string; databaseUrl?: string }>;
  remove(): Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const databases: string[] = [];
  return {
    async target(kind, tag) {
      if (kind === 'sqlite') return { file: join(dir, `${tag}.db`) };
      const { url, name } = await createTestDatabase(prefix.replace(/\W/g, '_'));
      databases.push(name);
      return { databaseUrl: url };
    },
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      for (const name of databases) await dropTestDatabase(name);
    },
  };
}

export async function openTestStore(kind: 'sqlite' | 'postgres'): Promise<Store> {
  if (kind === 'sqlite') return openStore({ file: ':memory:' });
  const { url, name } = await createTestDatabase('shikaku_t');
  const store = await openStore({ databaseUrl: url });
  return {
    ...store,
    close: async () => {
      await store.close();
      await dropTestDatabase(name);
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
