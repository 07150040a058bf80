import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode, ShikakuError } from '../domain/codes.js';
import { invalidRequest, issueTypeOf, operationOutcome, outcomeFromError } from './operation-outcome.js';
import { r4Problems } from './r4-validator.test-helper.js';
import { CS } from './systems.js';

describe('OperationOutcome for request errors', () => {
  it('carries the stable code, Japanese text and English diagnostics, and validates for every code', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const o = operationOutcome([{ code }]);
      expect(r4Problems(o)).toEqual([]);
      expect(o.issue[0]).toMatchObject({
        details: { coding: [{ system: CS.error, code, display: ERRORS[code].en }], text: ERRORS[code].ja },
        diagnostics: ERRORS[code].en,
      });
    }
  });

  it('types issues by status, sharpened for dates and unknown fields', () => {
    expect(issueTypeOf('VALIDATION_FAILED')).toBe('invalid');
    expect(issueTypeOf('VALIDATION_DATE')).toBe('value');
    expect(issueTypeOf('VALIDATION_UNKNOWN_FIELD')).toBe('structure');
    expect(issueTypeOf('AUTH_REQUIRED')).toBe('login');
    expect(issueTypeOf('FORBIDDEN')).toBe('forbidden');
    expect(issueTypeOf('NOT_FOUND')).toBe('not-found');
    expect(issueTypeOf('FORMAT_NOT_ACCEPTABLE')).toBe('not-supported');
    expect(issueTypeOf('MEDIA_TYPE_UNSUPPORTED')).toBe('not-supported');
    expect(issueTypeOf('CARD_PIN_LOCKED')).toBe('lock-error');
    expect(issueTypeOf('INTERNAL')).toBe('exception');
    expect(operationOutcome([{ code: 'INTERNAL' }]).issue[0]?.severity).toBe('fatal');
  });

  it('names a multi-issue error by its most specific code and keeps every issue', () => {
    const error = invalidRequest([
      { code: 'VALIDATION_FAILED', expression: 'A.b' },
      { code: 'INSURER_NUMBER_CHECK_DIGIT', expression: 'A.c' },
    ]);
    expect(error.code).toBe('INSURER_NUMBER_CHECK_DIGIT');
    expect(error.status).toBe(400);
    expect(outcomeFromError(error).issue.map((i) => i.expression?.[0])).toEqual(['A.b', 'A.c']);
  });

  it('turns a plain ShikakuError into one issue with its detailed message', () => {
    const o = outcomeFromError(
      new ShikakuError('NOT_FOUND', undefined, { ja: 'Patient/xは見つかりません', en: 'Patient/x is not found' }),
    );
    expect(o.issue).toHaveLength(1);
    expect(o.issue[0]).toMatchObject({ code: 'not-found', diagnostics: 'Not found: Patient/x is not found' });
    expect(o.issue[0]?.details?.text).toBe('見つかりません：Patient/xは見つかりません');
  });
});
