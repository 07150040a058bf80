/**
 * The member portal (DESIGN.md §5.4): the card login (challenge → the reader signs → session) and
 * the eligibility screen.
 */
import { z } from 'zod';
import { isoDate } from './common.js';

const base64 = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected base64');

export const portalSignSchema = z.strictObject({
  cardId: z.string().min(1).max(100),
  challenge: base64(256),
  pin: z.string().regex(/^\d{4}$/, 'expected 4 digits'),
});
export type PortalSignInput = z.output<typeof portalSignSchema>;

export const signedChallengeSchema = z.object({ certificate: z.string(), signature: z.string(), serial: z.string() });

export const portalSessionRequestSchema = z.strictObject({
  /** The user certificate, PEM. */
  certificate: z.string().min(1).max(16_384),
  /** Base64, from GET /api/v1/me/challenge. */
  challenge: base64(256),
  /** Base64 DER ECDSA signature of the challenge by the card. */
  signature: base64(4_096),
});
export type PortalSessionRequest = z.output<typeof portalSessionRequestSchema>;

const expiry = z.enum(['valid', 'expiring_soon', 'grace', 'expired']);

export const portalSessionSchema = z.object({
  token: z.string().describe('bearer token of role member'),
  expiresAt: z.string(),
  expiresIn: z.number().describe('seconds from now'),
  memberId: z.string(),
  insurerNumber: z.string(),
  name: z.string(),
  /** The card and its user certificate as of today, for the portal's expiry warnings. */
  card: z.object({
    kind: z.enum(['card', 'smartphone']),
    expiresOn: z.string(),
    state: expiry,
    certificateExpiresOn: z.string(),
    certificateState: expiry.describe('expiring_soon from 3 months before; grace after expiry (renew now)'),
    /** 健康保険証利用登録 of the person today. */
    registration: z.enum(['active', 'never', 'cancelled', 'lapsed']),
  }),
});
export type PortalSession = z.output<typeof portalSessionSchema>;

export const qualificationQuerySchema = z.strictObject({ asOf: isoDate.optional() });

export const qualificationEntrySchema = z.object({
  memberId: z.string(),
  relationship: z.enum(['insured', 'dependent']),
  insurerNumber: z.string(),
  insurerName: z.string(),
  symbol: z.string(),
  number: z.string(),
  branch: z.string(),
  name: z.string(),
  nameKana: z.string(),
  birthDate: z.string(),
  sex: z.enum(['male', 'female']),
  acquiredOn: z.string(),
  lostOn: z.string().nullable(),
  burdenRatio: z.union([z.literal(20), z.literal(30)]).nullable(),
  burdenRatioAsOf: z.string(),
  myNumber: z
    .string()
    .regex(/^\*{8}\d{4}$/)
    .nullable()
    .describe('********1234: only the last 4 digits the association holds'),
  /** The 資格確認書 usable on asOf, if any. */
  certificate: z.object({ certificateId: z.string(), issuedOn: z.string(), validUntil: z.string() }).nullable(),
  /** The latest お知らせ, if any (its PDF: GET /api/v1/notices/{id}.pdf). */
  noticeId: z.string().nullable(),
});
export type QualificationEntry = z.output<typeof qualificationEntrySchema>;

export const qualificationScreenSchema = z.object({
  asOf: z.string(),
  /** The member first, then (for the insured) the dependents not lost by asOf, by 枝番. */
  members: z.array(qualificationEntrySchema),
});
export type QualificationScreen = z.output<typeof qualificationScreenSchema>;
