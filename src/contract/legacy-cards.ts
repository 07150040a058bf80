/**
 * A legacy 健康保険証's life (RULES-NOTES §5): the requests recording its return (回収), self-disposal
 * (自己廃棄) or loss (滅失・き損), and the card with its dates and its state on a day.
 */
import { z } from 'zod';
import { isoDate } from './common.js';

/** The legacy card of a route `/api/v1/legacy-cards/{id}…`. */
export const legacyCardParamsSchema = z.object({ id: z.string().min(1).max(100).describe('legacy card id') });

export const returnLegacyCardSchema = z.strictObject({
  returnedOn: isoDate.describe('handed back to the association: up to 2025-12-01, or later if its use ended by then'),
});
export type ReturnLegacyCardInput = z.output<typeof returnLegacyCardSchema>;

export const disposeLegacyCardSchema = z.strictObject({
  disposedOn: isoDate.describe('destroyed by the member, as they report it: from 2025-12-02'),
});
export type DisposeLegacyCardInput = z.output<typeof disposeLegacyCardSchema>;

export const reportLegacyCardLostSchema = z.strictObject({
  reportedLostOn: isoDate.describe('滅失・き損届: the card stops verifying on this day'),
});
export type ReportLegacyCardLostInput = z.output<typeof reportLegacyCardLostSchema>;

const legacyCardState = z
  .enum(['not_issued', 'in_use', 'lost', 'returned', 'disposed', 'expired', 'ended'])
  .describe('expired: its use ended on or before 2025-12-01 (printed 有効期限 or loss of eligibility); ended: after');

/** A legacy card with its dates, judged on `asOf` (domain/legacy-card.ts legacyCardState). */
export const legacyCardLifeSchema = z.object({
  legacyCardId: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string().nullable().describe('有効期限 printed on the card'),
  reportedLostOn: z.string().nullable(),
  returnedOn: z.string().nullable(),
  disposedOn: z.string().nullable(),
  state: legacyCardState,
  lastUsableOn: z.string().describe('last day the card is (or was) a proof'),
  pending: z.enum(['none', 'return', 'dispose']).describe('what the member still has to do with the card'),
});
export type LegacyCardLife = z.output<typeof legacyCardLifeSchema>;

/** The answer of a return, disposal or loss: the card judged on the day recorded. */
export const legacyCardEventAnswerSchema = legacyCardLifeSchema.extend({ memberId: z.string(), asOf: z.string() });
export type LegacyCardEventAnswer = z.output<typeof legacyCardEventAnswerSchema>;
