import { z } from 'zod';

/** 高齢受給者証, 限度額適用(・標準負担額減額)認定証, 特定疾病療養受療証 (domain/paper-certificates.ts). */
export const paperCertificateKindSchema = z.enum([
  'elderly_recipient',
  'limit_certification',
  'reduced_limit_certification',
  'specific_disease',
]);

export const paperCertificateViewSchema = z.object({
  paperCertificateId: z.string(),
  memberId: z.string(),
  kind: paperCertificateKindSchema,
  title: z.string().describe('the title as printed, e.g. 健康保険限度額適用認定証'),
  issuedOn: z.string(),
  validFrom: z.string().describe('発効期日'),
  validUntil: z.string().describe('有効期限 (inclusive)'),
  applicationId: z.string().nullable().describe('the approved application it was issued for'),
  collectedOn: z.string().nullable(),
});
export type PaperCertificateView = z.output<typeof paperCertificateViewSchema>;

export const paperCertificateListSchema = z.object({ paperCertificates: z.array(paperCertificateViewSchema) });

export const paperCertificateParamsSchema = z.strictObject({
  id: z.string().min(1).max(100).describe('paper certificate id'),
});
export const memberParamsSchema = z.strictObject({ id: z.string().min(1).max(100).describe('member id') });
