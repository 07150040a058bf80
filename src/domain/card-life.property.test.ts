import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { birthday } from './age.js';
import { isoDate, isoDateNear } from './arbitraries.test-helper.js';
import {
  canRegister,
  cardExpiresOn,
  certificateExpiresOn,
  type ExpiryState,
  expiryState,
  graceEndsOn,
  renewalOpensOn,
} from './card-life.js';
import { addDays, addYears } from './dates.js';
import { CERTIFICATE_MAX_VALID_YEARS, certificateValidUntil } from './proofs.js';

const RUNS = { numRuns: 300 };
const STATE_ORDER: Record<ExpiryState, number> = { valid: 0, expiring_soon: 1, grace: 2, expired: 3 };

describe('card and certificate life (properties, RULES.md §1, §4)', () => {
  it('a card expires after its issue: the 5th (under 18) or 10th birthday after; the certificate the 5th, never after the card', () => {
    fc.assert(
      fc.property(isoDateNear('1930-01-01', '2030-12-31'), fc.integer({ min: 0, max: 95 * 366 }), (birthDate, age) => {
        const issuedOn = addDays(birthDate, age);
        const card = cardExpiresOn(birthDate, issuedOn);
        const cert = certificateExpiresOn(birthDate, issuedOn, card);
        expect(card > issuedOn).toBe(true);
        expect(cert > issuedOn).toBe(true);
        expect(cert <= card).toBe(true);
        // A birthday: the same month and day (02-29 births: 02-28 in common years).
        expect([birthDate.slice(5), '02-28']).toContain(card.slice(5));
        // More than 4 years, at most 10 (a day more when a 02-29 birthday comes back in a leap year).
        expect(card > addYears(issuedOn, 4)).toBe(true);
        expect(card <= addDays(addYears(issuedOn, 10), 1)).toBe(true);
        expect(certificateExpiresOn(birthDate, issuedOn) <= addDays(addYears(issuedOn, 5), 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it('expiry states only move forward with time: valid → expiring soon → grace → expired', () => {
    fc.assert(
      fc.property(
        isoDateNear('1950-01-01', '2080-12-31'),
        fc.integer({ min: -800, max: 800 }),
        fc.integer({ min: 0, max: 400 }),
        (expiresOn, a, step) => {
          const first = expiryState(expiresOn, addDays(expiresOn, a));
          const then = expiryState(expiresOn, addDays(expiresOn, a + step));
          expect(STATE_ORDER[then]).toBeGreaterThanOrEqual(STATE_ORDER[first]);
          expect(renewalOpensOn(expiresOn) < expiresOn).toBe(true);
          expect(graceEndsOn(expiresOn) > expiresOn).toBe(true);
          expect(expiryState(expiresOn, expiresOn)).toBe('expiring_soon');
          expect(expiryState(expiresOn, addDays(expiresOn, 1))).toBe('grace');
          expect(expiryState(expiresOn, addDays(graceEndsOn(expiresOn), 1))).toBe('expired');
        },
      ),
      RUNS,
    );
  });

  it('registration is refused exactly when the certificate expires within 5 days', () => {
    fc.assert(
      fc.property(isoDate('2000-01-01', '2060-12-31'), fc.integer({ min: -30, max: 30 }), (recordedOn, n) => {
        expect(canRegister(addDays(recordedOn, n), recordedOn)).toBe(n > 5);
      }),
      RUNS,
    );
  });

  it('a 資格確認書 expires after its issue and within 5 years, whatever the policy', () => {
    fc.assert(
      fc.property(
        isoDateNear('2023-01-01', '2060-12-31'),
        fc.oneof(
          fc.integer({ min: 1, max: 5 }).map((validYears) => ({ validYears })),
          fc.integer({ min: 0, max: 4000 }).map((n) => ({ validUntil: n })),
        ),
        (issuedOn, p) => {
          const policy = 'validYears' in p ? p : { validUntil: addDays(issuedOn, p.validUntil) };
          const until = certificateValidUntil(policy, issuedOn);
          expect(until >= issuedOn).toBe(true);
          // At most the day before the 5th anniversary (民法 §143: 02-29 → the end of February).
          expect(until <= addDays(birthday(issuedOn, CERTIFICATE_MAX_VALID_YEARS), -1)).toBe(true);
          if ('validUntil' in policy) expect(until <= policy.validUntil).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
