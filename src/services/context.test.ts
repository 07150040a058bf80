import { describe, expect, it } from 'vitest';
import { newId } from './context.js';

describe('newId', () => {
  it('is a UUID version 7: the milliseconds first, then random bits with the RFC 9562 variant', () => {
    const at = Date.UTC(2026, 11, 2, 3, 4, 5, 678);
    const id = newId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('orders ids by the millisecond they were made in, and never repeats one', () => {
    const earlier = Array.from({ length: 1000 }, () => newId(1_764_000_000_000));
    const later = newId(1_764_000_000_001);
    expect(new Set(earlier).size).toBe(1000);
    for (const id of earlier) expect(id < later).toBe(true);
  });
});
