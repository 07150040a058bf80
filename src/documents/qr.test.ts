import { describe, expect, it } from 'vitest';
import { qrMatrix } from './qr.js';

/** A 7×7 finder pattern: dark ring, light ring, dark 3×3 centre. */
function isFinder(m: ReturnType<typeof qrMatrix>, top: number, left: number): boolean {
  for (let r = 0; r < 7; r++) {
    for (let c = 0; c < 7; c++) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (m.isDark(top + r, left + c) !== (ring !== 2)) return false;
    }
  }
  return true;
}

describe('qrMatrix', () => {
  it('has a valid symbol size and the three finder patterns', () => {
    const m = qrMatrix('https://portal.shikaku.example/me');
    expect((m.size - 21) % 4).toBe(0);
    expect(m.size).toBeGreaterThanOrEqual(25);
    expect(isFinder(m, 0, 0)).toBe(true);
    expect(isFinder(m, 0, m.size - 7)).toBe(true);
    expect(isFinder(m, m.size - 7, 0)).toBe(true);
    expect(isFinder(m, m.size - 7, m.size - 7)).toBe(false);
  });

  it('grows with the payload and differs between payloads', () => {
    const short = qrMatrix('https://a.example/');
    const long = qrMatrix(`https://portal.shikaku.example/me?token=${'x'.repeat(120)}`);
    expect(long.size).toBeGreaterThan(short.size);
    const a = qrMatrix('https://portal.shikaku.example/me?a=1');
    const b = qrMatrix('https://portal.shikaku.example/me?a=2');
    let diff = 0;
    for (let r = 0; r < a.size; r++) for (let c = 0; c < a.size; c++) if (a.isDark(r, c) !== b.isDark(r, c)) diff++;
    expect(diff).toBeGreaterThan(0);
  });

  it('reuses the matrix of a payload already seen (a batch shares one portal URL)', () => {
    expect(qrMatrix('https://portal.shikaku.example/x')).toBe(qrMatrix('https://portal.shikaku.example/x'));
  });
});
