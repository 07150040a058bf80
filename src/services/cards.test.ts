import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { inspectPresentedCard } from '../cards/index.js';
import { insertTestResident, testMyNumber } from '../cards/testing.js';
import { systemActor } from './actor.js';
import { verifyAuditChain } from './audit.js';
import {
  cancelCardRegistration,
  getCard,
  invalidateCard,
  issueCard,
  registerCard,
  renewCardCertificate,
  returnCard,
  revokeCardCertificate,
  signWithCard,
} from './cards.js';
import { issueChallenge } from './challenges.js';
import type { ServiceContext } from './context.js';
import { issuePortalChallenge } from './portal-session.js';

const operator = systemActor('operator');
const provider = systemActor('provider', { providerCode: '1311234566' });
const admin = systemActor('admin', { insurerNumber: '06139992' });
const challenge = (): string => randomBytes(32).toString('base64');

describe.each(STORE_KINDS)('card services on %s', (kind) => {
  let ctx: ServiceContext;
  const myNumber = testMyNumber(42);

  async function auditActions(): Promise<string[]> {
    const rows = await ctx.store.db.selectFrom('audit_log').select('action').orderBy('seq').execute();
    return rows.map((r) => r.action);
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    await insertTestResident(ctx, myNumber, '1989-10-01');
  });
  afterAll(async () => ctx.store.close());

  it('issue: operator only, by My Number, RESIDENT_NOT_FOUND without a resident record', async () => {
    const input = { myNumber, issuedOn: '2025-11-21', pin: '1234' };
    await expect(issueCard(ctx, provider, input)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(issueCard(ctx, admin, input)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(issueCard(ctx, operator, { ...input, myNumber: testMyNumber(43) })).rejects.toMatchObject({
      code: 'RESIDENT_NOT_FOUND',
      status: 404,
    });
    const wrongDigit = `${myNumber.slice(0, 11)}${(Number(myNumber[11]) + 1) % 10}`;
    await expect(issueCard(ctx, operator, { ...input, myNumber: wrongDigit })).rejects.toMatchObject({
      code: 'MYNUMBER_CHECK_DIGIT',
    });
    expect(await auditActions()).toEqual([]);

    // Full-width digits are the same My Number.
    const fullWidth = myNumber.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const card = await issueCard(ctx, operator, { ...input, myNumber: fullWidth });
    expect(card).toMatchObject({ kind: 'card', cardExpiresOn: '2035-10-01', certificateExpiresOn: '2030-10-01' });
    const row = await ctx.store.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      action: 'card.issue',
      actor: 'operator:system',
      member_id: null,
      insurer_number: null,
    });
    expect(JSON.parse(row.detail)).toMatchObject({ cardId: card.cardId, issuedOn: '2025-11-21' });
    expect(row.detail).not.toContain(myNumber);
    expect(row.detail).not.toContain('1234');
  });

  it('sign: the operator and a provider (the reception reader) may; a wrong PIN is audited even though it fails', async () => {
    const { cardId } = await issueCard(ctx, operator, {
      myNumber,
      issuedOn: '2025-11-21',
      pin: '7777',
      kind: 'smartphone',
    });
    await expect(signWithCard(ctx, admin, cardId, { challenge: challenge() })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const { challenge: c } = await issueChallenge(ctx, provider);
    const signed = await signWithCard(ctx, provider, cardId, { challenge: c, pin: '7777' });
    const inspection = await inspectPresentedCard(
      ctx,
      { certificatePem: signed.certificate, challenge: c, signature: signed.signature },
      '2025-12-02',
    );
    expect(inspection).toMatchObject({
      chain: 'trusted',
      signature: 'valid',
      myNumberIndex: ctx.keyring.blindIndex(myNumber),
    });
    await expect(signWithCard(ctx, operator, cardId, { challenge: challenge(), pin: '0000' })).rejects.toMatchObject({
      code: 'CARD_PIN_WRONG',
      details: { remainingTries: 2 },
    });
    expect((await auditActions()).at(-1)).toBe('card.pin-wrong');
  });

  it('sign: a provider signs only its own challenges, and nobody signs a portal login challenge here', async () => {
    const { cardId } = await issueCard(ctx, operator, { myNumber, issuedOn: '2025-11-21', pin: '7777' });
    const other = systemActor('provider', { providerCode: '1311234574' });
    const foreign = await issueChallenge(ctx, other);
    const portal = await issuePortalChallenge(ctx);
    for (const c of [challenge(), foreign.challenge, portal.challenge]) {
      await expect(signWithCard(ctx, provider, cardId, { challenge: c })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: { scope: 'challenge' },
      });
    }
    await expect(signWithCard(ctx, operator, cardId, { challenge: portal.challenge })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // The operator console still signs arbitrary bytes; the other provider its own challenge.
    await expect(signWithCard(ctx, operator, cardId, { challenge: challenge() })).resolves.toHaveProperty('signature');
    await expect(signWithCard(ctx, other, cardId, { challenge: foreign.challenge })).resolves.toHaveProperty(
      'signature',
    );
  });

  it('every change of the card life is audit-logged, operator only, and the chain stays intact', async () => {
    const { cardId } = await issueCard(ctx, operator, { myNumber, issuedOn: '2025-01-06', pin: '1234' });
    const registration = { recordedOn: '2025-01-07', channel: 'reader' as const };
    await expect(registerCard(ctx, provider, cardId, registration)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const before = (await auditActions()).length;

    expect((await registerCard(ctx, operator, cardId, registration)).state).toBe('active');
    expect((await cancelCardRegistration(ctx, operator, cardId, { recordedOn: '2025-02-01' })).state).toBe('cancelled');
    const renewed = await renewCardCertificate(ctx, operator, cardId, { issuedOn: '2025-03-01' });
    expect(renewed.revokedSerials).toHaveLength(1);
    await revokeCardCertificate(ctx, operator, cardId, { revokedOn: '2025-04-01' });
    await returnCard(ctx, operator, cardId, { returnedOn: '2025-05-01' });
    const second = await issueCard(ctx, operator, { myNumber, issuedOn: '2025-05-02', pin: '1234' });
    await invalidateCard(ctx, operator, second.cardId, { invalidatedOn: '2025-06-01' });
    for (const op of [
      () => cancelCardRegistration(ctx, provider, cardId, { recordedOn: '2025-02-01' }),
      () => renewCardCertificate(ctx, provider, cardId, { issuedOn: '2025-03-01' }),
      () => revokeCardCertificate(ctx, provider, cardId, { revokedOn: '2025-04-01' }),
      () => returnCard(ctx, provider, cardId, { returnedOn: '2025-05-01' }),
      () => invalidateCard(ctx, provider, cardId, { invalidatedOn: '2025-05-01' }),
      () => getCard(ctx, provider, cardId),
    ]) {
      await expect(op()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }

    expect((await auditActions()).slice(before)).toEqual([
      'card.register',
      'card.cancel-registration',
      'card.renew-certificate',
      'card.revoke-certificate',
      'card.return',
      'card.issue',
      'card.invalidate',
    ]);
    const details = await ctx.store.db.selectFrom('audit_log').select('detail').execute();
    for (const { detail } of details) {
      expect(detail).not.toContain(myNumber);
      expect(detail).not.toContain(ctx.keyring.blindIndex(myNumber));
    }
    expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
  });

  it('a failed change writes no audit record', async () => {
    const { cardId } = await issueCard(ctx, operator, { myNumber, issuedOn: '2025-01-06', pin: '1234' });
    const before = (await auditActions()).length;
    await expect(returnCard(ctx, operator, cardId, { returnedOn: '2025-01-05' })).rejects.toMatchObject({
      code: 'CONFLICT_CARD_STATE',
    });
    await expect(returnCard(ctx, operator, 'no-such-card', { returnedOn: '2025-01-07' })).rejects.toMatchObject({
      code: 'CARD_NOT_FOUND',
    });
    expect((await auditActions()).length).toBe(before);
  });

  it('getCard shows the card on a day, defaulting to today in Japan', async () => {
    const { cardId, serial } = await issueCard(ctx, operator, { myNumber, issuedOn: '2025-11-01', pin: '1234' });
    await returnCard(ctx, operator, cardId, { returnedOn: '2025-11-22' });
    // The test clock is 2025-11-21 10:00 in Japan: the return is not yet effective.
    expect(await getCard(ctx, operator, cardId)).toMatchObject({
      cardId,
      status: 'active',
      asOf: '2025-11-21',
      certificates: [{ serial, issuedOn: '2025-11-01', revokedOn: null }],
      pinRemainingTries: 3,
    });
    expect(await getCard(ctx, operator, cardId, '2025-11-22')).toMatchObject({
      status: 'returned',
      endedOn: '2025-11-22',
    });
    await expect(getCard(ctx, operator, cardId, '2025-11-31')).rejects.toMatchObject({ code: 'VALIDATION_DATE' });
  });
});
