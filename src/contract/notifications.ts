import { z } from 'zod';
import * as s from './common.js';
import { addressText, kanaName, kanjiName } from './residents.js';

// --- request schemas (shared by the API, the JSON batch and the CSV import) -----------------------

/** 標準報酬月額 in yen. */
const remuneration = z.number().int().min(1).max(10_000_000);

const common = {
  insurerNumber: s.insurerNumber,
  /** The day the association registered the data (default: today in Japan). */
  recordedOn: s.isoDate.optional(),
  /** Our compatible extension: the same key answers the first result and writes nothing. */
  idempotencyKey: z.string().min(1).max(200).optional(),
};

export const personSchema = z.strictObject({
  /** Optional: without it the member exists but the hub cannot register them (RULES.md §5). */
  myNumber: s.myNumber.optional(),
  name: kanjiName,
  nameKana: kanaName,
  birthDate: s.isoDate,
  sex: s.sex,
  address: addressText.optional(),
});

const acquisitionSchema = z.strictObject({
  kind: z.literal('acquisition'),
  ...common,
  relationship: z.literal('insured').optional(),
  symbol: s.symbol,
  number: s.memberNumber.optional(),
  branch: s.branch.optional(),
  acquiredOn: s.isoDate,
  standardMonthlyRemuneration: remuneration.optional(),
  person: personSchema,
});

const dependentAddSchema = z.strictObject({
  kind: z.literal('dependent_add'),
  ...common,
  relationship: z.literal('dependent').optional(),
  insured: z.strictObject({ symbol: s.symbol, number: s.memberNumber }),
  branch: s.branch.optional(),
  acquiredOn: s.isoDate,
  person: personSchema,
});

const lossSchema = z.strictObject({
  kind: z.literal('loss'),
  ...common,
  symbol: s.symbol,
  number: s.memberNumber,
  branch: s.branch.optional(),
  lostOn: s.isoDate,
});

const dependentRemoveSchema = z.strictObject({
  kind: z.literal('dependent_remove'),
  ...common,
  symbol: s.symbol,
  number: s.memberNumber,
  branch: s.branch,
  lostOn: s.isoDate,
});

const CHANGE_FIELDS = [
  'name',
  'nameKana',
  'birthDate',
  'sex',
  'address',
  'standardMonthlyRemuneration',
  'myNumber',
] as const;

const changeSchema = z
  .strictObject({
    kind: z.literal('change'),
    ...common,
    symbol: s.symbol,
    number: s.memberNumber,
    branch: s.branch.optional(),
    name: kanjiName.optional(),
    nameKana: kanaName.optional(),
    birthDate: s.isoDate.optional(),
    sex: s.sex.optional(),
    address: addressText.optional(),
    standardMonthlyRemuneration: remuneration.optional(),
    /** A My Number supplied later: the new version is registered at the hub. */
    myNumber: s.myNumber.optional(),
  })
  .refine((c) => CHANGE_FIELDS.some((f) => c[f] !== undefined), {
    message: `a change needs at least one of ${CHANGE_FIELDS.join(', ')}`,
  });

/** One notification (DESIGN.md §5.2). Unknown fields are rejected (VALIDATION_UNKNOWN_FIELD). */
export const notificationSchema = z.discriminatedUnion('kind', [
  acquisitionSchema,
  dependentAddSchema,
  lossSchema,
  dependentRemoveSchema,
  changeSchema,
]);
export type NotificationInput = z.output<typeof notificationSchema>;
export type NotificationKind = NotificationInput['kind'];
