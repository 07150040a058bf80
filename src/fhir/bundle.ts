/**
 * Search results as a `searchset` Bundle, paged by `_count` and `_offset`; links self / next /
 * previous carry the same search, its result parameters and the snapshot it is drawn from, so a
 * verification landing between two pages shifts nothing. Pure.
 */
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 100;

export interface Page {
  count: number;
  offset: number;
}

/** How the answer is shaped (search.ts reads them): none of these widens what a search draws from. */
export interface ResultParams {
  /** `_summary=count` or `_count=0`: the total only. */
  countOnly: boolean;
  /** False for `_total=none`. */
  total: boolean;
  /** `_elements`: the top-level elements kept (besides resourceType, id and meta). */
  elements?: string[] | undefined;
  sort?: { key: string; descending: boolean } | undefined;
}

export interface SearchSetOptions {
  /** Absolute base, e.g. https://host/fhir/R4. */
  base: string;
  /** The resource type searched (for the links). */
  type: string;
  /** The search and result parameters given, without _count, _offset and the snapshot. */
  params: ReadonlyArray<readonly [string, string]>;
  page: Page;
  result?: ResultParams | undefined;
  /** The snapshot cursor (name and value) the links carry. */
  snapshot?: readonly [string, string] | undefined;
}

function link(relation: string, o: SearchSetOptions, offset: number): BundleLink {
  const query = new URLSearchParams([
    ...o.params.map(([k, v]): [string, string] => [k, v]),
    ['_count', String(o.page.count)],
  ]);
  if (offset > 0) query.set('_offset', String(offset));
  if (o.snapshot) query.set(o.snapshot[0], o.snapshot[1]);
  return { relation, url: `${o.base}/${o.type}?${query.toString()}` };
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED' };

/** A resource reduced to `elements` (FHIR `_elements`), marked SUBSETTED as FHIR asks. */
export function subset<T extends Resource>(resource: T, elements: readonly string[]): T {
  const kept: Record<string, unknown> = { resourceType: resource.resourceType, id: resource.id };
  for (const name of elements) {
    const value = (resource as unknown as Record<string, unknown>)[name];
    if (value !== undefined) kept[name] = value;
  }
  kept.meta = { ...resource.meta, tag: [...(resource.meta?.tag ?? []), SUBSETTED] };
  return kept as unknown as T;
}

/** One page of results (`entries`, in answer order) as a searchset Bundle; `total` counts every match. */
export function searchSet(entries: readonly Resource[], total: number, o: SearchSetOptions): Bundle {
  const { count, offset } = o.page;
  const result = o.result;
  const links = [link('self', o, offset)];
  // A page of 0 (or a count) has no next: following it would loop on self.
  if (count > 0 && !result?.countOnly && offset + count < total) links.push(link('next', o, offset + count));
  if (offset > 0 && count > 0 && !result?.countOnly) links.push(link('previous', o, Math.max(0, offset - count)));
  const shown = result?.countOnly ? [] : entries;
  const elements = result?.elements;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(result?.total === false ? {} : { total }),
    link: links,
    entry: shown.map((resource) => ({
      fullUrl: `${o.base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource: elements ? subset(resource, elements) : resource,
      search: { mode: 'match' },
    })),
  };
}

/** The slice of `all` a page shows (none for a count). */
export function pageOf<T>(all: readonly T[], page: Page, result?: ResultParams): T[] {
  if (result?.countOnly) return [];
  return all.slice(page.offset, page.offset + page.count);
}

/** `all` in the order `_sort` asks (by a key of each item), or as given. */
export function sorted<T>(all: readonly T[], sort: ResultParams['sort'], keyOf: (item: T, key: string) => string): T[] {
  if (!sort) return [...all];
  const factor = sort.descending ? -1 : 1;
  return [...all].sort((a, b) => {
    const x = keyOf(a, sort.key);
    const y = keyOf(b, sort.key);
    return x < y ? -factor : x > y ? factor : 0;
  });
}
