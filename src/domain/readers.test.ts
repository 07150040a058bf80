import { describe, expect, it } from 'vitest';
import { identityCheckAllowed } from './readers.js';
import { decideByCard } from './verification.js';
import { cardEvidence as evidence, registered } from './verification.test-helper.js';

const hub = [registered()];

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

describe('a PIN-locked card: the fallback follows the reader', () => {
  const locked = (reader: 'faceReader' | 'genericReader') =>
    decideByCard('2025-12-02', evidence({ reader, identityCheck: 'pin' }, { pinLocked: true }), hub);

  it('offers face or visual on a face reader, the visual check only on a generic reader', () => {
    expect(locked('faceReader').fallbacks.map((f) => f.code)).toEqual([
      'IDENTIFY_BY_FACE_OR_VISUAL',
      'RENEW_AT_MUNICIPALITY',
    ]);
    expect(locked('genericReader').fallbacks.map((f) => f.code)).toEqual([
      'IDENTIFY_BY_VISUAL',
      'RENEW_AT_MUNICIPALITY',
    ]);
  });
});
