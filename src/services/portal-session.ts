/**
 * Member portal login with the card (マイナポータル相当, DESIGN.md §5.4; issue #4 item 3): the portal
 * hands out a challenge, the member's own reader has the card sign it with the PIN (利用者証明用電子証明書),
 * and the signed challenge is exchanged for a short-lived `member` token. The person is found through
 * the card inspection of the hub (src/cards inspectPresentedCard), never through a number the member
 * types. Every login is audited (DESIGN.md §3.5), and so is every refusal that reached a card.
 */
import { randomBytes } from 'node:crypto';
import { cardSimulator, inspectPresentedCard, PIN_MAX_TRIES, type SignedChallenge } from '../cards/index.js';
import type { PortalSession, PortalSessionRequest, PortalSignInput } from '../contract/portal.js';
import { expiryState } from '../domain/card-life.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { type Actor, systemActor } from './actor.js';
import { appendAudit } from './audit.js';
import { CHALLENGE_BYTES, CHALLENGE_TTL_MS, type IssuedChallenge, PURGE_BATCH, purgeChallenges } from './challenges.js';
import { nowIso, type ServiceContext, today } from './context.js';
import { createToken } from './tokens.js';

/** How long a portal session lasts: short, as マイナポータル's own sessions are. */
export const PORTAL_SESSION_TTL_MS = 30 * 60 * 1000;

/**
 * Who acts before there is a session: the card holder at the portal. Its token id is fixed, so the
 * audit trail reads `member:portal` for the sign and the login themselves.
 */
const PORTAL_ACTOR: Actor = systemActor('member', { tokenId: 'portal' });

/**
 * Open (unexpired, unused) portal challenges allowed at once, over all callers (issue #19 §6). The
 * route is public and rate-limited per IP only, so many addresses together could otherwise fill the
 * table; 10,000 open in any 5 minutes is far above real logins.
 */
export const PORTAL_CHALLENGES_OPEN_MAX = 10_000;

/** How many portal challenges are open now, counted up to `max` (the index on expiry bounds the read). */
async function openPortalChallenges(ctx: ServiceContext, now: string, max: number): Promise<number> {
  const row = await ctx.store.db
    .selectFrom((eb) =>
      eb
        .selectFrom('challenges')
        .select('challenge')
        .where('expires_at', '>', now)
        .where('provider_code', 'is', null)
        .where('used_at', 'is', null)
        .limit(max)
        .as('open'),
    )
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A challenge for the portal login. Stored with no provider code: a reception terminal (which always
 * consumes with its own code) can never use it, and the portal signer below signs nothing else.
 * Each call first purges a bounded batch of stale challenges (of any kind), then refuses with
 * RATE_LIMITED (`details.reason` PORTAL_CHALLENGES_FULL) while the cap of open ones is reached.
 * Concurrent calls may pass the count together, so the cap can be overshot by as many as run at once.
 */
export async function issuePortalChallenge(ctx: ServiceContext): Promise<IssuedChallenge> {
  const now = ctx.clock.now();
  await purgeChallenges(ctx, now.toISOString(), PURGE_BATCH);
  if ((await openPortalChallenges(ctx, now.toISOString(), PORTAL_CHALLENGES_OPEN_MAX)) >= PORTAL_CHALLENGES_OPEN_MAX) {
    throw new ShikakuError(
      'RATE_LIMITED',
      { reason: 'PORTAL_CHALLENGES_FULL', retryAfterSeconds: CHALLENGE_TTL_MS / 1000 },
      {
        ja: 'ログインが混み合っています。しばらくしてからやり直してください',
        en: 'too many portal logins are open: try again in a few minutes',
      },
    );
  }
  const challenge = randomBytes(CHALLENGE_BYTES).toString('base64');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS).toISOString();
  await ctx.store.db
    .insertInto('challenges')
    .values({ challenge, provider_code: null, expires_at: expiresAt, used_at: null, created_at: now.toISOString() })
    .execute();
  return { challenge, expiresAt };
}

