/**
 * Versions (FHIR http.html#vread, #history): the registry is bitemporal, so each change the
 * association recorded is a version of the member's Patient and Coverage, with `meta.versionId`,
 * `meta.lastUpdated` and a weak ETag. Pure.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';

export interface VersionMeta {
  versionId: string;
  /** ISO instant. */
  lastUpdated: string;
}

/** The ETag of a version (weak, as FHIR http.html#versioning writes it). */
export function etagOf(versionId: string): string {
  return `W/"${versionId}"`;
}

/** `resource` with its version in `meta`; unchanged without one. */
export function versioned<T extends Resource>(resource: T, version: VersionMeta | undefined): T {
  if (!version) return resource;
  return { ...resource, meta: { ...resource.meta, versionId: version.versionId, lastUpdated: version.lastUpdated } };
}

/**
 * A `history` Bundle of one resource's versions, newest first (each already `versioned`): the oldest
 * is the creation (POST, 201), every later one an update (PUT, 200).
 */
export function historyBundle(versions: readonly Resource[], base: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    total: versions.length,
    entry: versions.map((resource, i) => {
      const path = `${resource.resourceType}/${resource.id ?? ''}`;
      const versionId = resource.meta?.versionId ?? '';
      const created = i === versions.length - 1;
      return {
        fullUrl: `${base}/${path}`,
        resource,
        request: { method: created ? 'POST' : 'PUT', url: created ? resource.resourceType : path },
        response: {
          status: created ? '201 Created' : '200 OK',
          etag: etagOf(versionId),
          ...(resource.meta?.lastUpdated ? { lastModified: resource.meta.lastUpdated } : {}),
        },
      };
    }),
  };
}
