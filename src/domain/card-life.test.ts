import { describe, expect, it } from 'vitest';
import {
  canRegister,
  cardExpiresOn,
  cardShortLifeAgeOn,
  certificateExpiresOn,
  expiryState,
  graceEndsOn,
  nthBirthdayAfter,
  registrationLapsesOn,
  registrationState,
  renewalOpensOn,
} from './card-life.js';
import { ShikakuError } from './codes.js';

describe('nthBirthdayAfter', () => {
  it('does not count a birthday falling on the date itself', () => {
    expect(nthBirthdayAfter('1980-06-15', '2016-06-15', 1)).toBe('2017-06-15');
    expect(nthBirthdayAfter('1980-06-15', '2016-06-14', 1)).toBe('2016-06-15');
  });

  it('puts the birthday of a 02-29 birth on 02-28 in common years, 02-29 in leap years', () => {
    expect(nthBirthdayAfter('2008-02-29', '2023-01-01', 1)).toBe('2023-02-28');
    expect(nthBirthdayAfter('2008-02-29', '2023-02-28', 1)).toBe('2024-02-29');
    expect(nthBirthdayAfter('2008-02-29', '2023-02-28', 2)).toBe('2025-02-28');
  });
});

describe('cardExpiresOn (RULES §4)', () => {
  it('gives an adult the 10th birthday strictly after issue', () => {
    expect(cardExpiresOn('1980-06-15', '2016-03-01')).toBe('2025-06-15');
    // Issued on the birthday: that birthday does not count.
    expect(cardExpiresOn('1980-06-15', '2016-06-15')).toBe('2026-06-15');
  });

  it('gives a holder under 18 on the issue day the 5th birthday', () => {
    expect(cardExpiresOn('2010-04-01', '2020-05-01')).toBe('2025-04-01');
  });

  it('switches to 10 years on the 18th birthday itself', () => {
    expect(cardExpiresOn('2007-12-02', '2025-12-01')).toBe('2029-12-02'); // 17 on the issue day
    expect(cardExpiresOn('2007-12-02', '2025-12-02')).toBe('2035-12-02'); // 18 on the issue day
  });

  it('lets a 02-29 birth turn 18 on 02-28 of a common year', () => {
    expect(cardExpiresOn('2008-02-29', '2026-02-27')).toBe('2030-02-28'); // 17: 5 birthdays (2026…2030)
    expect(cardExpiresOn('2008-02-29', '2026-02-28')).toBe('2036-02-29'); // 18: 10 birthdays, 2036 is leap
  });

  it('refuses an issue date before the birth date', () => {
    expect(() => cardExpiresOn('2020-01-01', '2019-12-31')).toThrow(ShikakuError);
  });
});

describe('cardExpiresOn: the age of majority moved from 20 to 18 on 2022-04-01', () => {
  it('gives a 19-year-old 5 birthdays on 2022-03-31 and 10 from 2022-04-01', () => {
    expect(cardShortLifeAgeOn('2022-03-31')).toBe(20);
    expect(cardShortLifeAgeOn('2022-04-01')).toBe(18);
    // Born 2002-06-02: 19 on both days.
    expect(cardExpiresOn('2002-06-02', '2022-03-31')).toBe('2026-06-02');
    expect(cardExpiresOn('2002-06-02', '2022-04-01')).toBe('2031-06-02');
  });

  it('lets the application date decide when it is known (applied before 2022-04-01, issued after)', () => {
    expect(cardExpiresOn('2002-06-02', '2022-04-15', '2022-03-20')).toBe('2026-06-02');
    expect(cardExpiresOn('2002-06-02', '2022-04-15', '2022-04-01')).toBe('2031-06-02');
  });

  it('turns 20 on the birthday: born on the 1st and on the 2nd, issued 2021-12-01', () => {
    expect(cardExpiresOn('2001-12-01', '2021-12-01')).toBe('2031-12-01'); // 20 that day: 10 birthdays
    expect(cardExpiresOn('2001-12-02', '2021-12-01')).toBe('2025-12-02'); // 19: 5 birthdays, the 1st the next day
  });

  it('02-29 births: the birthday is 02-28 in common years (個人番号カード省令 §26), on both sides of the cut', () => {
    // 18 on 2022-02-28 (deemed birthday), still under 20 before the cut: 5 birthdays, the 5th in 2027.
    expect(cardExpiresOn('2004-02-29', '2022-02-28')).toBe('2027-02-28');
    // 18 after the cut: 10 birthdays, the 10th in the leap year 2032.
    expect(cardExpiresOn('2004-02-29', '2022-04-01')).toBe('2032-02-29');
    // 21 before the cut: 10 birthdays, the 10th in a common year.
    expect(cardExpiresOn('2000-02-29', '2021-03-01')).toBe('2031-02-28');
  });
});

