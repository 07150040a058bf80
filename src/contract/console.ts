/**
 * The answers of the screens' own routes (issue #4): who a token is, an association's dashboard, a
 * member's timeline, the application queue and the CSV upload report.
 */
import { z } from 'zod';
import { applicationViewSchema } from './applications.js';
import { insurerNumber, isoDate } from './common.js';
import { memberSummarySchema } from './members.js';
import { acceptedRowSchema, batchReportSchema, notificationJobSchema, rowErrorSchema } from './notifications.js';

export const roleSchema = z.enum(['operator', 'admin', 'employer', 'provider', 'member']);

export const whoAmISchema = z.object({
  role: roleSchema,
  insurerNumber: z.string().nullable(),
  insurerName: z.string().nullable(),
  employerSymbol: z.string().nullable(),
  providerCode: z.string().nullable(),
  memberId: z.string().nullable(),
  /** Today in Japan by the server's clock: the screens' default "as of" day. */
  today: z.string(),
});
export type WhoAmI = z.output<typeof whoAmISchema>;

export const memberRefSchema = memberSummarySchema.pick({
  memberId: true,
  symbol: true,
  number: true,
  branch: true,
  name: true,
  nameKana: true,
});
export type MemberRef = z.output<typeof memberRefSchema>;

/** Variant kanji or small kana that explain a difference from the resident record (RULES.md §8). */
export const nearMatchSchema = z.object({
  field: z.enum(['name', 'nameKana']),
  index: z.number(),
  given: z.string(),
  recorded: z.string(),
});

export const mismatchEntrySchema = memberRefSchema.extend({
  fields: z.array(z.string()),
  nearMatch: z.array(nearMatchSchema),
  recordedOn: z.string(),
});
export type MismatchEntry = z.output<typeof mismatchEntrySchema>;

export const expiringCertificateSchema = memberRefSchema.extend({ certificateId: z.string(), validUntil: z.string() });
export type ExpiringCertificate = z.output<typeof expiringCertificateSchema>;

export const dashboardParamsSchema = z.strictObject({ insurerNumber });
export const dashboardQuerySchema = z.strictObject({ asOf: isoDate.optional() });

export const dashboardSchema = z.object({
  insurerNumber: z.string(),
  insurerName: z.string(),
  asOf: z.string(),
  members: z.object({
    covered: z.number(),
    insured: z.number(),
    dependents: z.number(),
    lost: z.number(),
    notStarted: z.number(),
  }),
  hub: z.object({ registered: z.number(), pending: z.number(), mismatch: z.number(), noMyNumber: z.number() }),
  /** Covered members whose association holds no My Number: the hub cannot find them by card. */
  withoutMyNumber: z.array(memberRefSchema),
  mismatches: z.array(mismatchEntrySchema),
  /** 資格確認書 (the member's current one) whose validity ends within 3 months of asOf. */
  certificatesExpiring: z.array(expiringCertificateSchema),
  /** Applications received and not yet decided. */
  applicationsPending: z.number(),
});
export type Dashboard = z.output<typeof dashboardSchema>;

export const timelineKindSchema = z.enum([
  'acquired',
  'lost',
  'notification',
  'hub',
  'legacy_card',
  'card',
  'card_registration',
  'certificate',
  'notice',
  'verification',
]);
export type TimelineKind = z.output<typeof timelineKindSchema>;

/**
 * One fact of a member's life. `on` is the day it is about (valid time); `recordedOn` the day the
 * registry or the hub learnt it (transaction time): "as of D" shows the events with `recordedOn <= D`.
 */
export const timelineEventSchema = z.object({
  on: z.string().describe('the day the fact is about (valid time)'),
  recordedOn: z.string().describe('the day it became known (transaction time)'),
  kind: timelineKindSchema,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
});
export type TimelineEvent = z.output<typeof timelineEventSchema>;

export const timelineParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

export const timelineSchema = z.object({ memberId: z.string(), events: z.array(timelineEventSchema) });
export type Timeline = z.output<typeof timelineSchema>;

export const queuedApplicationSchema = applicationViewSchema
  .omit({ certification: true })
  .extend({ member: memberRefSchema })
  .describe('an application (as GET /api/v1/applications/{id}, without the certification) and its member');
export type QueuedApplication = z.output<typeof queuedApplicationSchema>;

export const applicationQueueSchema = z.object({ items: z.array(queuedApplicationSchema) });
export type ApplicationQueue = z.output<typeof applicationQueueSchema>;

export const uploadQuerySchema = z.strictObject({ recordedOn: isoDate.optional() });

export const uploadRowSchema = z.union([
  acceptedRowSchema,
  z.object({
    line: z.number(),
    ok: z.literal(false),
    error: rowErrorSchema,
    columns: z.array(z.string()).describe('the CSV columns (as labelled in the header) the error points at'),
  }),
]);
export type UploadRow = z.output<typeof uploadRowSchema>;

export const csvUploadReportSchema = z.object({
  total: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  /** Accepted rows written now; the rest of the accepted were imported before (replayed). */
  written: z.number(),
  replayed: z.number(),
  rows: z.array(uploadRowSchema),
});
export type CsvUploadReport = z.output<typeof csvUploadReportSchema>;

/**
 * An upload of more data rows than the job threshold, answered 202 and recorded in the background
 * (issue #19 §1); poll `GET /api/v1/notifications/jobs/{id}`. Rows refused while the file was read
 * count as processed from the start; `report`, once done, is the synchronous upload's answer.
 */
export const csvUploadJobSchema = notificationJobSchema.extend({
  source: z.literal('csv').describe("a CSV upload (a JSON batch's job has no source)"),
  report: csvUploadReportSchema.optional().describe('when done: the same report a synchronous upload answers'),
});
export type CsvUploadJob = z.output<typeof csvUploadJobSchema>;

/**
 * `GET /api/v1/notifications/jobs/{id}`: an upload's job (source csv, the upload's report) or a JSON
 * batch's (no source, the batch's report). One object, so the document shows its fields.
 */
export const notificationJobAnswerSchema = notificationJobSchema.extend({
  source: csvUploadJobSchema.shape.source.optional(),
  report: z
    .union([csvUploadReportSchema, batchReportSchema])
    .optional()
    .describe("when done: the synchronous answer, an upload's or a batch's"),
});
export type NotificationJobAnswer = z.output<typeof notificationJobAnswerSchema>;

/** GET /api/v1/insurers/{insurerNumber}/dependents-losing-cover: the window looked at. */
export const coverEndsQuerySchema = z.strictObject({
  asOf: isoDate.optional().describe('first day of the window (default today in Japan)'),
  until: isoDate.optional().describe('last day of the window (default asOf + 3 months)'),
});

/** A dependent whose cover ends with their insured's (issue #16 point 2): who must be told, and why. */
export const dependentCoverLossSchema = memberRefSchema.extend({
  insured: memberRefSchema,
  endsOn: z.string().describe('first day not covered (the insured’s 75th birthday, death or loss)'),
  cause: z.enum(['insured_loss', 'insured_death', 'insured_75']),
  mustJoinOtherInsurance: z.literal(true).describe('to be told to join 国保 or another insurer'),
  certificatesToCollect: z.array(z.string()).describe('資格確認書 still held, to be collected from endsOn'),
});
export type DependentCoverLoss = z.output<typeof dependentCoverLossSchema>;

export const dependentsLosingCoverSchema = z.object({
  insurerNumber: z.string(),
  asOf: z.string(),
  until: z.string(),
  dependents: z.array(dependentCoverLossSchema),
});
export type DependentsLosingCover = z.output<typeof dependentsLosingCoverSchema>;
