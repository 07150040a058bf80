import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTestContext } from '../../test/support/stores.js';
import { fixedClock } from '../services/context.js';
import { inspectPresentedCard } from './inspect.js';
import { databaseCardSimulator } from './simulator.js';
import { insertTestResident, testMyNumber } from './testing.js';

// Counts the keys inspect.ts builds: the cost the key cache exists to save.
vi.mock('node:crypto', async (original) => {
  const actual = await original<typeof import('node:crypto')>();
  return { ...actual, createPublicKey: vi.fn(actual.createPublicKey) };
});

const clock = fixedClock('2025-11-21T01:00:00Z');

afterEach(() => vi.mocked(crypto.createPublicKey).mockClear());

describe('the key cache of presented certificates', () => {
  it('builds a card key once however often the card is presented, and checks every signature with it', async () => {
    const ctx = await openTestContext('sqlite', clock);
    try {
      const sim = databaseCardSimulator(ctx);
      const cards = [];
      for (const seed of [11, 12, 13]) {
        const myNumber = testMyNumber(seed);
        await insertTestResident(ctx, myNumber, '1980-04-01');
        cards.push(
          await sim.issue({
            myNumberIndex: ctx.keyring.blindIndex(myNumber),
            issuedOn: '2025-11-21',
            pin: '1234',
            kind: 'card',
          }),
        );
      }
      vi.mocked(crypto.createPublicKey).mockClear();
      // Presented in turn, three rounds: a cache smaller than the cards in use would rebuild each time.
      for (let round = 0; round < 3; round++) {
        for (const card of cards) {
          const challenge = Buffer.from(`challenge ${round}`).toString('base64');
          const { signature } = await sim.sign(card.cardId, { challenge });
          const presented = { certificatePem: card.certificate, challenge, signature };
          expect(await inspectPresentedCard(ctx, presented, '2025-12-02')).toMatchObject({
            chain: 'trusted',
            signature: 'valid',
            card: { cardId: card.cardId },
          });
          // The cached key still refuses a signature over another challenge.
          const replayed = { ...presented, challenge: Buffer.from('other').toString('base64') };
          expect(await inspectPresentedCard(ctx, replayed, '2025-12-02')).toMatchObject({ signature: 'invalid' });
        }
      }
      expect(vi.mocked(crypto.createPublicKey)).toHaveBeenCalledTimes(cards.length);
    } finally {
      await ctx.store.close();
    }
  });
});
