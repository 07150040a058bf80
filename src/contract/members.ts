import { z } from 'zod';
import { isoDate, memberNumber, pageQuery, plainText, relationship, sex, symbol } from './common.js';
import { legacyCardLifeSchema } from './legacy-cards.js';

// --- requests -------------------------------------------------------------------------------------

export const memberSearchSchema = z.strictObject({
  /** フリガナ prefix (normalised: half-width and hiragana accepted). */
  kana: plainText().min(1).max(100).optional(),
  symbol: symbol.optional(),
  number: memberNumber.optional(),
  birthDate: isoDate.optional(),
  ...pageQuery,
});
export type MemberSearch = z.output<typeof memberSearchSchema>;

export const memberParamsSchema = z.object({ id: z.string().min(1).max(100) });

export const memberViewQuerySchema = z.strictObject({ asOf: isoDate.optional() });

export const legacyCardSchema = z.strictObject({
  issuedOn: isoDate,
  expiresOn: isoDate.optional().describe('有効期限 printed on the card, on or after issuedOn; none when left out'),
});
export type LegacyCardInput = z.output<typeof legacyCardSchema>;

// --- answers --------------------------------------------------------------------------------------

/** A registration's state at the hub (RULES.md §5). */
export const hubStatusSchema = z.enum(['registered', 'mismatch', 'no_my_number']);

/** One version of a member's facts, as member_versions.facts holds it (domain MemberFacts). */
export const memberFactsSchema = z.object({
  insurerNumber: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  relationship,
  insuredMemberId: z.string().nullable(),
  name: z.string(),
  nameKana: z.string(),
  birthDate: z.string(),
  sex,
  address: z.string().nullable(),
  acquiredOn: z.string(),
  lostOn: z.string().nullable(),
  lossReason: z.enum(['death', 'other']).nullable().optional().describe('why the loss was recorded, when told'),
  standardMonthlyRemuneration: z.number().nullable(),
  myNumberLast4: z.string().nullable(),
});

/** A qualified person as the answers show them: 記号・番号・枝番, name, birth and the qualification's span. */
export const qualifiedPersonShape = {
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  relationship,
  name: z.string(),
  nameKana: z.string(),
  birthDate: z.string(),
  sex,
  acquiredOn: z.string(),
  lostOn: z.string().nullable(),
};

/** A member in a search page, a dependents list, the console's lists. */
export const memberSummarySchema = z.object({
  memberId: z.string(),
  ...qualifiedPersonShape,
  hubStatus: hubStatusSchema,
});
export type MemberSummary = z.output<typeof memberSummarySchema>;

export const memberPageSchema = z.object({
  items: z.array(memberSummarySchema),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});
export type MemberPage = z.output<typeof memberPageSchema>;

/** On asOf, by the facts known now: before acquiredOn, covered, or on/after lostOn. */
export const memberStatusSchema = z.enum(['not_started', 'eligible', 'lost']);
export type MemberStatus = z.output<typeof memberStatusSchema>;

export const memberVersionSchema = z.object({
  version: z.number(),
  recordedOn: z.string(),
  hubAvailableOn: z.string(),
  hubStatus: hubStatusSchema,
  mismatchFields: z.array(z.string()),
  facts: memberFactsSchema,
});
export type MemberVersionView = z.output<typeof memberVersionSchema>;

/** What the hub answered on asOf (DESIGN.md §3.1); null when it did not know the member yet. */
export const hubOnAsOfSchema = z
  .discriminatedUnion('state', [
    z.object({ state: z.enum(['registered', 'no_my_number']) }),
    z.object({ state: z.literal('pending'), hubAvailableOn: z.string() }),
    z.object({ state: z.literal('mismatch'), fields: z.array(z.string()) }),
  ])
  .nullable();

export const memberViewSchema = memberSummarySchema.extend({
  insurerNumber: z.string(),
  insuredMemberId: z.string().nullable(),
  address: z.string().nullable(),
  myNumber: z.string().nullable().describe('********1234, or null when the association does not hold it'),
  standardMonthlyRemuneration: z.number().nullable(),
  asOf: z.string().describe('the day the state is judged for'),
  status: memberStatusSchema,
  eligible: z.boolean(),
  version: z.number(),
  recordedOn: z.string(),
  hubAvailableOn: z.string(),
  mismatchFields: z.array(z.string()),
  hubOnAsOf: hubOnAsOfSchema,
  versions: z.array(memberVersionSchema),
  insured: z.object({ memberId: z.string(), symbol: z.string(), number: z.string(), branch: z.string() }).nullable(),
  dependents: z.array(memberSummarySchema),
  legacyCards: z.array(legacyCardLifeSchema).describe('with their dates and state on asOf'),
});
export type MemberView = z.output<typeof memberViewSchema>;

/** A legacy 健康保険証 recorded for migration (RULES.md §1). */
export const legacyCardAnswerSchema = z.object({
  legacyCardId: z.string(),
  memberId: z.string(),
  issuedOn: z.string(),
  expiresOn: z.string().optional().describe('有効期限 printed on the card, when recorded'),
});
export type LegacyCard = z.output<typeof legacyCardAnswerSchema>;
