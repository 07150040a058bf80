import { z } from 'zod';
import { ERRORS, type ErrorCode } from '../domain/codes.js';
import * as s from './common.js';
import { hubStatusSchema } from './members.js';
import { addressText, kanaName, kanjiName } from './residents.js';

// --- request schemas (shared by the API, the JSON batch and the CSV import) -----------------------

/** 標準報酬月額 in yen. */
const remuneration = z.number().int().min(1).max(10_000_000);

const common = {
  insurerNumber: s.insurerNumber,
  /** The day the association registered the data (default: today in Japan). */
  recordedOn: s.isoDate.optional(),
  /** Our compatible extension: the same key answers the first result and writes nothing. */
  idempotencyKey: s.plainText().min(1).max(200).optional(),
};

export const personSchema = z.strictObject({
  /** Optional: without it the member exists but the hub cannot register them (RULES.md §5). */
  myNumber: s.myNumber.optional(),
  name: kanjiName,
  nameKana: kanaName,
  birthDate: s.isoDate,
  sex: s.sex,
  address: addressText.optional(),
});
export type PersonInput = z.output<typeof personSchema>;

const acquisitionSchema = z.strictObject({
  kind: z.literal('acquisition'),
  ...common,
  relationship: z.literal('insured').optional(),
  symbol: s.symbol,
  number: s.memberNumber.optional(),
  branch: s.branch.optional(),
  acquiredOn: s.isoDate,
  standardMonthlyRemuneration: remuneration.optional(),
  person: personSchema,
  /** The "資格確認書の交付希望" box (seed 002): the member asks for a 資格確認書 (issue #16 point 7). */
  certificateRequested: z.boolean().optional(),
});

const dependentAddSchema = z.strictObject({
  kind: z.literal('dependent_add'),
  ...common,
  relationship: z.literal('dependent').optional(),
  insured: z.strictObject({ symbol: s.symbol, number: s.memberNumber }),
  branch: s.branch.optional(),
  acquiredOn: s.isoDate,
  person: personSchema,
  /** The "資格確認書の交付希望" box (seed 002): the member asks for a 資格確認書 (issue #16 point 7). */
  certificateRequested: z.boolean().optional(),
});

const lossSchema = z.strictObject({
  kind: z.literal('loss'),
  ...common,
  symbol: s.symbol,
  number: s.memberNumber,
  branch: s.branch.optional(),
  lostOn: s.isoDate,
  /** 死亡: lostOn is then the day after the death (健保法 §36 一); dependents' cover ends the same day. */
  lossReason: z.enum(['death', 'other']).optional().describe('death, or other (default: not told)'),
});

const dependentRemoveSchema = z.strictObject({
  kind: z.literal('dependent_remove'),
  ...common,
  symbol: s.symbol,
  number: s.memberNumber,
  branch: s.branch,
  lostOn: s.isoDate,
});

const CHANGE_FIELDS = [
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'address',
  'standardMonthlyRemuneration',
  'myNumber',
] as const;

const changeSchema = z
  .strictObject({
    kind: z.literal('change'),
    ...common,
    symbol: s.symbol,
    number: s.memberNumber,
    branch: s.branch.optional(),
    name: kanjiName.optional(),
    nameKana: kanaName.optional(),
    birthDate: s.isoDate.optional(),
    sex: s.sex.optional(),
    address: addressText.optional(),
    standardMonthlyRemuneration: remuneration.optional(),
    /** A My Number supplied later: the new version is registered at the hub. */
    myNumber: s.myNumber.optional(),
  })
  .refine((c) => CHANGE_FIELDS.some((f) => c[f] !== undefined), {
    message: `a change needs at least one of ${CHANGE_FIELDS.join(', ')}`,
  });

/** One notification (DESIGN.md §5.2). Unknown fields are rejected (VALIDATION_UNKNOWN_FIELD). */
export const notificationSchema = z.discriminatedUnion('kind', [
  acquisitionSchema,
  dependentAddSchema,
  lossSchema,
  dependentRemoveSchema,
  changeSchema,
]);
export type NotificationInput = z.output<typeof notificationSchema>;
export type NotificationKind = NotificationInput['kind'];

/** `POST /api/v1/notifications:batch`: rows validated one by one, so a bad row fails alone. */
export const notificationBatchSchema = z
  .array(z.unknown())
  .min(1)
  .max(10_000)
  .describe('notifications, each as for POST /api/v1/notifications');

// --- answers --------------------------------------------------------------------------------------

/** The answer to a notification (DESIGN.md §5.0), plus the notification id and the staff hint. */
export const notificationResultSchema = z.object({
  notificationId: z.string(),
  memberId: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  hubStatus: hubStatusSchema,
  hubAvailableOn: z.string().describe('the hub answers for this registration from this day'),
  /** When the hub registration failed: field names and, for near-match names, the staff hint. */
  mismatch: z
    .object({
      fields: z
        .array(z.enum(['name', 'nameKana', 'birthDate', 'sex', 'address', 'residentRecord']))
        .describe('resident-record fields that differ (names only)'),
      nearMatch: z
        .array(
          z.object({
            field: z.enum(['name', 'nameKana']),
            index: z.number(),
            given: z.string(),
            recorded: z.string(),
          }),
        )
        .describe('variant kanji / small kana: the characters given vs recorded, for the staff to decide'),
    })
    .optional(),
  endedDependents: z.array(z.string()).optional().describe('the loss of an insured: the dependents it ended'),
});
export type NotificationResult = z.output<typeof notificationResultSchema>;

const errorCode = z.enum(Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]]);

export const fieldErrorSchema = z.object({ path: z.string(), code: errorCode, message: z.string() });
export type FieldError = z.output<typeof fieldErrorSchema>;

/** A failed row: the stable code with both messages (as in problem+json), and the field errors. */
export const rowErrorSchema = z.object({
  code: errorCode,
  ja: z.string(),
  en: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
});
export type RowError = z.output<typeof rowErrorSchema>;

/** An accepted row of a batch or CSV upload: its answer, and whether it was imported before (replayed). */
export const acceptedRowSchema = z.object({
  line: z.number(),
  ok: z.literal(true),
  result: notificationResultSchema,
  replayed: z.literal(true).optional(),
});

export const rowOutcomeSchema = z.union([
  acceptedRowSchema,
  z.object({ line: z.number(), ok: z.literal(false), error: rowErrorSchema }),
]);
export type RowOutcome = z.output<typeof rowOutcomeSchema>;

/** Lines count from 1. */
export const batchReportSchema = z.object({
  accepted: z.number(),
  rejected: z.number(),
  rows: z.array(rowOutcomeSchema),
});
export type BatchReport = z.output<typeof batchReportSchema>;

/**
 * A batch above the job threshold, answered 202 and run in the background (issue #19 §1); poll
 * `GET /api/v1/notifications/jobs/{id}`. `report` is the synchronous batch's answer, once done.
 */
export const notificationJobSchema = z.object({
  jobId: z.string(),
  status: z.enum(['queued', 'running', 'done']),
  total: z.number(),
  processed: z.number().describe('rows whose outcome is recorded'),
  accepted: z.number(),
  rejected: z.number(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  report: batchReportSchema.optional().describe('when done: the same report a synchronous batch answers'),
});
export type NotificationJob = z.output<typeof notificationJobSchema>;

export const notificationJobParamsSchema = z.object({ id: z.string().min(1).max(100) });
