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
