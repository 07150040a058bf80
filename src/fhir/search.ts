/**
 * Search parameters (FHIR search.html), as far as we serve them: token (`system|value`, comma = OR),
 * reference (`Type/id`), date (eq/ne/gt/ge/lt/le on a YYYY[-MM[-DD[Thh:mm…]]] prefix). Repeating a parameter
 * ANDs it. Unknown parameters and modifiers are refused (strict handling) rather than silently
 * ignored, so a typo cannot widen what a provider is shown. Pure.
 */
import { DEFAULT_COUNT, MAX_COUNT, type Page, type ResultParams } from './bundle.js';
import { SEARCH_PARAMS } from './capability.js';
import { type FhirIssue, invalidRequest } from './operation-outcome.js';
import { canonicalSystem } from './systems.js';

export type SearchableType = keyof typeof SEARCH_PARAMS;

/** The snapshot cursor a search's links carry, so that paging does not shift (bundle.ts). */
export const SNAPSHOT_PARAM = '_snapshot';

/** Result parameters we serve: they shape the answer, never widen what it is drawn from. */
const RESULT_PARAMS = new Set(['_summary', '_total', '_elements', '_sort']);

const DATE_PARAM =
  /^(eq|ne|gt|ge|lt|le)?(\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?)$/u;

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/**
 * A date parameter's prefix and value. A value with a time is restated in UTC (how instants are
 * stored) at its own precision: minutes, seconds or milliseconds. Null when malformed.
 */
export function dateParam(param: string): { prefix: DatePrefix; value: string } | null {
  const m = param.match(DATE_PARAM);
  if (!m?.[2]) return null;
  const prefix = (m[1] ?? 'eq') as DatePrefix;
  const raw = m[2];
  const t = raw.indexOf('T');
  if (t < 0) return { prefix, value: raw };
  const instant = new Date(raw);
  if (Number.isNaN(instant.getTime())) return null;
  const clock = raw.slice(t + 1).replace(/(?:Z|[+-]\d{2}:\d{2})$/u, '');
  const precision = clock.length <= 5 ? 16 : clock.includes('.') ? 23 : 19;
  return { prefix, value: instant.toISOString().slice(0, precision) };
}

/** Parameters every search accepts besides its own and the result parameters below. */
const CONTROL = new Set(['_count', '_offset', '_format', '_pretty', SNAPSHOT_PARAM]);

/**
 * Result parameters we do not serve. They only shape the answer (never what it is drawn from), so
 * `Prefer: handling=lenient` may drop them; unknown filters stay refused in either mode.
 */
const UNSERVED_RESULT_PARAMS = new Set(['_include', '_revinclude', '_contained', '_containedType', '_graph']);

/** Sort keys each type accepts (`-` for descending); without `_sort`, the type's own order. */
const SORT_KEYS: Record<SearchableType, readonly string[]> = {
  Patient: ['_id'],
  Coverage: ['_id'],
  Organization: ['_id'],
  CodeSystem: ['_id'],
  AuditEvent: ['_id', 'date'],
};

