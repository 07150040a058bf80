import { z } from 'zod';
import { CERTIFICATE_APPLICATION_REASONS } from '../domain/applications.js';
import type { ExOfficioReason, SkipReason } from '../domain/issuance.js';
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
export type ReissueInput = z.output<typeof reissueSchema>;
export type CollectInput = z.output<typeof collectSchema>;
export type ReportLostInput = z.output<typeof reportLostSchema>;

// --- answers ------------------------------------------------------------------------------------------

export const certificateParamsSchema = z.strictObject({ id: z.string().min(1).max(100).describe('certificate id') });
export const runParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });
export const certificateQuerySchema = z.strictObject({ asOf: isoDate.optional() });

/** Why the ex-officio run issues (domain/issuance.ts `ExOfficioReason`). */
export const exOfficioReasonSchema = z.enum([
  'no_card',
  'not_registered',
  'registration_cancelled',
  'cert_expired',
  'card_returned',
]) satisfies z.ZodType<ExOfficioReason>;
/** Why it does not (domain/issuance.ts `SkipReason`). */
export const skipReasonSchema = z.enum([
  'usable_myna_card',
  'valid_legacy_card',
  'already_has_certificate',
  'not_eligible',
  'on_application_policy',
]) satisfies z.ZodType<SkipReason>;

export const issuedEntrySchema = z.object({
  memberId: z.string(),
  certificateId: z.string().nullable().describe('null in a dry run'),
  reason: exOfficioReasonSchema,
  validUntil: z.string(),
});
export type IssuedEntry = z.output<typeof issuedEntrySchema>;

export const skippedEntrySchema = z.object({ memberId: z.string(), reason: skipReasonSchema });
export type SkippedEntry = z.output<typeof skippedEntrySchema>;

export const exOfficioRunAnswerSchema = z.object({
  runId: z.string().nullable().describe('null in a dry run'),
  insurerNumber: z.string(),
  asOf: z.string(),
  dryRun: z.boolean(),
  resumed: z.boolean().describe('true when this call finished a run an earlier call had left unfinished'),
  issued: z.array(issuedEntrySchema),
  skipped: z.array(skippedEntrySchema),
});
export type ExOfficioRunResult = z.output<typeof exOfficioRunAnswerSchema>;

/** A run read back later: its answer and its state. */
export const exOfficioRunViewSchema = exOfficioRunAnswerSchema.extend({
  state: z.enum(['running', 'finished']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ExOfficioRunView = z.output<typeof exOfficioRunViewSchema>;

export const certificateKindSchema = z.enum(['ex_officio', 'on_application', 'reissue']);

/** The answer to an accepted application or reissue. */
export const certificateIssuedSchema = z.object({
  applicationId: z.string(),
  certificateId: z.string(),
  memberId: z.string(),
  reason: z.string(),
  kind: certificateKindSchema,
  issuedOn: z.string(),
  validUntil: z.string(),
  feeYen: z.number().describe('再交付手数料 charged (non-refundable); 0 unless a reissue'),
  supersedesId: z.string().nullable(),
  legacyCardLost: z
    .object({
      recordedLostOn: z
        .string()
        .nullable()
        .describe('the legacy 健康保険証 recorded as lost (滅失・き損) from this day'),
      advice: z.enum(['certificate_issued', 'use_myna_card', 'certificate_held', 'not_covered', 'apply_other_reason']),
    })
    .optional()
    .describe('reason legacy_card_lost only: the 滅失・き損届 recorded with the application'),
});
export type CertificateIssued = z.output<typeof certificateIssuedSchema>;

export const certificateStatusSchema = z.enum(['usable', 'not_yet_issued', 'reported_lost', 'collected', 'expired']);
export type CertificateStatus = z.output<typeof certificateStatusSchema>;

/** A 資格確認書 as the association sees it (no personal data beyond the member id). */
export const certificateViewSchema = z.object({
  certificateId: z.string(),
  memberId: z.string(),
  insurerNumber: z.string(),
  issuedOn: z.string(),
  validUntil: z.string(),
  reason: z.string(),
  kind: certificateKindSchema,
  feeYen: z.number(),
  supersedesId: z.string().nullable(),
  collectedOn: z.string().nullable(),
  collectionReason: z
    .enum(['loss', 'dependent_remove', 'name_change', 'number_change', 'superseded', 'returned'])
    .nullable(),
  reportedLostOn: z.string().nullable(),
  runId: z.string().nullable(),
  applicationId: z.string().nullable(),
  /** Its state on `asOf` (RULES.md §1, `eligibilityCertificateProof`). */
  status: certificateStatusSchema,
  asOf: z.string(),
});
export type CertificateView = z.output<typeof certificateViewSchema>;

export const collectionAnswerSchema = z.object({
  certificate: certificateViewSchema,
  replacement: certificateViewSchema
    .nullable()
    .describe('the replacement issued for a name or number change, else null'),
});
export type CollectionResult = z.output<typeof collectionAnswerSchema>;
