import { z } from 'zod';
import { CERTIFICATE_APPLICATION_REASONS } from '../domain/applications.js';
import { insurerNumber, isoDate } from './common.js';

export const certificateApplicationSchema = z.strictObject({
  memberId: z.string().min(1).max(100),
  /** One of the 8 reasons (CODES.md); any other string is refused with CERTIFICATE_REASON_INVALID. */
  reason: z
    .string()
    .min(1)
    .max(50)
    .describe(`one of ${CERTIFICATE_APPLICATION_REASONS.join(', ')}`),
  /** The day the association received the application (default: today in Japan). */
  recordedOn: isoDate.optional(),
});
export type CertificateApplicationInput = z.output<typeof certificateApplicationSchema>;

export const reissueSchema = z.strictObject({ recordedOn: isoDate.optional() });

export const collectSchema = z.strictObject({
  /** From this day the certificate is no longer a proof (default: today in Japan). */
  collectedOn: isoDate.optional(),
  /** Why: default `returned` (handed back). A name or number change also issues the replacement. */
  reason: z.enum(['returned', 'loss', 'dependent_remove', 'name_change', 'number_change']).optional(),
});

export const reportLostSchema = z.strictObject({
  /** The day the loss was reported (default: today in Japan). */
  reportedOn: isoDate.optional(),
});

export const exOfficioRunSchema = z.strictObject({
  insurerNumber,
  /** The day the run decides for and issues on (from 2024-12-02). */
  asOf: isoDate,
  /** Decide and answer, write nothing. */
  dryRun: z.boolean().optional(),
});
export type ExOfficioRunInput = z.output<typeof exOfficioRunSchema>;
