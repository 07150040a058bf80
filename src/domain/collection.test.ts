import { describe, expect, it } from 'vitest';
import { ShikakuError } from './codes.js';
import { collectionFor, needsCollection } from './collection.js';
import { eligibilityCertificateProof } from './proofs.js';

describe('collectionFor (RULES §2)', () => {
  it('collects on loss from lostOn, with no replacement', () => {
    expect(collectionFor({ kind: 'loss', on: '2026-01-01' })).toEqual({
      collect: true,
      replacement: false,
      on: '2026-01-01',
    });
  });

  it('collects a removed dependent certificate, with no replacement', () => {
    expect(collectionFor({ kind: 'dependent_remove', on: '2026-03-01' })).toEqual({
      collect: true,
      replacement: false,
      on: '2026-03-01',
    });
  });

  it('replaces the certificate on a change of what it prints', () => {
    expect(collectionFor({ kind: 'name_change', on: '2026-02-14' })).toEqual({
      collect: true,
      replacement: true,
      on: '2026-02-14',
    });
    expect(collectionFor({ kind: 'number_change', on: '2026-04-01' })).toMatchObject({ replacement: true });
  });

  it('the collection date ends the certificate as a proof that very day', () => {
    const cert = { issuedOn: '2025-12-02', validUntil: '2027-12-01', reportedLostOn: null };
    const { on } = collectionFor({ kind: 'loss', on: '2026-01-01' });
    expect(eligibilityCertificateProof({ ...cert, collectedOn: on }, '2025-12-31')).toEqual({ usable: true });
    expect(eligibilityCertificateProof({ ...cert, collectedOn: on }, '2026-01-01')).toEqual({
      usable: false,
      reason: 'CERTIFICATE_COLLECTED',
    });
  });

  it('rejects a malformed date', () => {
    expect(() => collectionFor({ kind: 'loss', on: '2026-02-30' })).toThrow(ShikakuError);
  });
});

describe('needsCollection', () => {
  const cert = { validUntil: '2026-11-30', collectedOn: null };

  it('collects one still valid on the event day, through its last day', () => {
    expect(needsCollection(cert, '2026-11-30')).toBe(true);
    expect(needsCollection(cert, '2026-12-01')).toBe(false);
  });

  it('does not collect twice', () => {
    expect(needsCollection({ ...cert, collectedOn: '2026-05-01' }, '2026-06-01')).toBe(false);
  });
});
