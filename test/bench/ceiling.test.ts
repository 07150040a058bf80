/**
 * The HTTP ceiling of the bench (bench/ceiling.ts): it checks the bench's own card requests with
 * the real verifier, refuses a request whose signature does not verify, and bounds throughput as
 * stated (hello-world's cost per request plus the card share of the crypto).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cardCryptoPerSecond, ceilingRate } from '../../bench/ceiling.js';
import { benchKeyring, generate } from '../../bench/generate.js';
import { buildRequests, cardHolders, sampleMembers } from '../../bench/workload.js';
import { loadLocalCa } from '../../src/cards/ca.js';
import { systemClock } from '../../src/services/context.js';
import type { CardVerificationRequest } from '../../src/services/verification.js';
import { openStore } from '../../src/store/db.js';
import { testStoreTargets } from '../support/stores.js';

const stores = testStoreTargets('shikaku_ceiling');
afterAll(() => stores.remove());

describe('the card-crypto ceiling', () => {
  it('bounds throughput by hello-world plus the card share of the crypto', () => {
    expect(ceilingRate(1_000, 0.5, 1_000)).toBeCloseTo(666.67, 1);
    expect(ceilingRate(50_000, 0, 10)).toBeCloseTo(50_000, 6);
    // Half the requests at 60 µs of crypto each cannot reach 60 % of a 19 µs hello-world.
    expect(ceilingRate(52_000, 0.5, 1 / 60e-6) / 52_000).toBeLessThan(0.6);
  });

  it("checks the bench's card requests and refuses a signature that does not verify", async () => {
    const { file } = await stores.target('sqlite', 'ceiling');
    const report = await generate({ members: 200, cards: 20, seed: 'ceiling', file });
    const store = await openStore({ file });
    try {
      const keyring = benchKeyring('ceiling');
      const ca = await loadLocalCa({ store, keyring, clock: systemClock });
      const targets = await sampleMembers(store, 20);
      const holders = await cardHolders(store, keyring, 20);
      const requests = await buildRequests(store, undefined, targets, holders, 40, report.asOf, 'ceiling');
      const cards = requests.filter((r): r is CardVerificationRequest => r.method === 'card');
      const figures = cardCryptoPerSecond(requests, ca.publicKey);
      expect(figures.count).toBe(cards.length);
      expect(figures.count).toBeGreaterThan(10);

      const [first, second] = cards as [CardVerificationRequest, CardVerificationRequest];
      const swapped = { ...first, card: { ...first.card, signature: second.card.signature } };
      expect(() => cardCryptoPerSecond([swapped], ca.publicKey)).toThrow(/do not verify/);
    } finally {
      await store.close();
    }
  }, 120_000);
});
