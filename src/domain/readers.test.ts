import { describe, expect, it } from 'vitest';
import { identityCheckAllowed } from './readers.js';
import { type CardEvidence, decideByCard, type HubRecord } from './verification.js';

const evidence = (over: Partial<CardEvidence> = {}): CardEvidence => ({
  challenge: 'valid',
  signature: 'valid',
  chain: 'trusted',
  certificate: { issuedOn: '2022-01-10', expiresOn: '2027-01-10', revokedOn: null },
  card: { kind: 'card', expiresOn: '2032-01-10', status: 'active', endedOn: null, pinLocked: false },
  registration: 'active',
  identityCheck: 'face',
  ...over,
});
const hub: HubRecord[] = [
  {
    state: 'registered',
    qualification: {
      memberId: 'm1',
      insurerNumber: '06139992',
      symbol: '1',
      number: '2',
      branch: '00',
      relationship: 'insured',
      birthDate: '1980-01-01',
      acquiredOn: '2020-04-01',
      lostOn: null,
    },
  },
];

describe('reader type and the identity checks it allows (seed 001 Q5)', () => {
  it('a face reader takes face, PIN or visual; a generic reader PIN or visual only', () => {
    expect(identityCheckAllowed('faceReader', 'face')).toBe(true);
    expect(identityCheckAllowed('genericReader', 'face')).toBe(false);
    expect(identityCheckAllowed('genericReader', 'pin')).toBe(true);
    expect(identityCheckAllowed('genericReader', 'visual')).toBe(true);
  });

  it('refuses a face check on a generic reader and names the reader', () => {
    const d = decideByCard('2025-12-02', evidence({ reader: 'genericReader' }), hub);
    expect(d.outcome).toBe('ineligible');
    expect(d.reader).toBe('genericReader');
    expect(d.reasons.map((r) => r.code)).toEqual(['IDENTITY_CHECK_NOT_ALLOWED']);
    expect(d.fallbacks.map((f) => f.code)).toEqual(['IDENTIFY_BY_PIN_OR_VISUAL']);
    expect(d.qualification).toBeNull();
  });

  it('accepts a PIN or a visual check on a generic reader, and a face check on a face reader', () => {
    for (const identityCheck of ['pin', 'visual'] as const) {
      const d = decideByCard('2025-12-02', evidence({ reader: 'genericReader', identityCheck }), hub);
      expect(d).toMatchObject({ outcome: 'eligible', reader: 'genericReader' });
    }
    expect(decideByCard('2025-12-02', evidence({ reader: 'faceReader' }), hub)).toMatchObject({
      outcome: 'eligible',
      reader: 'faceReader',
    });
  });
});
