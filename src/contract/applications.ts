import { z } from 'zod';
import { isoDate } from './common.js';

const memberId = z.string().min(1).max(100);
/** The day the association received the application (default: today in Japan). */
const recordedOn = isoDate.optional();

export const applicationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('limit_certification'), memberId, recordedOn }),
  z.strictObject({ kind: z.literal('reduced_limit_certification'), memberId, recordedOn }),
  z.strictObject({
    kind: z.literal('specific_disease'),
    memberId,
    recordedOn,
    disease: z.enum(['dialysis', 'hemophilia', 'hiv']),
  }),
  z.strictObject({ kind: z.literal('registration_cancellation'), memberId, recordedOn }),
  z.strictObject({
    kind: z.literal('notice_reissue'),
    memberId,
    recordedOn,
    /** Whether the member can see their qualification in the portal: the お知らせ is reissued only when not. */
    portalUsable: z.boolean(),
  }),
]);
export type ApplicationInput = z.output<typeof applicationSchema>;

export const approveSchema = z.strictObject({
  /** Default: today in Japan; not before the day received. */
  decidedOn: isoDate.optional(),
  /** Certifications: first day of validity (default: the 1st of the month received). */
  validFrom: isoDate.optional(),
  /** Certifications: last day of validity (default: one year for the limit ones, none for 特定疾病). */
  validUntil: isoDate.optional(),
  /** 減額認定 only: オ (under 70), 低所得Ⅱ or 低所得Ⅰ (70–74). */
  category: z.enum(['オ', '低所得Ⅱ', '低所得Ⅰ']).optional(),
});
export type ApproveInput = z.output<typeof approveSchema>;

export const refuseSchema = z.strictObject({
  decidedOn: isoDate.optional(),
  /** The association's own reason code (capitals, digits, underscores), default REFUSED_BY_INSURER. */
  refusalCode: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{2,49}$/, 'expected an upper-case code such as INCOME_ABOVE_LIMIT')
    .optional(),
});
export type RefuseInput = z.output<typeof refuseSchema>;
