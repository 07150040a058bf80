import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, makeInsurer, makeResident, notify, OPERATOR, person } from '../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { ShikakuError } from '../domain/codes.js';
import { systemActor } from './actor.js';
import { verifyAuditChain } from './audit.js';
import { issueCard, registerCard, revokeCardCertificate, signWithCard } from './cards.js';
import { issueChallenge } from './challenges.js';
import type { Clock, ServiceContext } from './context.js';
import {
  issuePortalChallenge,
  openPortalSession,
  PORTAL_SESSION_TTL_MS,
  signPortalChallenge,
} from './portal-session.js';
import { authenticate } from './tokens.js';
import { verify } from './verification.js';

/** A clock the test moves by hand: challenges live 5 minutes, sessions 30. */
function movableClock(iso: string): Clock & { set(iso: string): void } {
  let at = new Date(iso).getTime();
  return {
    now: () => new Date(at),
    set: (next) => {
      at = new Date(next).getTime();
    },
  };
}

async function codeOf(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown> | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ShikakuError) return { code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a ShikakuError');
}

describe.each(STORE_KINDS)('member portal login with the card (%s)', (kind) => {
  let ctx: ServiceContext;
  let clock: ReturnType<typeof movableClock>;
  let insurer: string;
  let memberId: string;
  let cardId: string;
  const taro = person({ birthDate: '1989-10-01' });

  beforeAll(async () => {
    clock = movableClock('2026-11-23T01:00:00Z');
    ctx = await openTestContext(kind, clock);
    insurer = await makeInsurer(ctx);
    await makeResident(ctx, taro);
    memberId = (
      await notify(ctx, {
        kind: 'acquisition',
        insurerNumber: insurer,
        recordedOn: '2026-04-01',
        symbol: '10',
        acquiredOn: '2026-04-01',
        standardMonthlyRemuneration: 300_000,
        person: taro,
      })
    ).memberId;
    cardId = (await issueCard(ctx, OPERATOR, { myNumber: taro.myNumber, issuedOn: '2024-01-10', pin: '1234' })).cardId;
    await registerCard(ctx, OPERATOR, cardId, { recordedOn: '2024-02-01', channel: 'reader' });
  });
  afterAll(async () => {
    await ctx.store.close();
  });

  async function login(pin = '1234') {
    const { challenge } = await issuePortalChallenge(ctx);
    const signed = await signPortalChallenge(ctx, { cardId, challenge, pin });
    return openPortalSession(ctx, { certificate: signed.certificate, challenge, signature: signed.signature });
  }

  it('challenge → the card signs with the PIN → a 30-minute member token for the person found by the card', async () => {
    const session = await login();
    expect(session).toMatchObject({ memberId, insurerNumber: insurer, name: taro.name, expiresIn: 1800 });
    expect(session.card).toMatchObject({
      kind: 'card',
      state: 'valid',
      certificateState: 'valid',
      registration: 'active',
    });
    expect(Date.parse(session.expiresAt) - clock.now().getTime()).toBe(PORTAL_SESSION_TTL_MS);
    const actor = await authenticate(ctx, session.token);
    expect(actor).toMatchObject({ role: 'member', memberId });
    // The session ends: 30 minutes later the token no longer works.
    const start = clock.now().toISOString();
    clock.set(new Date(Date.parse(start) + PORTAL_SESSION_TTL_MS).toISOString());
    expect(await authenticate(ctx, session.token)).toBeNull();
    clock.set(start);

    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'member_id', 'detail', 'actor'])
      .where('action', '=', 'portal.login')
      .execute();
    expect(audit.at(-1)).toMatchObject({ member_id: memberId, actor: 'member:portal' });
    expect(audit.at(-1)?.detail).not.toContain(taro.myNumber);
    expect((await verifyAuditChain(ctx.store.db)).ok).toBe(true);
  });

  it('a signed challenge is used once: replaying it is refused (CHALLENGE_INVALID)', async () => {
    const { challenge } = await issuePortalChallenge(ctx);
    const signed = await signPortalChallenge(ctx, { cardId, challenge, pin: '1234' });
    await openPortalSession(ctx, { certificate: signed.certificate, challenge, signature: signed.signature });
    const again = await codeOf(
      openPortalSession(ctx, { certificate: signed.certificate, challenge, signature: signed.signature }),
    );
    expect(again).toEqual({ code: 'AUTH_REQUIRED', details: { reason: 'CHALLENGE_INVALID' } });
    // …and the portal signer does not sign a used challenge either.
    expect((await codeOf(signPortalChallenge(ctx, { cardId, challenge, pin: '1234' }))).details).toEqual({
      reason: 'CHALLENGE_INVALID',
    });
  });

  it('a challenge is good for 5 minutes: at 5:00 it is stale', async () => {
    const { challenge } = await issuePortalChallenge(ctx);
    const signed = await signPortalChallenge(ctx, { cardId, challenge, pin: '1234' });
    const start = clock.now().toISOString();
    clock.set(new Date(Date.parse(start) + 5 * 60 * 1000).toISOString());
    const stale = await codeOf(
      openPortalSession(ctx, { certificate: signed.certificate, challenge, signature: signed.signature }),
    );
    clock.set(start);
    expect(stale.details).toEqual({ reason: 'CHALLENGE_INVALID' });
  });

  it('the portal signer signs only portal challenges, and a reception challenge cannot open a session', async () => {
    const provider = systemActor('provider', { tokenId: 't-provider', providerCode: '1311234566' });
    const reception = await issueChallenge(ctx, provider);
    expect(
      (await codeOf(signPortalChallenge(ctx, { cardId, challenge: reception.challenge, pin: '1234' }))).details,
    ).toEqual({
      reason: 'CHALLENGE_INVALID',
    });
    const signed = await signWithCard(ctx, provider, cardId, { challenge: reception.challenge, pin: '1234' });
    expect(
      (
        await codeOf(
          openPortalSession(ctx, {
            certificate: signed.certificate,
            challenge: reception.challenge,
            signature: signed.signature,
          }),
        )
      ).details,
    ).toEqual({ reason: 'CHALLENGE_INVALID' });
    // And a portal challenge is no use at reception: the hub answers CHALLENGE_INVALID.
    const portal = await issuePortalChallenge(ctx);
    const portalSigned = await signPortalChallenge(ctx, { cardId, challenge: portal.challenge, pin: '1234' });
    const answer = await verify(ctx, provider, {
      method: 'card',
      card: { certificate: portalSigned.certificate, challenge: portal.challenge, signature: portalSigned.signature },
      identityCheck: 'pin',
    });
    expect(answer.reasons.map((r) => r.code)).toContain('CHALLENGE_INVALID');
  });

  it('a signature that does not match the challenge is refused (SIGNATURE_INVALID) and audited', async () => {
    const one = await issuePortalChallenge(ctx);
    const two = await issuePortalChallenge(ctx);
    const signedOne = await signPortalChallenge(ctx, { cardId, challenge: one.challenge, pin: '1234' });
    const refused = await codeOf(
      openPortalSession(ctx, {
        certificate: signedOne.certificate,
        challenge: two.challenge,
        signature: signedOne.signature,
      }),
    );
    expect(refused).toEqual({ code: 'AUTH_REQUIRED', details: { reason: 'SIGNATURE_INVALID' } });
    const audit = await ctx.store.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'portal.login_refused')
      .execute();
    expect(audit.map((a) => JSON.parse(a.detail).reason)).toContain('SIGNATURE_INVALID');
  });

  it('wrong PINs count down and the 3rd locks the card (CARD_PIN_WRONG with remainingTries, then CARD_PIN_LOCKED)', async () => {
    const other = person({ birthDate: '1990-02-28' });
    await makeResident(ctx, other);
    await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: insurer,
      recordedOn: '2026-04-01',
      symbol: '10',
      acquiredOn: '2026-04-01',
      standardMonthlyRemuneration: 280_000,
      person: other,
    });
    const card = (await issueCard(ctx, OPERATOR, { myNumber: other.myNumber, issuedOn: '2025-01-10', pin: '4321' }))
      .cardId;
    const { challenge } = await issuePortalChallenge(ctx);
    expect(await codeOf(signPortalChallenge(ctx, { cardId: card, challenge, pin: '0000' }))).toMatchObject({
      code: 'CARD_PIN_WRONG',
      details: { remainingTries: 2 },
    });
    expect(await codeOf(signPortalChallenge(ctx, { cardId: card, challenge, pin: '0001' }))).toMatchObject({
      code: 'CARD_PIN_WRONG',
      details: { remainingTries: 1 },
    });
    expect((await codeOf(signPortalChallenge(ctx, { cardId: card, challenge, pin: '0002' }))).code).toBe(
      'CARD_PIN_LOCKED',
    );
    expect((await codeOf(signPortalChallenge(ctx, { cardId: card, challenge, pin: '4321' }))).code).toBe(
      'CARD_PIN_LOCKED',
    );
  });

  it('a revoked certificate cannot log in (CERT_REVOKED); a person no association holds is MEMBER_NOT_FOUND', async () => {
    const stranger = person({ birthDate: '1970-07-07' });
    await makeResident(ctx, stranger);
    const strangerCard = (
      await issueCard(ctx, OPERATOR, { myNumber: stranger.myNumber, issuedOn: '2025-01-10', pin: '1111' })
    ).cardId;
    const a = await issuePortalChallenge(ctx);
    const signed = await signPortalChallenge(ctx, { cardId: strangerCard, challenge: a.challenge, pin: '1111' });
    expect(
      (
        await codeOf(
          openPortalSession(ctx, {
            certificate: signed.certificate,
            challenge: a.challenge,
            signature: signed.signature,
          }),
        )
      ).code,
    ).toBe('MEMBER_NOT_FOUND');

    await revokeCardCertificate(ctx, OPERATOR, strangerCard, { revokedOn: '2026-11-01' });
    const b = await issuePortalChallenge(ctx);
    const revoked = await signPortalChallenge(ctx, { cardId: strangerCard, challenge: b.challenge, pin: '1111' });
    expect(
      (
        await codeOf(
          openPortalSession(ctx, {
            certificate: revoked.certificate,
            challenge: b.challenge,
            signature: revoked.signature,
          }),
        )
      ).details,
    ).toEqual({ reason: 'CERT_REVOKED' });
  });

  it('a certificate in its grace period still logs in and says so; past the grace period it does not', async () => {
    // Certificate: 5th birthday after issue. Born 1981-10-15, issued 2021-10-16 → expires 2026-10-15.
    const late = person({ birthDate: '1981-10-15' });
    await makeResident(ctx, late);
    const lateId = (
      await notify(
        ctx,
        {
          kind: 'acquisition',
          insurerNumber: insurer,
          recordedOn: '2026-04-01',
          symbol: '11',
          acquiredOn: '2026-04-01',
          standardMonthlyRemuneration: 300_000,
          person: late,
        },
        adminOf(insurer),
      )
    ).memberId;
    const card = (await issueCard(ctx, OPERATOR, { myNumber: late.myNumber, issuedOn: '2021-10-16', pin: '2222' }))
      .cardId;
    const c1 = await issuePortalChallenge(ctx);
    const s1 = await signPortalChallenge(ctx, { cardId: card, challenge: c1.challenge, pin: '2222' });
    const session = await openPortalSession(ctx, {
      certificate: s1.certificate,
      challenge: c1.challenge,
      signature: s1.signature,
    });
    expect(session.memberId).toBe(lateId);
    expect(session.card).toMatchObject({ certificateExpiresOn: '2026-10-15', certificateState: 'grace' });

    // The grace period ends on 2027-01-31 (end of the 3rd month after October).
    const start = clock.now().toISOString();
    clock.set('2027-02-01T01:00:00Z');
    const c2 = await issuePortalChallenge(ctx);
    const s2 = await signPortalChallenge(ctx, { cardId: card, challenge: c2.challenge, pin: '2222' });
    const refused = await codeOf(
      openPortalSession(ctx, { certificate: s2.certificate, challenge: c2.challenge, signature: s2.signature }),
    );
    clock.set(start);
    expect(refused.details).toEqual({ reason: 'CERT_EXPIRED' });
  });

  it('after a job change the portal opens the qualification that covers today', async () => {
    const mover = person({ birthDate: '1985-12-24' });
    await makeResident(ctx, mover);
    const other = await makeInsurer(ctx);
    const common = { kind: 'acquisition', standardMonthlyRemuneration: 300_000, person: mover };
    const old = await notify(ctx, {
      ...common,
      insurerNumber: insurer,
      symbol: '12',
      acquiredOn: '2018-04-01',
      recordedOn: '2018-04-02',
    });
    await notify(ctx, {
      kind: 'loss',
      insurerNumber: insurer,
      symbol: '12',
      number: old.number,
      lostOn: '2026-10-01',
      recordedOn: '2026-10-02',
    });
    const now = await notify(ctx, {
      ...common,
      insurerNumber: other,
      symbol: '77',
      acquiredOn: '2026-10-01',
      recordedOn: '2026-10-02',
    });
    const card = (await issueCard(ctx, OPERATOR, { myNumber: mover.myNumber, issuedOn: '2023-09-01', pin: '3333' }))
      .cardId;
    const c = await issuePortalChallenge(ctx);
    const s = await signPortalChallenge(ctx, { cardId: card, challenge: c.challenge, pin: '3333' });
    const session = await openPortalSession(ctx, {
      certificate: s.certificate,
      challenge: c.challenge,
      signature: s.signature,
    });
    expect(session).toMatchObject({ memberId: now.memberId, insurerNumber: other });
  });
});
