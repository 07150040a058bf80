/**
 * Request errors as FHIR OperationOutcome: the same stable codes as the JSON API's problem+json
 * (src/domain/codes.ts ERRORS), carried in `issue.details.coding` under our error CodeSystem, with the
 * Japanese message as `details.text` and the English one as `diagnostics`. DESIGN.md §3 (2).
 */
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { ERRORS, type ErrorCode, ShikakuError, VALIDATION_SPECIFICITY } from '../domain/codes.js';
import { CS } from './systems.js';

/** One problem in a request: its code, where it is (a FHIRPath), and optionally a sharper message. */
export interface FhirIssue {
  code: ErrorCode;
  /** FHIRPath of the offending element, e.g. `CoverageEligibilityRequest.servicedDate`. */
  expression?: string;
  ja?: string;
  en?: string;
}

type IssueType = OperationOutcomeIssue['code'];

/** The FHIR issue type of a code: by its HTTP status, sharpened for a few validation codes. */
export function issueTypeOf(code: ErrorCode): IssueType {
  if (code === 'VALIDATION_DATE') return 'value';
  if (code === 'VALIDATION_UNKNOWN_FIELD') return 'structure';
  const status = ERRORS[code].status;
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
    case 406:
    case 415:
      return 'not-supported';
    case 409:
      return 'conflict';
    case 413:
      return 'too-long';
    case 422:
      return 'business-rule';
    case 423:
      return 'lock-error';
    case 429:
      return 'throttled';
    default:
      return status >= 500 ? 'exception' : 'processing';
  }
}

function issueOf(issue: FhirIssue): OperationOutcomeIssue {
  const def = ERRORS[issue.code];
  return {
    severity: def.status >= 500 ? 'fatal' : 'error',
    code: issueTypeOf(issue.code),
    details: { coding: [{ system: CS.error, code: issue.code, display: def.en }], text: issue.ja ?? def.ja },
    diagnostics: issue.en ?? def.en,
    ...(issue.expression ? { expression: [issue.expression] } : {}),
  };
}

/** An OperationOutcome with one issue per problem (at least one). */
export function operationOutcome(issues: readonly FhirIssue[]): OperationOutcome {
  const list = issues.length > 0 ? issues : [{ code: 'INTERNAL' as const }];
  return { resourceType: 'OperationOutcome', issue: list.map(issueOf) };
}

/**
 * A request error listing several issues. Its code (and HTTP status) is that of the most specific
 * issue; the issues travel in `details.issues` to `outcomeFromError`.
 */
export function invalidRequest(issues: readonly FhirIssue[]): ShikakuError {
  const code =
    VALIDATION_SPECIFICITY.find((c) => issues.some((i) => i.code === c)) ?? issues[0]?.code ?? 'VALIDATION_FAILED';
  return new ShikakuError(code, { issues });
}

function issuesOf(error: ShikakuError): FhirIssue[] | null {
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.filter(
    (i): i is FhirIssue => typeof i === 'object' && i !== null && typeof (i as FhirIssue).code === 'string',
  );
}

/** The OperationOutcome of a ShikakuError: its own issues when it lists them, else one issue. */
export function outcomeFromError(error: ShikakuError): OperationOutcome {
  const issues = issuesOf(error);
  if (issues && issues.length > 0) return operationOutcome(issues);
  return operationOutcome([{ code: error.code, ja: error.ja, en: error.message }]);
}
