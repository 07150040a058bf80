/**
 * The card stand-in for J-LIS and the card's chip (DESIGN.md §5.3): the operator's requests and the
 * answers about a card. An answer never carries a key, a PIN or a My Number.
 */
import { z } from 'zod';
import { isoDate, myNumber } from './common.js';

const cardKind = z.enum(['card', 'smartphone']);
const registrationChannel = z.enum(['reader', 'portal', 'atm']);
const registrationState = z.enum(['active', 'never', 'cancelled', 'lapsed']);

const pin = z
  .string()
  .regex(/^\d{4}$/, 'expected 4 digits')
  .meta({ example: '1234' });

/** The card of a route `/api/v1/cards/{id}…`. */
export const cardParamsSchema = z.strictObject({ id: z.string().min(1).max(100).describe('card id') });

export const cardQuerySchema = z.strictObject({ asOf: isoDate.optional() });

// --- requests ------------------------------------------------------------------------------------------

export const issueCardSchema = z.strictObject({
  myNumber,
  issuedOn: isoDate,
  appliedOn: isoDate
    .optional()
    .describe('申請受付日, on or before issuedOn: the under-20/under-18 card life is cut on it (default issuedOn)'),
  pin,
  kind: cardKind.optional().describe('default card; smartphone: a credential of its own'),
});
export type IssueCardInput = z.output<typeof issueCardSchema>;

export const signChallengeSchema = z.strictObject({
  challenge: z
    .string()
    .min(1)
    .max(1024)
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected base64')
    .describe('base64 of the bytes to sign'),
  pin: pin.optional().describe('without a PIN the reader did a face or staff visual check'),
});
export type SignChallengeInput = z.output<typeof signChallengeSchema>;

export const registerCardSchema = z.strictObject({ recordedOn: isoDate, channel: registrationChannel });
export type RegisterCardInput = z.output<typeof registerCardSchema>;

export const cancelCardRegistrationSchema = z.strictObject({ recordedOn: isoDate });
export type CancelCardRegistrationInput = z.output<typeof cancelCardRegistrationSchema>;

export const renewCardCertificateSchema = z.strictObject({ issuedOn: isoDate });
export type RenewCardCertificateInput = z.output<typeof renewCardCertificateSchema>;

export const revokeCardCertificateSchema = z.strictObject({ revokedOn: isoDate });
export type RevokeCardCertificateInput = z.output<typeof revokeCardCertificateSchema>;

export const returnCardSchema = z.strictObject({ returnedOn: isoDate });
export type ReturnCardInput = z.output<typeof returnCardSchema>;

export const invalidateCardSchema = z.strictObject({ invalidatedOn: isoDate });
export type InvalidateCardInput = z.output<typeof invalidateCardSchema>;

// --- answers -------------------------------------------------------------------------------------------

export const issuedCardSchema = z.object({
  cardId: z.string(),
  kind: cardKind,
  serial: z.string().describe('serial (and CN) of the user certificate'),
  certificate: z.string().describe('the user certificate, PEM'),
  cardExpiresOn: z.string(),
  certificateExpiresOn: z.string(),
});
export type IssuedCard = z.output<typeof issuedCardSchema>;

export const signedChallengeSchema = z.object({
  certificate: z.string().describe('PEM of the certificate whose key signed'),
  signature: z.string().describe('base64 of a DER ECDSA P-256/SHA-256 signature over the raw challenge bytes'),
  serial: z.string(),
});
export type SignedChallenge = z.output<typeof signedChallengeSchema>;

export const registrationRecordSchema = z.object({
  registrationId: z.string(),
  cardId: z.string(),
  kind: z.enum(['registered', 'cancelled']),
  channel: registrationChannel.nullable(),
  recordedOn: z.string(),
  state: registrationState.describe("the person's registration on recordedOn"),
});
export type RegistrationRecord = z.output<typeof registrationRecordSchema>;

export const renewedCertificateSchema = z.object({
  cardId: z.string(),
  serial: z.string(),
  certificate: z.string(),
  issuedOn: z.string(),
  certificateExpiresOn: z.string(),
  cardExpiresOn: z.string(),
  revokedSerials: z.array(z.string()),
});
export type RenewedCertificate = z.output<typeof renewedCertificateSchema>;

export const revokedCertificatesSchema = z.object({
  cardId: z.string(),
  revokedOn: z.string(),
  revokedSerials: z.array(z.string()),
});
export type RevokedCertificates = z.output<typeof revokedCertificatesSchema>;

export const endedCardSchema = z.object({
  cardId: z.string(),
  status: z.enum(['returned', 'invalidated']),
  endedOn: z.string(),
});
export type EndedCard = z.output<typeof endedCardSchema>;

export const cardViewSchema = z.object({
  cardId: z.string(),
  kind: cardKind,
  issuedOn: z.string(),
  expiresOn: z.string(),
  status: z.enum(['active', 'returned', 'invalidated']),
  endedOn: z.string().nullable(),
  pinLocked: z.boolean(),
  pinRemainingTries: z.number(),
  certificates: z.array(
    z.object({ serial: z.string(), issuedOn: z.string(), expiresOn: z.string(), revokedOn: z.string().nullable() }),
  ),
  registration: registrationState,
  asOf: z.string(),
});
export type CardView = z.output<typeof cardViewSchema>;
