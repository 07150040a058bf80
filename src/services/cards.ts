/**
 * Use cases of the card stand-in (DESIGN.md §5.3): the operator issues cards and manages their life;
 * the chip signs challenges. Every change goes through the `CardSimulator` of src/cards and is
 * audit-logged in the transaction that makes it (action `card.*`, detail: card id, serials, dates
 * and counters — never the My Number or the PIN).
 */
import { type CardChangeListener, cardSimulator, describeCard } from '../cards/index.js';
import type {
  CancelCardRegistrationInput,
  CardView,
  EndedCard,
  InvalidateCardInput,
  IssueCardInput,
  IssuedCard,
  RegisterCardInput,
  RegistrationRecord,
  RenewCardCertificateInput,
  RenewedCertificate,
  ReturnCardInput,
  RevokeCardCertificateInput,
  RevokedCertificates,
  SignChallengeInput,
  SignedChallenge,
} from '../contract/cards.js';
import { ShikakuError } from '../domain/codes.js';
import { type IsoDate, isIsoDate } from '../domain/dates.js';
import { assertMyNumber } from '../domain/mynumber.js';
import { type Actor, type Role, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext, today } from './context.js';

/**
 * Who may ask a card to sign: the operator (the stand-in's own console) and a provider, whose
 * reception reader is what talks to the chip in real life (DESIGN.md §5.1 reception flow).
 */
/**
 * The card stand-in (J-LIS and the chip, `/api/v1/cards/…`) is served unless
 * `SHIKAKU_CARD_STANDIN=off`: a production server with real readers switches it off, and its routes
 * then answer 404 (docs/OPERATIONS.md).
 */
export function cardStandInEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.SHIKAKU_CARD_STANDIN ?? '').trim().toLowerCase() !== 'off';
}

export const SIGN_ROLES: readonly Role[] = ['operator', 'provider'];

function auditing(ctx: ServiceContext, actor: Actor): CardChangeListener {
  return (trx, change) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), { action: change.action, detail: change.detail }).then(
      () => undefined,
    );
}

function simulatorFor(ctx: ServiceContext, actor: Actor) {
  return cardSimulator(ctx, auditing(ctx, actor));
}

/**
 * Issues a My Number card (or a smartphone credential) to the resident with this My Number: key pair,
 * user certificate from the local CA, PIN, expiry dates from the resident's birth date (RULES.md §4).
 * RESIDENT_NOT_FOUND when there is no resident record.
 */
export async function issueCard(ctx: ServiceContext, actor: Actor, input: IssueCardInput): Promise<IssuedCard> {
  requireRole(actor, 'operator');
  const myNumber = assertMyNumber(input.myNumber);
  return simulatorFor(ctx, actor).issue({
    myNumberIndex: ctx.keyring.blindIndex(myNumber),
    issuedOn: input.issuedOn,
    ...(input.appliedOn === undefined ? {} : { appliedOn: input.appliedOn }),
    pin: input.pin,
    kind: input.kind ?? 'card',
  });
}

/**
 * The chip signs a challenge. With a PIN: CARD_PIN_WRONG (with `remainingTries`), the 3rd wrong try
 * locks (CARD_PIN_LOCKED). Without one the reader did a face or visual check (allowed on a locked
 * PIN). A returned or invalidated card refuses (CONFLICT_CARD_STATE).
 */
export async function signWithCard(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: SignChallengeInput,
): Promise<SignedChallenge> {
  requireRole(actor, ...SIGN_ROLES);
  await assertSignable(ctx, actor, input.challenge);
  return simulatorFor(ctx, actor).sign(cardId, input);
}

/**
 * What this signer may sign: a provider only a challenge issued to it (GET
 * /api/v1/verifications/challenge, FHIR $challenge); nobody a member-portal login challenge, whose
 * own signer always wants the PIN (services/portal-session.ts). Without this, a reception terminal
 * that once saw a card's id could sign a portal challenge without the PIN and open that member's
 * portal session (issue 6 access-control matrix).
 */
async function assertSignable(ctx: ServiceContext, actor: Actor, challenge: string): Promise<void> {
  const row = await ctx.store.db
    .selectFrom('challenges')
    .select('provider_code')
    .where('challenge', '=', challenge)
    .executeTakeFirst();
  const portal = row !== undefined && row.provider_code === null;
  const foreign = actor.role === 'provider' && (row === undefined || row.provider_code !== actor.providerCode);
  if (portal || foreign) {
    throw new ShikakuError(
      'FORBIDDEN',
      { scope: 'challenge' },
      {
        ja: 'この端末に発行されたチャレンジ以外には署名できません',
        en: 'the card signs only a challenge issued to this terminal',
      },
    );
  }
}

/** 健康保険証利用登録 (RULES.md §4: refused within 5 days of the certificate's expiry). */
export async function registerCard(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: RegisterCardInput,
): Promise<RegistrationRecord> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).register(cardId, input);
}

/** 利用登録解除: a cancellation event on the person. */
export async function cancelCardRegistration(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: CancelCardRegistrationInput,
): Promise<RegistrationRecord> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).cancel(cardId, input);
}

/** New key pair and certificate; the old certificate is revoked on `issuedOn`. */
export async function renewCardCertificate(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: RenewCardCertificateInput,
): Promise<RenewedCertificate> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).renew(cardId, input);
}

export async function revokeCardCertificate(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: RevokeCardCertificateInput,
): Promise<RevokedCertificates> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).revoke(cardId, input);
}

/** 返納: the card ends at once (RULES.md §4). */
export async function returnCard(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: ReturnCardInput,
): Promise<EndedCard> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).return(cardId, input);
}

/** 失効, e.g. a move not reported in time (RULES.md §4). */
export async function invalidateCard(
  ctx: ServiceContext,
  actor: Actor,
  cardId: string,
  input: InvalidateCardInput,
): Promise<EndedCard> {
  requireRole(actor, 'operator');
  return simulatorFor(ctx, actor).invalidate(cardId, input);
}

/** The card as it stood on `asOf` (default: today in Japan). */
export async function getCard(ctx: ServiceContext, actor: Actor, cardId: string, asOf?: IsoDate): Promise<CardView> {
  requireRole(actor, 'operator');
  const day = asOf ?? today(ctx);
  if (!isIsoDate(day)) throw new ShikakuError('VALIDATION_DATE', { field: 'asOf' });
  return describeCard(ctx, cardId, day);
}
