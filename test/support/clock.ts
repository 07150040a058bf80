import type { Clock } from '../../src/services/context.js';

/** A clock the test moves by hand (challenges live 5 minutes, probing locks 30). */
export function movableClock(iso: string): Clock & { advance(ms: number): void } {
  let at = new Date(iso).getTime();
  return {
    now: () => new Date(at),
    advance: (ms) => {
      at += ms;
    },
  };
}