describe('certificateExpiresOn (RULES §4)', () => {
  it('gives the 5th birthday strictly after issue, whatever the age', () => {
    expect(certificateExpiresOn('1980-06-15', '2021-06-15')).toBe('2026-06-15');
    expect(certificateExpiresOn('1980-06-15', '2021-06-14')).toBe('2025-06-15');
    expect(certificateExpiresOn('2015-01-10', '2020-01-09')).toBe('2024-01-10');
  });

  it('handles 02-29 births across leap and common years', () => {
    expect(certificateExpiresOn('2000-02-29', '2023-03-01')).toBe('2028-02-29');
    expect(certificateExpiresOn('2000-02-29', '2024-03-01')).toBe('2029-02-28');
  });

  it('never outlives the card when its expiry is given', () => {
    expect(certificateExpiresOn('1980-06-15', '2023-01-10', '2026-06-15')).toBe('2026-06-15');
    expect(certificateExpiresOn('1980-06-15', '2021-01-10', '2031-06-15')).toBe('2025-06-15');
  });
});

describe('graceEndsOn (RULES §4)', () => {
  it('ends on the last day of the 3rd month after the month of expiry', () => {
    expect(graceEndsOn('2026-02-10')).toBe('2026-05-31');
    expect(graceEndsOn('2025-11-30')).toBe('2026-02-28');
    expect(graceEndsOn('2027-11-01')).toBe('2028-02-29');
    expect(graceEndsOn('2025-12-31')).toBe('2026-03-31');
    expect(graceEndsOn('2026-02-01')).toBe('2026-05-31');
  });
});

describe('renewalOpensOn', () => {
  it('opens 3 months before expiry, the day clamped to the month end', () => {
    expect(renewalOpensOn('2026-06-15')).toBe('2026-03-15');
    expect(renewalOpensOn('2026-05-31')).toBe('2026-02-28');
  });
});

describe('expiryState', () => {
  const expiresOn = '2026-06-15';
  it.each([
    ['2026-03-14', 'valid'],
    ['2026-03-15', 'expiring_soon'],
    ['2026-06-15', 'expiring_soon'], // valid through the expiry day
    ['2026-06-16', 'grace'],
    ['2026-09-30', 'grace'],
    ['2026-10-01', 'expired'],
  ] as const)('on %s is %s', (asOf, state) => {
    expect(expiryState(expiresOn, asOf)).toBe(state);
  });
});

describe('canRegister (refused when the certificate expires within 5 days, inclusive)', () => {
  it.each([
    ['2026-01-04', true], // expires in 6 days
    ['2026-01-05', false], // expires in 5 days
    ['2026-01-10', false], // expires that day
    ['2026-01-11', false], // already expired
  ] as const)('recorded on %s: %s', (recordedOn, ok) => {
    expect(canRegister('2026-01-10', recordedOn)).toBe(ok);
  });
});

