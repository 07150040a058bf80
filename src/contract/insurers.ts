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
  /**
   * When legacy 健康保険証 holders without a usable マイナ保険証 get a 資格確認書 ex officio, as dated
   * periods (seed 002: from 2025-07-01; seed 000: null, not before the card ends). Omitted: 2025-07-01.
   */
  transitionPolicy: z
    .array(z.strictObject({ validFrom: isoDate, legacyHolderCertificateFrom: isoDate.nullable() }))
    .min(1)
    .max(20)
    .optional(),
  /** 適用区分・特定疾病区分 for 資格確認書 holders: separate paper (default) or printed on the 資格確認書. */
  categoryPrintPolicy: z.enum(['separate_documents', 'printed_on_certificate']).optional(),
});
export type InsurerInput = z.output<typeof insurerSchema>;

/** An association as registered; the number is not re-checked on the way out. */
export const insurerAnswerSchema = insurerSchema.extend({ insurerNumber: z.string() });
export type Insurer = z.output<typeof insurerAnswerSchema>;
