import { describe, expect, it } from 'vitest';
import { ShikakuError } from '../domain/codes.js';
import { pageOf, searchSet, sorted } from './bundle.js';
import { acceptsJson } from './format.js';
import { alternatives, dateMatches, dateParam, parseSearch, parseToken, referenceId, tokenMatches } from './search.js';
import { JP, JP_OID } from './systems.js';

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

  it('read dates with a time in UTC at their precision (JST offsets included)', () => {
    expect(dateParam('ge2026-12-04T00:00:00Z')).toEqual({ prefix: 'ge', value: '2026-12-04T00:00:00' });
    expect(dateParam('lt2026-12-04T09:00+09:00')).toEqual({ prefix: 'lt', value: '2026-12-04T00:00' });
    expect(dateParam('2026-12-04T09:00:00.5+09:00')?.value).toBe('2026-12-04T00:00:00.500');
    expect(dateParam('2026-12-04T09:00')).toBeNull(); // a time needs its zone
    expect(dateMatches('2026-12-04T00:00:00.000Z', 'ge2026-12-04T09:00:00+09:00')).toBe(true);
    expect(dateMatches('2026-12-03T23:59:59.999Z', 'ge2026-12-04T00:00:00Z')).toBe(false);
    expect(dateMatches('1989-10-01', 'ge1989-10-01T12:00:00Z')).toBe(true); // a date compares by its day
  });

  it('read JP Core’s OID systems as their URL forms', () => {
    expect(parseToken(`${JP_OID.insurerNumber}|06139992`)).toEqual({
      system: JP.insurerNumberSystem,
      value: '06139992',
    });
    expect(parseToken(`${JP_OID.insuranceMemberId}|k`).system).toBe(JP.insuranceMemberIdSystem);
    expect(parseToken(`${JP_OID.insuredPersonSymbol}|1`).system).toBe(JP_OID.insuredPersonSymbol);
  });

  it('serve the result parameters that cannot widen a search, and drop unserved ones only when lenient', () => {
    const s = parseSearch('AuditEvent', { _summary: 'count', _total: 'none', _elements: 'type,agent', _sort: '-date' });
    expect(s.result).toEqual({
      countOnly: true,
      total: false,
      elements: ['type', 'agent'],
      sort: { key: 'date', descending: true },
    });
    expect(parseSearch('Patient', { _count: '0' }).result.countOnly).toBe(true);
    const error = (q: Record<string, unknown>, lenient = false) => {
      try {
        parseSearch('Patient', q, { lenient });
      } catch (e) {
        return e instanceof ShikakuError ? e.code : 'other';
      }
      return 'none';
    };
    expect(error({ _summary: 'true' })).toBe('VALIDATION_FAILED');
    expect(error({ _sort: 'birthdate' })).toBe('VALIDATION_FAILED');
    expect(error({ _elements: 'name.given' })).toBe('VALIDATION_FAILED');
    expect(error({ _include: 'Patient:x' })).toBe('VALIDATION_UNKNOWN_FIELD');
    expect(error({ _include: 'Patient:x' }, true)).toBe('none');
    expect(error({ nam: 'x' }, true)).toBe('VALIDATION_UNKNOWN_FIELD');
    expect(error({ _snapshot: 'a b' })).toBe('VALIDATION_FAILED');
  });

  it('page without a next link for a count, carry the snapshot, and sort by a key', () => {
    const page = { count: 0, offset: 0 };
    const result = { countOnly: true, total: true };
    const bundle = searchSet([], 3, {
      base: 'https://h/fhir/R4',
      type: 'Patient',
      params: [],
      page,
      result,
      snapshot: ['_snapshot', 'T'],
    });
    expect(bundle.link).toEqual([{ relation: 'self', url: 'https://h/fhir/R4/Patient?_count=0&_snapshot=T' }]);
    expect(pageOf([1, 2, 3], { count: 2, offset: 0 }, result)).toEqual([]);
    const two = searchSet([], 3, { base: 'b', type: 'Patient', params: [['_id', 'x']], page: { count: 2, offset: 0 } });
    expect(two.link?.map((l) => l.url)).toEqual(['b/Patient?_id=x&_count=2', 'b/Patient?_id=x&_count=2&_offset=2']);
    expect(sorted(['b', 'a', 'c'], { key: '_id', descending: true }, (x) => x)).toEqual(['c', 'b', 'a']);
    expect(sorted(['b', 'a'], undefined, (x) => x)).toEqual(['b', 'a']);
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
