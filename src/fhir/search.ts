/**
 * Search parameters (FHIR search.html), as far as we serve them: token (`system|value`, comma = OR),
 * reference (`Type/id`), date (eq/ne/gt/ge/lt/le on a YYYY[-MM[-DD]] prefix). Repeating a parameter
 * ANDs it. Unknown parameters and modifiers are refused (strict handling) rather than silently
 * ignored, so a typo cannot widen what a provider is shown. Pure.
 */
import { DEFAULT_COUNT, MAX_COUNT, type Page } from './bundle.js';
import { SEARCH_PARAMS } from './capability.js';
import { type FhirIssue, invalidRequest } from './operation-outcome.js';

export type SearchableType = keyof typeof SEARCH_PARAMS;

/** Parameters every search accepts besides its own. */
const CONTROL = new Set(['_count', '_offset', '_format', '_pretty']);

export interface ParsedSearch {
  /** Each parameter's values (one per repetition). */
  params: Map<string, string[]>;
  page: Page;
  /** The search's own parameters, for the Bundle's links. */
  echo: Array<[string, string]>;
}

function values(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

function nonNegativeInt(name: string, raw: string | undefined, fallback: number, issues: FhirIssue[]): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/u.test(raw)) {
    issues.push({
      code: 'VALIDATION_FAILED',
      expression: name,
      ja: `${name}は0以上の整数で指定してください`,
      en: `${name} must be a whole number ≥ 0`,
    });
    return fallback;
  }
  return Number(raw);
}

const DATE_PARAM = /^(eq|ne|gt|ge|lt|le)?(\d{4}(?:-\d{2}(?:-\d{2})?)?)$/u;

/** Reads a query (Fastify's: a repeated key gives an array) for a resource type; throws on any problem. */
export function parseSearch(type: SearchableType, query: Record<string, unknown>): ParsedSearch {
  const allowed: Record<string, string> = SEARCH_PARAMS[type];
  const issues: FhirIssue[] = [];
  const params = new Map<string, string[]>();
  const echo: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL.has(name)) continue;
    if (!(name in allowed)) {
      issues.push({
        code: 'VALIDATION_UNKNOWN_FIELD',
        expression: name,
        ja: `${type}の検索では使えないパラメータです: ${name}`,
        en: `unsupported search parameter for ${type}: ${name} (supported: ${Object.keys(allowed).join(', ')})`,
      });
      continue;
    }
    const list = values(raw);
    for (const v of list) {
      if (allowed[name] === 'date' && !DATE_PARAM.test(v)) {
        issues.push({
          code: 'VALIDATION_DATE',
          expression: name,
          ja: `${name}の日付が正しくありません`,
          en: `${name} must be [prefix]YYYY-MM-DD`,
        });
      }
      echo.push([name, v]);
    }
    params.set(name, list);
  }
  const count = Math.min(nonNegativeInt('_count', values(query._count)[0], DEFAULT_COUNT, issues), MAX_COUNT);
  const offset = nonNegativeInt('_offset', values(query._offset)[0], 0, issues);
  if (issues.length > 0) throw invalidRequest(issues);
  return { params, page: { count, offset }, echo };
}

export interface TokenParam {
  system: string | undefined;
  value: string | undefined;
}

/** `system|value`, `|value` (no system), `system|` (any value of it), or `value` (any system). */
export function parseToken(s: string): TokenParam {
  const bar = s.indexOf('|');
  if (bar < 0) return { system: undefined, value: s };
  const system = s.slice(0, bar);
  const value = s.slice(bar + 1);
  return { system, value: value === '' ? undefined : value };
}

/** Alternatives of one parameter value (comma = OR). */
export function alternatives(s: string): string[] {
  return s.split(',').filter((x) => x.length > 0);
}

/** Whether an identifier matches a token. A token with an empty system (`|value`) matches only identifiers without one. */
export function tokenMatches(
  token: TokenParam,
  identifier: { system?: string | undefined; value?: string | undefined },
): boolean {
  if (token.system !== undefined && token.system !== (identifier.system ?? '')) return false;
  return token.value === undefined || token.value === identifier.value;
}

/** The id a reference parameter names for a type: `Type/id`, an absolute URL ending so, or a bare id. */
export function referenceId(s: string, type: string): string | null {
  const m = s.match(new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})$`, 'u'));
  if (m?.[1]) return m[1];
  return /^[A-Za-z0-9\-.]{1,64}$/u.test(s) ? s : null;
}

/** Whether a date or instant (ISO text) satisfies a date parameter, compared at the parameter's precision. */
export function dateMatches(actual: string, param: string): boolean {
  const m = param.match(DATE_PARAM);
  if (!m?.[2]) return false;
  const value = m[2];
  const head = actual.slice(0, value.length);
  switch (m[1] ?? 'eq') {
    case 'eq':
      return head === value;
    case 'ne':
      return head !== value;
    case 'gt':
      return head > value;
    case 'ge':
      return head >= value;
    case 'lt':
      return head < value;
    default:
      return head <= value;
  }
}
