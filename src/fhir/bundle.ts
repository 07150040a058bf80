/**
 * Search results as a `searchset` Bundle, paged by `_count` and `_offset` (links self / next /
 * previous carry the same search). Pure.
 */
import type { Bundle, BundleLink, Resource } from '@medplum/fhirtypes';

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 100;

export interface Page {
  count: number;
  offset: number;
}

export interface SearchSetOptions {
  /** Absolute base, e.g. http://host/fhir/R4. */
  base: string;
  /** The resource type searched (for the links). */
  type: string;
  /** The search parameters given, without _count and _offset. */
  params: ReadonlyArray<readonly [string, string]>;
  page: Page;
}

function link(relation: string, o: SearchSetOptions, offset: number): BundleLink {
  const query = new URLSearchParams([
    ...o.params.map(([k, v]): [string, string] => [k, v]),
    ['_count', String(o.page.count)],
  ]);
  if (offset > 0) query.set('_offset', String(offset));
  return { relation, url: `${o.base}/${o.type}?${query.toString()}` };
}

/** One page of results (`entries`, in answer order) as a searchset Bundle; `total` counts every match. */
export function searchSet(entries: readonly Resource[], total: number, o: SearchSetOptions): Bundle {
  const { count, offset } = o.page;
  const links = [link('self', o, offset)];
  if (offset + count < total) links.push(link('next', o, offset + count));
  if (offset > 0) links.push(link('previous', o, Math.max(0, offset - count)));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: links,
    entry: entries.map((resource) => ({
      fullUrl: `${o.base}/${resource.resourceType}/${resource.id ?? ''}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

/** The slice of `all` a page shows. */
export function pageOf<T>(all: readonly T[], page: Page): T[] {
  return all.slice(page.offset, page.offset + page.count);
}
