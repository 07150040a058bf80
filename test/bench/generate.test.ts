/**
 * The bench generator (bench/generate.ts) writes the rows the services would: the audit chain
 * verifies, minted certificates chain to the store's CA and sign like real cards, verifications over
 * the generated people answer as the domain says, and the same seed gives the same registry.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { benchKeyring, generate, MAIN_INSURER } from '../../bench/generate.js';
import { BENCH_PROVIDER, buildRequests, cardHolders, sampleMembers } from '../../bench/workload.js';
import { loadLocalCa } from '../../src/cards/ca.js';
import { systemActor } from '../../src/services/actor.js';
import { verifyAuditChain } from '../../src/services/audit.js';
import { systemClock } from '../../src/services/context.js';
import { verify } from '../../src/services/verification.js';
import { openStore, type Store } from '../../src/store/db.js';
import { STORE_KINDS, testStoreTargets } from '../support/stores.js';

const stores = testStoreTargets('shikaku_bench');
const target = stores.target;
afterAll(() => stores.remove());

describe.each(STORE_KINDS)('bench data on %s', (kind) => {
  it('is a consistent registry: chain, certificates, verifications', async () => {
    const where = await target(kind, 'consistent');
    const report = await generate({ members: 400, cards: 40, seed: 'test', ...where });
    expect(report.members).toBe(400);
    expect(report.cards).toBeGreaterThan(10);
    const store: Store = await openStore(where);
    try {
      const chain = await verifyAuditChain(store.db);
      expect(chain.ok).toBe(true);
      expect(chain.records).toBe((report.rows.audit_log ?? 0) + 2); // + the two insurer.create of the service

      const keyring = benchKeyring('test');
      const ctx = { store, keyring, clock: systemClock };
      const ca = await loadLocalCa(ctx);
      const certificates = await store.db.selectFrom('card_certificates').selectAll().execute();
      expect(certificates.length).toBe(report.certificates);
      for (const c of certificates) {
        const x = new X509Certificate(c.certificate_pem);
        expect(x.verify(ca.publicKey)).toBe(true);
        expect(x.serialNumber).toBe(c.serial);
        expect(createHash('sha256').update(x.raw).digest('hex')).toBe(c.fingerprint);
      }

      // Every member is found by its 記号・番号; every current card proves itself.
      const actor = systemActor('provider', { providerCode: BENCH_PROVIDER });
      const targets = await sampleMembers(store, 100);
      const holders = await cardHolders(store, keyring, 100);
      const requests = await buildRequests(store, where.databaseUrl, targets, holders, 120, report.asOf, 'test');
      const outcomes: Record<string, number> = {};
      for (const request of requests) {
        const answer = await verify(ctx, actor, request);
        const codes = answer.reasons.map((r) => r.code);
        if (request.method === 'card') {
          expect(codes).not.toContain('CHALLENGE_INVALID');
          expect(codes).not.toContain('SIGNATURE_INVALID');
          expect(codes).not.toContain('CERT_UNTRUSTED');
        }
        outcomes[`${request.method} ${answer.outcome}`] = (outcomes[`${request.method} ${answer.outcome}`] ?? 0) + 1;
      }
      expect(outcomes['card eligible'] ?? 0).toBeGreaterThan(0);
      expect(outcomes['number not_found'] ?? 0).toBeLessThan(60); // most are found (as members)
      expect(Object.keys(outcomes).some((k) => k.startsWith('number'))).toBe(true);
      // A reception desk's mix: most number requests are answered eligible (the 資格確認書 exist).
      const numbers = await buildRequests(store, where.databaseUrl, targets, [], 100, report.asOf, 'mix', 'number');
      expect(numbers.every((r) => r.method === 'number')).toBe(true);
      let eligible = 0;
      for (const request of numbers) if ((await verify(ctx, actor, request)).outcome === 'eligible') eligible++;
      expect(eligible).toBeGreaterThan(70);
      expect(await verifyAuditChain(store.db)).toMatchObject({ ok: true });
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('bench data is deterministic', () => {
  it('gives the same registry for the same seed', async () => {
    const rows = async (tag: string) => {
      const { file } = await target('sqlite', tag);
      await generate({ members: 150, cards: 5, seed: 'same', file });
      const store = await openStore({ file });
      try {
        return await store.db
          .selectFrom('members')
          .select(['id', 'insurer_number', 'symbol', 'number', 'branch', 'birth_date', 'my_number_index', 'hub_status'])
          .orderBy('id')
          .execute();
      } finally {
        await store.close();
      }
    };
    const first = await rows('same-1');
    const second = await rows('same-2');
    expect(first.length).toBeGreaterThanOrEqual(150);
    expect(second).toEqual(first);
    expect(first.filter((m) => m.insurer_number === MAIN_INSURER)).toHaveLength(150);
  }, 120_000);
});
