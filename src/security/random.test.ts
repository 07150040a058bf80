import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random.js';

describe('pooledRandomBytes', () => {
  it('gives the size asked for, beyond the pool too', () => {
    expect(pooledRandomBytes(12)).toHaveLength(12);
    expect(pooledRandomBytes(0)).toHaveLength(0);
    expect(pooledRandomBytes(10_000)).toHaveLength(10_000);
  });

  it('never gives the same bytes twice, across many refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) seen.add(pooledRandomBytes(12).toString('hex'));
    expect(seen.size).toBe(5_000);
  });
});
