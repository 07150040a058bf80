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
  /** 高齢受給者証の交付申請: a 70–74 資格確認書 holder without a usable マイナ保険証. */
  z.strictObject({ kind: z.literal('elderly_recipient_certificate'), memberId, recordedOn }),
  z.strictObject({
    kind: z.literal('notice_reissue'),
    memberId,
    recordedOn,
    /** Whether the member can see their qualification in the portal: the お知らせ is reissued only when not. */
    portalUsable: z.boolean(),
  }),
  z.strictObject({
    kind: z.literal('standard_income'),
    memberId,
    recordedOn,
    /** 基準収入額適用申請: the insured's 年収 of the year before, in yen. */
    annualIncome: z.number().int().min(0).max(1_000_000_000),
    /** The 年収 of each other 70–74 member of the household (none: omit). */
    otherElderlyIncomes: z.array(z.number().int().min(0).max(1_000_000_000)).max(10).optional(),
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

// --- answers ------------------------------------------------------------------------------------------

export const applicationParamsSchema = z.strictObject({ id: z.string().min(1).max(100).describe('application id') });

export const applicationKindSchema = z.enum([
  'certificate',
  'limit_certification',
  'reduced_limit_certification',
  'specific_disease',
  'registration_cancellation',
  'notice_reissue',
  'standard_income',
  'elderly_recipient_certificate',
]);
export const applicationStateSchema = z.enum(['received', 'approved', 'refused']);

/** What approval of a certification gave: its validity, and the category or disease. */
export const certificationTermsSchema = z.object({
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  category: z.enum(['オ', '低所得Ⅱ', '低所得Ⅰ']).nullable(),
  disease: z.enum(['dialysis', 'hemophilia', 'hiv']).nullable(),
});
export type CertificationTerms = z.output<typeof certificationTermsSchema>;

export const applicationViewSchema = z.object({
  applicationId: z.string(),
  memberId: z.string(),
  kind: applicationKindSchema,
  reason: z.string().nullable().describe('the 資格確認書 reason, or the disease'),
  state: applicationStateSchema,
  receivedOn: z.string(),
  decidedOn: z.string().nullable(),
  refusalCode: z.string().nullable(),
  certification: certificationTermsSchema.nullable(),
  certificateId: z.string().nullable().describe('the 資格確認書 issued on approval (利用登録解除)'),
  noticeId: z.string().nullable().describe('the お知らせ issued on approval (notice_reissue)'),
});
export type ApplicationView = z.output<typeof applicationViewSchema>;

export const applicationQueueQuerySchema = z.strictObject({
  state: applicationStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type ApplicationQueueQuery = z.output<typeof applicationQueueQuerySchema>;