describe('registrationState (RULES §4, research §8)', () => {
  // Certificate expiring 2026-02-10: grace through 2026-05-31.
  const first = { issuedOn: '2021-02-01', expiresOn: '2026-02-10', revokedOn: null };
  const registered = { kind: 'registered', recordedOn: '2022-01-01' } as const;

  it('is never before any registration, and ignores events after asOf', () => {
    expect(registrationState({ events: [], certificates: [first], asOf: '2025-01-01' })).toBe('never');
    expect(registrationState({ events: [registered], certificates: [first], asOf: '2021-12-31' })).toBe('never');
    expect(registrationState({ events: [registered], certificates: [first], asOf: '2022-01-01' })).toBe('active');
  });

  it('stays active through grace, then lapses the day after the grace ends', () => {
    const state = (asOf: string) => registrationState({ events: [registered], certificates: [first], asOf });
    expect(state('2026-02-11')).toBe('active'); // in grace
    expect(state('2026-05-31')).toBe('active'); // last day of grace
    expect(state('2026-06-01')).toBe('lapsed');
    expect(registrationLapsesOn('2022-01-01', [first])).toBe('2026-06-01');
  });

  it('survives a renewal made by the last day of grace, but not one made the day after', () => {
    const inTime = { issuedOn: '2026-05-31', expiresOn: '2031-02-10', revokedOn: null };
    const late = { issuedOn: '2026-06-01', expiresOn: '2031-02-10', revokedOn: null };
    expect(registrationState({ events: [registered], certificates: [first, inTime], asOf: '2027-01-01' })).toBe(
      'active',
    );
    expect(registrationState({ events: [registered], certificates: [first, late], asOf: '2027-01-01' })).toBe('lapsed');
  });

  it('becomes active again with a registration made after the lapse', () => {
    const renewed = { issuedOn: '2026-06-01', expiresOn: '2031-02-10', revokedOn: null };
    const events = [registered, { kind: 'registered', recordedOn: '2026-06-10' } as const];
    expect(registrationState({ events, certificates: [first, renewed], asOf: '2026-06-05' })).toBe('lapsed');
    expect(registrationState({ events, certificates: [first, renewed], asOf: '2026-06-10' })).toBe('active');
    expect(registrationLapsesOn('2026-06-10', [first, renewed])).toBe('2031-06-01');
  });

  it('is cancelled after a cancellation, and active again after re-registering', () => {
    const events = [
      registered,
      { kind: 'cancelled', recordedOn: '2024-03-01' } as const,
      { kind: 'registered', recordedOn: '2024-09-01' } as const,
    ];
    const state = (asOf: string) => registrationState({ events, certificates: [first], asOf });
    expect(state('2024-02-29')).toBe('active');
    expect(state('2024-03-01')).toBe('cancelled');
    expect(state('2024-08-31')).toBe('cancelled');
    expect(state('2024-09-01')).toBe('active');
  });

  it('lets the later event of the same day win', () => {
    const events = [
      { kind: 'registered', recordedOn: '2024-03-01' } as const,
      { kind: 'cancelled', recordedOn: '2024-03-01' } as const,
    ];
    expect(registrationState({ events, certificates: [first], asOf: '2024-03-01' })).toBe('cancelled');
    expect(registrationState({ events: [...events].reverse(), certificates: [first], asOf: '2024-03-01' })).toBe(
      'active',
    );
  });

  it('survives a revoked certificate replaced by a reissued card', () => {
    const lost = { issuedOn: '2021-02-01', expiresOn: '2026-02-10', revokedOn: '2024-01-05' };
    const reissued = { issuedOn: '2024-01-20', expiresOn: '2029-02-10', revokedOn: null };
    expect(registrationState({ events: [registered], certificates: [lost, reissued], asOf: '2027-01-01' })).toBe(
      'active',
    );
  });

  it('follows a chain of renewals, whatever order the certificates come in', () => {
    const second = { issuedOn: '2026-01-15', expiresOn: '2031-02-10', revokedOn: null };
    const third = { issuedOn: '2031-04-01', expiresOn: '2036-02-10', revokedOn: null };
    expect(registrationLapsesOn('2022-01-01', [third, first, second])).toBe('2036-06-01');
  });

  it('does not let a certificate issued later change an earlier answer', () => {
    const muchLater = { issuedOn: '2026-07-01', expiresOn: '2031-02-10', revokedOn: null };
    expect(registrationState({ events: [registered], certificates: [first, muchLater], asOf: '2026-06-01' })).toBe(
      'lapsed',
    );
    expect(registrationState({ events: [registered], certificates: [first, muchLater], asOf: '2027-06-01' })).toBe(
      'lapsed',
    );
  });

  it('cannot lapse with no certificate on record', () => {
    expect(registrationLapsesOn('2022-01-01', [])).toBeNull();
    expect(registrationState({ events: [registered], certificates: [], asOf: '2040-01-01' })).toBe('active');
  });
});
