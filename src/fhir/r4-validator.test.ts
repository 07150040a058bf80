import { describe, expect, it } from 'vitest';
import { r4Problems } from './r4-validator.test-helper.js';

/** The checker the other FHIR tests rely on must itself catch what it claims to. */
describe('r4Problems (medplum validator + required bindings)', () => {
  const response = {
    resourceType: 'CoverageEligibilityResponse',
    status: 'active',
    purpose: ['validation'],
    patient: { display: 'p' },
    created: '2025-12-02T01:00:00.000Z',
    request: { display: 'r' },
    outcome: 'complete',
    insurer: { display: 'i' },
  };

  it('passes a minimal valid resource', () => {
    expect(r4Problems(response as never)).toEqual([]);
  });

  it('reports a missing required element and an unknown property (medplum)', () => {
    const { outcome: _o, ...missing } = response;
    expect(r4Problems(missing as never).join('\n')).toMatch(/outcome/);
    expect(r4Problems({ ...response, verdict: 'ok' } as never).join('\n')).toMatch(/verdict/);
  });

  it('reports a code outside a required ValueSet, at the top and inside datatypes and contained resources', () => {
    expect(r4Problems({ ...response, outcome: 'done' } as never)).toEqual([
      expect.stringMatching(/outcome: 'done' is not in .*remittance-outcome/),
    ]);
    expect(r4Problems({ ...response, identifier: [{ use: 'weird', value: 'x' }] } as never)).toEqual([
      expect.stringMatching(/Identifier\.use: 'weird'/),
    ]);
    expect(
      r4Problems({
        ...response,
        contained: [{ resourceType: 'Patient', id: 'p', gender: 'bogus' }],
        patient: { reference: '#p' },
      } as never),
    ).toEqual([expect.stringMatching(/Patient\.gender: 'bogus'/)]);
  });
});