export interface ParsedSearch {
  /** Each parameter's values (one per repetition). */
  params: Map<string, string[]>;
  page: Page;
  /** The search's own parameters and result parameters, for the Bundle's links. */
  echo: Array<[string, string]>;
  result: ResultParams;
  /** The snapshot the first page was drawn from (SNAPSHOT_PARAM), when the client follows a link. */
  snapshot?: string | undefined;
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

function refused(issues: FhirIssue[], name: string, en: string, ja: string): void {
  issues.push({ code: 'VALIDATION_FAILED', expression: name, ja: `${name}: ${ja}`, en: `${name}: ${en}` });
}

/** Reads _summary, _total, _elements and _sort; each one given is echoed in the links. */
function resultParams(
  type: SearchableType,
  query: Record<string, unknown>,
  echo: Array<[string, string]>,
  issues: FhirIssue[],
): ResultParams {
  const result: ResultParams = { countOnly: false, total: true };
  const one = (name: string): string | undefined => {
    const v = values(query[name])[0];
    if (v !== undefined) echo.push([name, v]);
    return v;
  };
  const summary = one('_summary');
  if (summary === 'count') result.countOnly = true;
  else if (summary !== undefined && summary !== 'false' && summary !== 'data') {
    refused(issues, '_summary', 'only count, data and false are served', 'count、data、falseのみ指定できます');
  }
  const total = one('_total');
  if (total === 'none') result.total = false;
  else if (total !== undefined && total !== 'estimate' && total !== 'accurate') {
    refused(issues, '_total', 'must be none, estimate or accurate', 'none、estimate、accurateのいずれかです');
  }
  const elements = one('_elements');
  if (elements !== undefined) {
    const names = alternatives(elements);
    if (names.every((n) => /^[a-z][A-Za-z0-9]*$/u.test(n))) result.elements = names;
    else
      refused(
        issues,
        '_elements',
        'a comma-separated list of top-level elements',
        '最上位の要素名をカンマ区切りで指定します',
      );
  }
  const sort = one('_sort');
  if (sort !== undefined) {
    const descending = sort.startsWith('-');
    const key = descending ? sort.slice(1) : sort;
    if (SORT_KEYS[type].includes(key)) result.sort = { key, descending };
    else {
      const keys = SORT_KEYS[type].join(', ');
      refused(issues, '_sort', `${type} sorts by ${keys} (- for descending)`, `${type}の並べ替えは${keys}です`);
    }
  }
  return result;
}

export interface SearchOptions {
  /** `Prefer: handling=lenient`: unserved result parameters are dropped instead of refused. */
  lenient?: boolean;
}

/** Reads a query (Fastify's: a repeated key gives an array) for a resource type; throws on any problem. */
export function parseSearch(
  type: SearchableType,
  query: Record<string, unknown>,
  options: SearchOptions = {},
): ParsedSearch {
  const allowed: Record<string, string> = SEARCH_PARAMS[type];
  const issues: FhirIssue[] = [];
  const params = new Map<string, string[]>();
  const echo: Array<[string, string]> = [];
  for (const [name, raw] of Object.entries(query)) {
    if (CONTROL.has(name) || RESULT_PARAMS.has(name)) continue;
    if (options.lenient && UNSERVED_RESULT_PARAMS.has(name)) continue;
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
      if (allowed[name] === 'date' && !dateParam(v)) {
        issues.push({
          code: 'VALIDATION_DATE',
          expression: name,
          ja: `${name}の日付が正しくありません`,
          en: `${name} must be [prefix]YYYY[-MM[-DD[Thh:mm[:ss]+zone]]]`,
        });
      }
      echo.push([name, v]);
    }
    params.set(name, list);
  }
  const result = resultParams(type, query, echo, issues);
  const count = Math.min(nonNegativeInt('_count', values(query._count)[0], DEFAULT_COUNT, issues), MAX_COUNT);
  const offset = nonNegativeInt('_offset', values(query._offset)[0], 0, issues);
  const snapshot = values(query[SNAPSHOT_PARAM])[0];
  if (snapshot !== undefined && !/^[0-9A-Za-z:.-]{1,40}$/u.test(snapshot)) {
    refused(issues, SNAPSHOT_PARAM, 'is a cursor from a previous page’s links', '前のページのリンクにあるカーソルです');
  }
  if (issues.length > 0) throw invalidRequest(issues);
  if (count === 0) result.countOnly = true;
  return { params, page: { count, offset }, echo, result, snapshot };
}

export interface TokenParam {
  system: string | undefined;
  value: string | undefined;
}

/**
 * `system|value`, `|value` (no system), `system|` (any value of it), or `value` (any system). JP
 * Core's OID forms of a system are read as its URL form.
 */
export function parseToken(s: string): TokenParam {
  const bar = s.indexOf('|');
  if (bar < 0) return { system: undefined, value: s };
  const system = canonicalSystem(s.slice(0, bar));
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
  const parsed = dateParam(param);
  if (!parsed) return false;
  // A date (no time) against an instant: compared by its day.
  const value = actual.length <= 10 ? parsed.value.slice(0, 10) : parsed.value;
  const head = actual.slice(0, value.length);
  switch (parsed.prefix) {
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
