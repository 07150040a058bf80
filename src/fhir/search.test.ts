import { describe, expect, it } from 'vitest';
import { ShikakuError } from '../domain/codes.js';
import { acceptsJson } from './format.js';
import { alternatives, dateMatches, parseSearch, parseToken, referenceId, tokenMatches } from './search.js';

describe('search parameters', () => {
  it('parse tokens with and without a system', () => {
    expect(parseToken('http://s|v')).toEqual({ system: 'http://s', value: 'v' });
    expect(parseToken('|v')).toEqual({ system: '', value: 'v' });
    expect(parseToken('http://s|')).toEqual({ system: 'http://s', value: undefined });
    expect(parseToken('v')).toEqual({ system: undefined, value: 'v' });
    expect(alternatives('a,b,,c')).toEqual(['a', 'b', 'c']);
    expect(tokenMatches(parseToken('|v'), { system: 'http://s', value: 'v' })).toBe(false);
    expect(tokenMatches(parseToken('v'), { system: 'http://s', value: 'v' })).toBe(true);
  });

  it('read reference ids as Type/id, absolute URL or bare id', () => {
    expect(referenceId('Patient/abc-1', 'Patient')).toBe('abc-1');
    expect(referenceId('http://h/fhir/R4/Patient/abc-1', 'Patient')).toBe('abc-1');
    expect(referenceId('abc-1', 'Patient')).toBe('abc-1');
    expect(referenceId('Patient/has space', 'Patient')).toBeNull();
  });

  it('compare dates at the parameter’s precision, at the boundaries', () => {
    expect(dateMatches('1989-10-01', '1989-10-01')).toBe(true);
    expect(dateMatches('1989-10-01', 'eq1989-10')).toBe(true);
    expect(dateMatches('1989-10-01', 'ge1989-10-01')).toBe(true);
    expect(dateMatches('1989-10-01', 'gt1989-10-01')).toBe(false);
    expect(dateMatches('1989-10-01', 'lt1989-10-02')).toBe(true);
    expect(dateMatches('1989-10-01', 'le1989-09-30')).toBe(false);
    expect(dateMatches('1989-10-01', 'ne1989')).toBe(false);
    expect(dateMatches('2025-12-01T23:59:59.999Z', 'eq2025-12-01')).toBe(true);
  });

  it('refuse unknown parameters and modifiers, bad dates and bad paging; clamp _count', () => {
    const error = (q: Record<string, unknown>) => {
      try {
        parseSearch('Patient', q);
      } catch (e) {
        return e instanceof ShikakuError ? e.code : 'other';
      }
      return 'none';
    };
    expect(error({ name: 'x' })).toBe('VALIDATION_UNKNOWN_FIELD');
    expect(error({ 'identifier:exact': 'x' })).toBe('VALIDATION_UNKNOWN_FIELD');
    expect(error({ birthdate: '1989/10/01' })).toBe('VALIDATION_DATE');
    expect(error({ _count: '-1' })).toBe('VALIDATION_FAILED');
    expect(error({ _offset: 'x' })).toBe('VALIDATION_FAILED');
    const ok = parseSearch('Patient', { _id: ['a', 'b'], _count: '1000', _format: 'json' });
    expect(ok.params.get('_id')).toEqual(['a', 'b']);
    expect(ok.page).toEqual({ count: 100, offset: 0 });
    expect(ok.echo).toEqual([
      ['_id', 'a'],
      ['_id', 'b'],
    ]);
  });
});

describe('content negotiation', () => {
  it('answers JSON unless only something else is asked for', () => {
    expect(acceptsJson(undefined, undefined)).toBe(true);
    expect(acceptsJson(undefined, 'application/fhir+json')).toBe(true);
    expect(acceptsJson(undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).toBe(true);
    expect(acceptsJson(undefined, 'application/fhir+xml')).toBe(false);
    expect(acceptsJson('json', 'application/fhir+xml')).toBe(true);
    expect(acceptsJson('application/fhir json', undefined)).toBe(true); // '+' decoded as a space
    expect(acceptsJson('xml', undefined)).toBe(false);
    expect(acceptsJson('application/fhir+xml', 'application/json')).toBe(false);
    expect(acceptsJson('ttl', undefined)).toBe(false);
  });
});
