/**
 * Content negotiation (FHIR http.html#mime-type): we answer JSON only. `_format` wins over Accept;
 * XML, Turtle or anything else we cannot produce is refused with 406 (FORMAT_NOT_ACCEPTABLE), and a
 * body that is not JSON with 415 (MEDIA_TYPE_UNSUPPORTED), each as an OperationOutcome in JSON.
 */

const JSON_FORMATS = new Set([
  'json',
  'application/json',
  'application/fhir+json',
  'application/json+fhir',
  'text/json',
]);

/** Media types whose body we parse as FHIR JSON; any other body (XML, text/plain, a form…) is 415. */
export const JSON_BODY_TYPES = ['application/fhir+json', 'application/json+fhir', 'application/json'] as const;

function mediaType(s: string): string {
  return (s.split(';')[0] ?? '').trim().toLowerCase();
}

/**
 * Whether we can answer a request in JSON. `_format` (json, xml, ttl or a media type; a `+` may
 * arrive decoded as a space) decides when given; else the Accept header must admit JSON (or be
 * absent, or a wildcard).
 */
export function acceptsJson(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return JSON_FORMATS.has(mediaType(format).replace(' ', '+'));
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const type = mediaType(part);
    return JSON_FORMATS.has(type) || type === '*/*' || type === 'application/*' || type.endsWith('+json');
  });
}
