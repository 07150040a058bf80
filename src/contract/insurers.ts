import { z } from 'zod';
import { insurerNumber, isoDate } from './common.js';

export const insurerSchema = z.strictObject({
  insurerNumber,
  name: z.string().trim().min(1).max(200),
  /** 資格確認書 validity: years from issue (1–5) or a fixed last day (RULES.md §1). */
  certificatePolicy: z.union([
    z.strictObject({ validYears: z.number().int().min(1).max(5) }),
    z.strictObject({ validUntil: isoDate }),
  ]),
  /** Fee for a reissued 資格確認書, in yen (seed 000: 500). */
  reissueFeeYen: z.number().int().min(0).max(100_000),
  /** RULES.md §2: how a new member from 2024-12-02 gets a 資格確認書. */
  newMemberCertificate: z.enum(['on_application', 'ex_officio']),
});
export type InsurerInput = z.output<typeof insurerSchema>;

/** An association as registered; the number is not re-checked on the way out. */
export const insurerAnswerSchema = insurerSchema.extend({ insurerNumber: z.string() });
export type Insurer = z.output<typeof insurerAnswerSchema>;
