import { z } from 'zod';
import { insurerNumber, isoDate } from './common.js';

export const noticeRunSchema = z.strictObject({
  insurerNumber,
  /** The day the notices are issued on (交付日) and the burden ratio is stated for. */
  asOf: isoDate,
  /** Only these members (else every member of the association). */
  memberIds: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(),
});
export type NoticeRunInput = z.output<typeof noticeRunSchema>;

export const noticeParamsSchema = z.strictObject({ id: z.string().min(1).max(100) });

export const noticeRunAnswerSchema = z.object({
  insurerNumber: z.string(),
  asOf: z.string(),
  issued: z.array(
    z.object({
      memberId: z.string(),
      noticeId: z.string(),
      changes: z
        .array(z.string())
        .optional()
        .describe(
          'a later お知らせ only, why it was due: acquisition, number_change, branch_change, became_elderly, burden_ratio_change …',
        ),
    }),
  ),
  skipped: z.array(
    z.object({ memberId: z.string(), reason: z.enum(['already_has_notice', 'not_eligible', 'not_found']) }),
  ),
});
export type NoticeRunResult = z.output<typeof noticeRunAnswerSchema>;
