/**
 * The answers of the screens' own routes (issue #4): who a token is, an association's dashboard, a
 * member's timeline, the application queue and the CSV upload report.
 */
import { z } from 'zod';
import { applicationView } from './applications.js';
import { codedMessage, insurerNumber, isoDate } from './common.js';

export const roleEnum = z.enum(['operator', 'admin', 'employer', 'provider', 'member']);

export const whoAmIAnswer = z.object({
  role: roleEnum,
  insurerNumber: z.string().nullable(),
  insurerName: z.string().nullable(),
  employerSymbol: z.string().nullable(),
  providerCode: z.string().nullable(),
  memberId: z.string().nullable(),
  /** Today in Japan by the server's clock: the screens' default "as of" day. */
  today: z.string(),
});
export type WhoAmI = z.output<typeof whoAmIAnswer>;

export const memberRef = z.object({
  memberId: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  name: z.string(),
  nameKana: z.string(),
});
export type MemberRef = z.output<typeof memberRef>;

/** Variant kanji or small kana that explain a difference from the resident record (RULES.md §8). */
export const nearMatch = z.object({
  field: z.enum(['name', 'nameKana']),
  index: z.number(),
  given: z.string(),
  recorded: z.string(),
});

export const mismatchEntry = memberRef.extend({
  fields: z.array(z.string()),
  nearMatch: z.array(nearMatch),
  recordedOn: z.string(),
});
export type MismatchEntry = z.output<typeof mismatchEntry>;

export const expiringCertificate = memberRef.extend({ certificateId: z.string(), validUntil: z.string() });
export type ExpiringCertificate = z.output<typeof expiringCertificate>;

export const dashboardParams = z.strictObject({ insurerNumber });
export const dashboardQuery = z.strictObject({ asOf: isoDate.optional() });

export const dashboard = z.object({
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
  withoutMyNumber: z.array(memberRef),
  mismatches: z.array(mismatchEntry),
  /** 資格確認書 (the member's current one) whose validity ends within 3 months of asOf. */
  certificatesExpiring: z.array(expiringCertificate),
  /** Applications received and not yet decided. */
  applicationsPending: z.number(),
});
export type Dashboard = z.output<typeof dashboard>;

export const timelineKind = z.enum([
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
export type TimelineKind = z.output<typeof timelineKind>;

/**
 * One fact of a member's life. `on` is the day it is about (valid time); `recordedOn` the day the
 * registry or the hub learnt it (transaction time): "as of D" shows the events with `recordedOn <= D`.
 */
export const timelineEvent = z.object({
  on: z.string().describe('the day the fact is about (valid time)'),
  recordedOn: z.string().describe('the day it became known (transaction time)'),
  kind: timelineKind,
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())])),
});
export type TimelineEvent = z.output<typeof timelineEvent>;

export const timelineParams = z.strictObject({ id: z.string().min(1).max(100) });

export const timeline = z.object({ memberId: z.string(), events: z.array(timelineEvent) });
export type Timeline = z.output<typeof timeline>;

export const queuedApplication = applicationView
  .omit({ certification: true })
  .extend({ member: memberRef })
  .describe('an application (as GET /api/v1/applications/{id}, without the certification) and its member');
export type QueuedApplication = z.output<typeof queuedApplication>;

export const applicationQueue = z.object({ items: z.array(queuedApplication) });
export type ApplicationQueue = z.output<typeof applicationQueue>;

export const uploadQuery = z.strictObject({ recordedOn: isoDate.optional() });

/** A notification accepted from one CSV row (as answered to the JSON route). */
const uploadedNotification = z.object({
  notificationId: z.string(),
  memberId: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  hubStatus: z.enum(['registered', 'mismatch', 'no_my_number']),
  hubAvailableOn: z.string(),
  mismatch: z.object({ fields: z.array(z.string()), nearMatch: z.array(nearMatch) }).optional(),
  endedDependents: z.array(z.string()).optional(),
});

export const uploadRow = z.union([
  z.object({
    line: z.number(),
    ok: z.literal(true),
    result: uploadedNotification,
    replayed: z.literal(true).optional(),
  }),
  z.object({
    line: z.number(),
    ok: z.literal(false),
    error: codedMessage.extend({
      errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
    }),
    columns: z.array(z.string()).describe('the CSV columns (as labelled in the header) the error points at'),
  }),
]);
export type UploadRow = z.output<typeof uploadRow>;

export const csvUploadReport = z.object({
  total: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  /** Accepted rows written now; the rest of the accepted were imported before (replayed). */
  written: z.number(),
  replayed: z.number(),
  rows: z.array(uploadRow),
});
export type CsvUploadReport = z.output<typeof csvUploadReport>;