async function portalChallengeOpen(ctx: ServiceContext, challenge: string): Promise<boolean> {
  const row = await ctx.store.db
    .selectFrom('challenges')
    .select(['challenge'])
    .where('challenge', '=', challenge)
    .where('provider_code', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', nowIso(ctx))
    .executeTakeFirst();
  return row !== undefined;
}

/** Uses up a portal challenge: true for the one caller that finds it open (one conditional UPDATE). */
async function consumePortalChallenge(ctx: ServiceContext, challenge: string): Promise<boolean> {
  const now = nowIso(ctx);
  const result = await ctx.store.db
    .updateTable('challenges')
    .set({ used_at: now })
    .where('challenge', '=', challenge)
    .where('provider_code', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function loginRefused(reason: string, ja: string, en: string): ShikakuError {
  return new ShikakuError('AUTH_REQUIRED', { reason }, { ja, en });
}

/** The portal challenge is not open: both the signer and the login refuse with it. */
function challengeInvalid(): ShikakuError {
  return loginRefused(
    'CHALLENGE_INVALID',
    'ログイン用の確認コードが無効か期限切れです。もう一度やり直してください',
    'the login challenge is unknown, used or stale: start again',
  );
}

/**
 * The member's own reader (a phone's NFC, a PC reader) asks the card to sign a portal challenge. The
 * chip lives in the card simulator, so this stands in for the reader: the PIN is mandatory (the portal
 * has no face check), the simulator counts wrong tries and locks the card on the 3rd (CARD_PIN_WRONG
 * with `remainingTries`, CARD_PIN_LOCKED), and only an open portal challenge is signed, so this public
 * signer can never produce a signature a reception terminal would accept.
 */
export async function signPortalChallenge(ctx: ServiceContext, input: PortalSignInput): Promise<SignedChallenge> {
  if (!(await portalChallengeOpen(ctx, input.challenge))) {
    throw challengeInvalid();
  }
  const simulator = cardSimulator(ctx, (trx, change) =>
    appendAudit(trx, ctx.store.dialect, PORTAL_ACTOR, nowIso(ctx), {
      action: change.action,
      detail: { ...change.detail, channel: 'portal' },
    }).then(() => undefined),
  );
  try {
    return await simulator.sign(input.cardId, { challenge: input.challenge, pin: input.pin });
  } catch (error) {
    if (error instanceof ShikakuError && error.code === 'CARD_NOT_FOUND') answerAsUnknownCard(ctx, input.cardId);
    throw error;
  }
}

/** How many card ids that do not exist are remembered, per store, with their wrong tries. */
const UNKNOWN_CARDS_KEPT = 10_000;
const unknownCardTries = new WeakMap<ServiceContext['store'], Map<string, number>>();

/**
 * An anonymous caller must not tell a card id that exists from one that does not: an unknown id
 * answers as a real card with a wrong PIN would, counting down to CARD_PIN_LOCKED (issue #19 §6).
 */
function answerAsUnknownCard(ctx: ServiceContext, cardId: string): never {
  const tries = unknownCardTries.get(ctx.store) ?? new Map<string, number>();
  unknownCardTries.set(ctx.store, tries);
  const count = Math.min(PIN_MAX_TRIES, (tries.get(cardId) ?? 0) + 1);
  tries.delete(cardId);
  tries.set(cardId, count);
  if (tries.size > UNKNOWN_CARDS_KEPT) tries.delete(tries.keys().next().value as string);
  // As the chip: the try that reaches the limit already answers locked.
  if (count >= PIN_MAX_TRIES) throw new ShikakuError('CARD_PIN_LOCKED', { cardId });
  throw new ShikakuError('CARD_PIN_WRONG', { cardId, remainingTries: PIN_MAX_TRIES - count });
}

/**
 * The member record the portal opens for a person: the one covering today, else the most recent
 * (a member who lost eligibility can still see what was on record). Insured before dependent.
 */
async function memberOfPerson(ctx: ServiceContext, myNumberIndex: string, day: IsoDate) {
  const rows = await ctx.store.db
    .selectFrom('members')
    .select(['id', 'insurer_number', 'name', 'relationship', 'acquired_on', 'lost_on'])
    .where('my_number_index', '=', myNumberIndex)
    .execute();
  const covering = (r: (typeof rows)[number]) => r.acquired_on <= day && (r.lost_on === null || r.lost_on > day);
  return (
    rows.sort(
      (a, b) =>
        Number(covering(b)) - Number(covering(a)) ||
        (a.acquired_on < b.acquired_on ? 1 : a.acquired_on > b.acquired_on ? -1 : 0) ||
        (a.relationship === b.relationship ? 0 : a.relationship === 'insured' ? -1 : 1),
    )[0] ?? null
  );
}

/**
 * Exchanges a signed portal challenge for a member session. Refused with AUTH_REQUIRED (and the reason
 * code in `details.reason`) when the challenge is not an open portal challenge, the signature or chain
 * fails, the certificate is revoked or past its grace period, or the card has ended; MEMBER_NOT_FOUND
 * when no association holds the person. A certificate in its grace period may still log in (RULES.md §4:
 * it still works as マイナ保険証 then), so the portal can tell the member to renew it.
 */
export async function openPortalSession(ctx: ServiceContext, request: PortalSessionRequest): Promise<PortalSession> {
  // Used up first, whatever follows: a signed challenge is never replayable.
  if (!(await consumePortalChallenge(ctx, request.challenge))) {
    throw challengeInvalid();
  }
  const day = today(ctx);
  const inspection = await inspectPresentedCard(
    ctx,
    { certificatePem: request.certificate, challenge: request.challenge, signature: request.signature },
    day,
  );
  const refuse = async (reason: string, ja: string, en: string): Promise<never> => {
    await ctx.store.db.transaction().execute((trx) =>
      appendAudit(trx, ctx.store.dialect, PORTAL_ACTOR, nowIso(ctx), {
        action: 'portal.login_refused',
        detail: { reason, serial: inspection.certificate?.serial ?? null },
      }),
    );
    throw loginRefused(reason, ja, en);
  };
  if (inspection.signature !== 'valid') {
    return refuse('SIGNATURE_INVALID', 'カードの署名を確認できません', 'the signature does not verify');
  }
  const { card, certificate, myNumberIndex } = inspection;
  if (inspection.chain !== 'trusted' || !card || !certificate || !myNumberIndex) {
    return refuse('CERT_UNTRUSTED', '電子証明書を確認できません', 'the certificate is not one we issued');
  }
  if (certificate.revokedOn !== null) {
    return refuse('CERT_REVOKED', '電子証明書は失効しています', 'the certificate is revoked');
  }
  if (card.status !== 'active') {
    return refuse(
      card.status === 'returned' ? 'CARD_RETURNED' : 'CARD_INVALIDATED',
      'このカードは使用できません（返納または失効）',
      `the card is ${card.status}`,
    );
  }
  const certificateState = expiryState(certificate.expiresOn, day);
  const cardState = expiryState(card.expiresOn, day);
  if (certificateState === 'expired' || cardState === 'expired') {
    return refuse(
      certificateState === 'expired' ? 'CERT_EXPIRED' : 'CARD_EXPIRED',
      '有効期限が切れています。市区町村窓口で更新してください',
      'the card or its certificate has expired: renew it at the municipal office',
    );
  }
  const member = await memberOfPerson(ctx, myNumberIndex, day);
  if (!member) {
    await ctx.store.db.transaction().execute((trx) =>
      appendAudit(trx, ctx.store.dialect, PORTAL_ACTOR, nowIso(ctx), {
        action: 'portal.login_refused',
        detail: { reason: 'MEMBER_NOT_FOUND', serial: certificate.serial },
      }),
    );
    throw new ShikakuError('MEMBER_NOT_FOUND');
  }
  const expiresAt = new Date(ctx.clock.now().getTime() + PORTAL_SESSION_TTL_MS).toISOString();
  const { id: tokenId, token } = await createToken(ctx, {
    role: 'member',
    memberId: member.id,
    label: 'portal',
    expiresAt,
  });
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, PORTAL_ACTOR, nowIso(ctx), {
      action: 'portal.login',
      insurerNumber: member.insurer_number,
      memberId: member.id,
      detail: { sessionTokenId: tokenId, serial: certificate.serial, expiresAt },
    }),
  );
  return {
    token,
    expiresAt,
    expiresIn: PORTAL_SESSION_TTL_MS / 1000,
    memberId: member.id,
    insurerNumber: member.insurer_number,
    name: member.name,
    card: {
      kind: card.kind,
      expiresOn: card.expiresOn,
      state: cardState,
      certificateExpiresOn: certificate.expiresOn,
      certificateState,
      registration: inspection.registration,
    },
  };
}
