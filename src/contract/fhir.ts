import { z } from 'zod';

/**
 * The 2xx answer of every FHIR route: a FHIR R4 resource as `application/fhir+json` (a Bundle for a
 * search or a history). Its shape is FHIR's, validated against the R4 definitions in the tests
 * (src/fhir/r4-validator.test-helper.ts), not restated here; the schema lets every element through.
 */
export const fhirResourceSchema = z.looseObject({ resourceType: z.string() }).meta({
  description: 'A FHIR R4 resource (JP Core profiles where they apply)',
  content: {
    'application/fhir+json': {
      schema: { type: 'object', required: ['resourceType'], properties: { resourceType: { type: 'string' } } },
    },
  },
});

/** `response` of a FHIR route: the resource on 200. */
export const FHIR_RESPONSES = { 200: fhirResourceSchema };
