import { describe, expect, it } from 'vitest';
import { ERRORS, FALLBACKS, REASONS } from '../domain/codes.js';
import { LIMIT_CATEGORY_OQS_CODES } from '../domain/limits.js';
import { capabilityStatement, challengeOperationDefinition, SEARCH_PARAMS } from './capability.js';
import { codeSystems, specificDiseaseConcept } from './codesystems.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { CS } from './systems.js';

describe('our code systems', () => {
  const all = codeSystems();
  const byUrl = (url: string) => all.find((c) => c.url === url);

  it('validate against R4', () => {
    for (const cs of all) expect(r4Problems(cs), cs.id).toEqual([]);
  });

  it('list every reason, fallback and error of the catalogue, with the Japanese as a designation', () => {
    expect(byUrl(CS.reason)?.concept?.map((c) => c.code)).toEqual(Object.keys(REASONS));
    expect(byUrl(CS.fallback)?.concept?.map((c) => c.code)).toEqual(Object.keys(FALLBACKS));
    expect(byUrl(CS.error)?.concept?.map((c) => c.code)).toEqual(Object.keys(ERRORS));
    expect(byUrl(CS.reason)?.concept?.[0]?.designation).toEqual([
      { language: 'ja', value: REASONS.HUB_NOT_REGISTERED.ja },
    ]);
    expect(byUrl(CS.outcome)?.concept?.map((c) => c.code)).toEqual([
      'eligible',
      'ineligible',
      'not_found',
      'ambiguous',
    ]);
    expect(byUrl(CS.limitCategory)?.concept?.map((c) => c.code)).toEqual(Object.values(LIMIT_CATEGORY_OQS_CODES));
  });

  it('code the 特定疾病 by OQS code, and keep an unknown category as text', () => {
    expect(specificDiseaseConcept('dialysis').coding?.[0]).toMatchObject({ system: CS.specificDisease, code: '1' });
    expect(specificDiseaseConcept('other')).toEqual({ text: 'other' });
  });
});

describe('the CapabilityStatement and $challenge', () => {
  it('validate against R4 and list the search parameters the routes accept', () => {
    const cs = capabilityStatement({ version: '0.1.0', date: '2025-12-02T01:00:00.000Z', url: 'http://h/fhir/R4' });
    expect(r4Problems(cs)).toEqual([]);
    expect(cs.fhirVersion).toBe('4.0.1');
    const resources = cs.rest?.[0]?.resource ?? [];
    for (const [type, params] of Object.entries(SEARCH_PARAMS)) {
      const entry = resources.find((r) => r.type === type);
      expect(entry?.searchParam?.map((p) => p.name)).toEqual(Object.keys(params));
    }
    const eligibility = resources.find((r) => r.type === 'CoverageEligibilityRequest');
    expect(eligibility?.operation?.map((o) => o.name)).toEqual(['submit', 'challenge']);
    expect(r4Problems(challengeOperationDefinition())).toEqual([]);
  });
});
