import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openTestContext, STORE_KINDS, testKeyring } from '../../test/support/stores.js';
import { fixedClock, type ServiceContext } from '../services/context.js';
import { openStore, type Store } from '../store/db.js';
import { CA_COMMON_NAME, CA_ID, loadLocalCa } from './ca.js';
import { inspectPresentedCard } from './inspect.js';
import { databaseCardSimulator } from './simulator.js';
import { insertTestResident, testMyNumber } from './testing.js';

const clock = fixedClock('2025-11-21T01:00:00Z');
const contextOf = (store: Store): ServiceContext => ({ store, keyring: testKeyring, clock });

async function caRows(store: Store) {
  return store.db.selectFrom('ca').selectAll().execute();
}

describe.each(STORE_KINDS)('the local CA on %s', (kind) => {
  it('is created on first use, stored with an encrypted key, and cached per store', async () => {
    const ctx = await openTestContext(kind, clock);
    try {
      expect(await caRows(ctx.store)).toHaveLength(0);
      const [a, b] = await Promise.all([loadLocalCa(ctx), loadLocalCa(ctx)]);
      expect(a).toBe(b);
      expect(await loadLocalCa(ctx)).toBe(a);
      const rows = await caRows(ctx.store);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row.id).toBe(CA_ID);
      expect(row.certificate_pem).toBe(a.certificatePem);
      expect(new X509Certificate(row.certificate_pem).subject).toBe(`CN=${CA_COMMON_NAME}`);
      expect(row.private_key_enc).not.toContain('PRIVATE KEY');
      const key = createPrivateKey(ctx.keyring.decrypt(row.private_key_enc));
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    } finally {
      await ctx.store.close();
    }
  });

  // PostgreSQL only (skipped on SQLite): two connections racing on one server; SQLite's race of two
  // processes on a new file is the next test.
  it.runIf(kind === 'postgres')('is created once when two processes start at once', async () => {
    const ctx = await openTestContext(kind, clock);
    // A second connection pool to the same database, as a second process would have.
    const url = new URL(process.env.SHIKAKU_TEST_DATABASE_URL ?? '');
    url.pathname = new URL(ctx.store.description).pathname;
    const other = await openStore({ databaseUrl: url.toString() });
    try {
      const [a, b] = await Promise.all([loadLocalCa(ctx), loadLocalCa(contextOf(other))]);
      expect(a).not.toBe(b);
      expect(a.certificatePem).toBe(b.certificatePem);
      expect(await caRows(ctx.store)).toHaveLength(1);
    } finally {
      await other.close();
      await ctx.store.close();
    }
  });
});

describe('the local CA in a SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shikaku-ca-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is reused after reopening the file: cards issued before still chain to it', async () => {
    const file = join(dir, 'reopen.db');
    const first = contextOf(await openStore({ file }));
    const ca = await loadLocalCa(first);
    const myNumber = testMyNumber(1);
    await insertTestResident(first, myNumber, '1989-10-01');
    const sim = databaseCardSimulator(first);
    const card = await sim.issue({
      myNumberIndex: first.keyring.blindIndex(myNumber),
      issuedOn: '2025-11-21',
      pin: '1234',
      kind: 'card',
    });
    const challenge = Buffer.from('challenge bytes').toString('base64');
    const signed = await sim.sign(card.cardId, { challenge });
    await first.store.close();

    const second = contextOf(await openStore({ file }));
    try {
      const again = await loadLocalCa(second);
      expect(again).not.toBe(ca); // a new store object: loaded, not taken from the first store's cache
      expect(again.certificatePem).toBe(ca.certificatePem);
      expect(await caRows(second.store)).toHaveLength(1);
      const inspection = await inspectPresentedCard(
        second,
        { certificatePem: card.certificate, challenge, signature: signed.signature },
        '2025-12-02',
      );
      expect(inspection).toMatchObject({ chain: 'trusted', signature: 'valid' });
      // The reloaded CA can still issue (its key decrypts).
      const more = await databaseCardSimulator(second).issue({
        myNumberIndex: second.keyring.blindIndex(myNumber),
        issuedOn: '2025-12-01',
        pin: '1234',
        kind: 'smartphone',
      });
      expect(new X509Certificate(more.certificate).verify(ca.publicKey)).toBe(true);
    } finally {
      await second.store.close();
    }
  });

  it('is created once when two processes open a new file at once', async () => {
    const file = join(dir, 'race.db');
    const [a, b] = [contextOf(await openStore({ file })), contextOf(await openStore({ file }))];
    try {
      const [caA, caB] = await Promise.all([loadLocalCa(a), loadLocalCa(b)]);
      expect(caA).not.toBe(caB);
      expect(caA.certificatePem).toBe(caB.certificatePem);
      expect(await caRows(a.store)).toHaveLength(1);
    } finally {
      await a.store.close();
      await b.store.close();
    }
  });
});
