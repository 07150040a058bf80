import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import type { ServiceContext } from '../services/context.js';
import { caFromMaterial, generateCa, loadLocalCa } from './ca.js';
import { issueUserCertificate, publicKeyJwkOf, signChallenge } from './certificates.js';
import { describeCard, inspectPresentedCard } from './inspect.js';
import { type CardChange, type CardSimulator, databaseCardSimulator } from './simulator.js';
import { insertTestResident, testMyNumber } from './testing.js';

const challenge = (): string => randomBytes(32).toString('base64');

describe.each(STORE_KINDS)('card simulator on %s', (kind) => {
  let ctx: ServiceContext;
  let sim: CardSimulator;
  const changes: CardChange[] = [];
  let seed = 0;

  /** A resident born on `birthDate`, with their blind index. */
  async function resident(birthDate: string): Promise<string> {
    seed += 1;
    return (await insertTestResident(ctx, testMyNumber(seed), birthDate)).myNumberIndex;
  }

  /** A card issued on 2025-11-21 (PIN 1234) to a new resident born on `birthDate`. */
  async function cardFor(birthDate: string) {
    return sim.issue({ myNumberIndex: await resident(birthDate), issuedOn: '2025-11-21', pin: '1234', kind: 'card' });
  }

  /** Signs a fresh challenge with the card (face check, no PIN) and inspects it on `asOf`. */
  async function present(cardId: string, asOf: string) {
    const c = challenge();
    const signed = await sim.sign(cardId, { challenge: c });
    return inspectPresentedCard(
      ctx,
      { certificatePem: signed.certificate, challenge: c, signature: signed.signature },
      asOf,
    );
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    sim = databaseCardSimulator(ctx, async (_trx, change) => {
      changes.push(change);
    });
  });
  afterAll(async () => ctx.store.close());

  describe('issuance and expiry (RULES.md §4)', () => {
    it('an adult gets a card to the 10th birthday and a certificate to the 5th', async () => {
      const person = await resident('1989-10-01');
      const card = await sim.issue({ myNumberIndex: person, issuedOn: '2025-11-21', pin: '1234', kind: 'card' });
      expect(card.cardExpiresOn).toBe('2035-10-01');
      expect(card.certificateExpiresOn).toBe('2030-10-01');
      expect(card.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const row = await ctx.store.db
        .selectFrom('cards')
        .selectAll()
        .where('id', '=', card.cardId)
        .executeTakeFirstOrThrow();
      expect(row.private_key_enc).not.toContain('PRIVATE KEY');
      expect(row.pin_hash).not.toContain('1234');
      expect(row.my_number_index).toBe(person);
      expect(changes.at(-1)).toEqual({
        action: 'card.issue',
        detail: {
          cardId: card.cardId,
          kind: 'card',
          issuedOn: '2025-11-21',
          cardExpiresOn: '2035-10-01',
          certificateExpiresOn: '2030-10-01',
          serial: card.serial,
        },
      });
    });

    it('issued at 17 the card ends on the 5th birthday; issued on the 18th birthday, on the 10th', async () => {
      const at17 = await sim.issue({
        myNumberIndex: await resident('2008-06-15'),
        issuedOn: '2025-12-02',
        pin: '1234',
        kind: 'card',
      });
      expect(at17.cardExpiresOn).toBe('2030-06-15');
      expect(at17.certificateExpiresOn).toBe('2030-06-15');
      const on18 = await sim.issue({
        myNumberIndex: await resident('2007-12-02'),
        issuedOn: '2025-12-02',
        pin: '1234',
        kind: 'card',
      });
      expect(on18.cardExpiresOn).toBe('2035-12-02');
      expect(on18.certificateExpiresOn).toBe('2030-12-02');
    });

    it('a person born on 02-29 has birthdays on 02-28 in common years', async () => {
      const card = await sim.issue({
        myNumberIndex: await resident('2000-02-29'),
        issuedOn: '2024-12-02',
        pin: '1234',
        kind: 'card',
      });
      expect(card.certificateExpiresOn).toBe('2029-02-28');
      expect(card.cardExpiresOn).toBe('2034-02-28');
    });

    it('a smartphone credential has its own key and certificate and expires with it', async () => {
      const person = await resident('1989-10-01');
      const card = await sim.issue({ myNumberIndex: person, issuedOn: '2025-11-21', pin: '1234', kind: 'card' });
      const phone = await sim.issue({ myNumberIndex: person, issuedOn: '2025-11-21', pin: '5678', kind: 'smartphone' });
      expect(phone.kind).toBe('smartphone');
      expect(phone.cardExpiresOn).toBe('2030-10-01');
      expect(phone.certificateExpiresOn).toBe('2030-10-01');
      expect(phone.serial).not.toBe(card.serial);
      const inspection = await present(phone.cardId, '2025-12-02');
      expect(inspection.card?.kind).toBe('smartphone');
      expect(inspection.myNumberIndex).toBe(person);
    });

    it('refuses an unknown resident, a bad PIN and an issue date before birth', async () => {
      await expect(
        sim.issue({ myNumberIndex: 'nobody', issuedOn: '2025-11-21', pin: '1234', kind: 'card' }),
      ).rejects.toMatchObject({
        code: 'RESIDENT_NOT_FOUND',
      });
      const person = await resident('2020-05-05');
      await expect(
        sim.issue({ myNumberIndex: person, issuedOn: '2025-11-21', pin: '12345', kind: 'card' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      await expect(
        sim.issue({ myNumberIndex: person, issuedOn: '2019-01-01', pin: '1234', kind: 'card' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      await expect(
        sim.issue({ myNumberIndex: person, issuedOn: '2025-02-30', pin: '1234', kind: 'card' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_DATE',
      });
    });
  });

  describe('chain and signature', () => {
    let cardId: string;
    beforeAll(async () => {
      cardId = (
        await sim.issue({
          myNumberIndex: await resident('1989-10-01'),
          issuedOn: '2025-11-21',
          pin: '1234',
          kind: 'card',
        })
      ).cardId;
    });

    it('a card of ours, signing the challenge, is trusted and valid', async () => {
      const inspection = await present(cardId, '2025-12-02');
      expect(inspection.chain).toBe('trusted');
      expect(inspection.signature).toBe('valid');
      expect(inspection.certificate).toMatchObject({
        issuedOn: '2025-11-21',
        expiresOn: '2030-10-01',
        revokedOn: null,
      });
      expect(inspection.card).toMatchObject({
        cardId,
        kind: 'card',
        status: 'active',
        endedOn: null,
        pinLocked: false,
      });
      expect(inspection.registration).toBe('never');
    });

    it('a certificate on record is checked with the public key kept on its record (0005)', async () => {
      const card = await cardFor('1990-04-01');
      const record = await ctx.store.db
        .selectFrom('card_certificates')
        .select(['serial', 'public_key_jwk'])
        .where('card_id', '=', card.cardId)
        .executeTakeFirstOrThrow();
      // Node's own JWK export as the oracle (no key generation is pending here).
      const { kty, crv, x, y } = new X509Certificate(card.certificate).publicKey.export({ format: 'jwk' });
      expect(JSON.parse(record.public_key_jwk ?? 'null')).toEqual({ kty, crv, x, y });
      // Another key on the record: a signature by the card's own key no longer verifies, so the
      // record's key is the one used (the certificate was not parsed for it).
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
      await ctx.store.db
        .updateTable('card_certificates')
        .set({ public_key_jwk: publicKeyJwkOf(other.export({ type: 'spki', format: 'der' })) })
        .where('serial', '=', record.serial)
        .execute();
      expect(await present(card.cardId, '2025-12-02')).toMatchObject({ chain: 'trusted', signature: 'invalid' });
    });

    it('a record without a kept key (from before 0005) is parsed and checked against the CA as before', async () => {
      const card = await cardFor('1991-05-02');
      await ctx.store.db
        .updateTable('card_certificates')
        .set({ public_key_jwk: null })
        .where('card_id', '=', card.cardId)
        .execute();
      expect(await present(card.cardId, '2025-12-02')).toMatchObject({
        chain: 'trusted',
        signature: 'valid',
        card: { cardId: card.cardId, status: 'active' },
      });
    });

    it('a PEM with CRLF line ends, or with text before it, is the same certificate', async () => {
      const card = await cardFor('1992-06-03');
      for (const certificatePem of [
        card.certificate.replace(/\n/g, '\r\n'),
        `Certificate:\n    (pasted with its description)\n${card.certificate}`,
      ]) {
        const c = challenge();
        const signed = await sim.sign(card.cardId, { challenge: c });
        const inspection = await inspectPresentedCard(
          ctx,
          { certificatePem, challenge: c, signature: signed.signature },
          '2025-12-02',
        );
        expect(inspection).toMatchObject({ chain: 'trusted', signature: 'valid', card: { cardId: card.cardId } });
      }
    });

    it('a tampered challenge or signature is invalid', async () => {
      const c = challenge();
      const signed = await sim.sign(cardId, { challenge: c });
      const other = await inspectPresentedCard(
        ctx,
        { certificatePem: signed.certificate, challenge: challenge(), signature: signed.signature },
        '2025-12-02',
      );
      expect(other.signature).toBe('invalid');
      expect(other.chain).toBe('trusted');
      const sig = Buffer.from(signed.signature, 'base64');
      sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 0xff;
      const flipped = await inspectPresentedCard(
        ctx,
        { certificatePem: signed.certificate, challenge: c, signature: sig.toString('base64') },
        '2025-12-02',
      );
      expect(flipped.signature).toBe('invalid');
    });

    it('a certificate from a foreign CA of the same name is untrusted, however well it signs', async () => {
      const foreign = caFromMaterial(await generateCa(ctx.clock.now()));
      const fake = await issueUserCertificate(foreign, { issuedOn: '2025-11-21', expiresOn: '2030-10-01' });
      const c = challenge();
      const signature = signChallenge(fake.privateKeyPem, Buffer.from(c, 'base64')).toString('base64');
      const inspection = await inspectPresentedCard(
        ctx,
        { certificatePem: fake.certificatePem, challenge: c, signature },
        '2025-12-02',
      );
      expect(inspection).toEqual({
        chain: 'untrusted',
        signature: 'valid',
        certificate: null,
        card: null,
        registration: 'never',
        myNumberIndex: null,
      });
    });

    it('a certificate our CA signed but that we have no record of is untrusted', async () => {
      const stray = await issueUserCertificate(await loadLocalCa(ctx), {
        issuedOn: '2025-11-21',
        expiresOn: '2030-10-01',
      });
      const c = challenge();
      const signature = signChallenge(stray.privateKeyPem, Buffer.from(c, 'base64')).toString('base64');
      const inspection = await inspectPresentedCard(
        ctx,
        { certificatePem: stray.certificatePem, challenge: c, signature },
        '2025-12-02',
      );
      expect(inspection.chain).toBe('untrusted');
      expect(inspection.card).toBeNull();
    });

    it('garbage never throws', async () => {
      const garbage = [
        { certificatePem: 'not a certificate', challenge: challenge(), signature: 'AAAA' },
        {
          certificatePem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
          challenge: '',
          signature: '',
        },
        { certificatePem: '', challenge: '%%%', signature: '***' },
      ];
      for (const presented of garbage) {
        const inspection = await inspectPresentedCard(ctx, presented, '2025-12-02');
        expect(inspection).toMatchObject({ chain: 'untrusted', signature: 'invalid', card: null, myNumberIndex: null });
      }
      const c = challenge();
      const signed = await sim.sign(cardId, { challenge: c });
      const bad = await inspectPresentedCard(
        ctx,
        { certificatePem: signed.certificate, challenge: c, signature: '!!notbase64!!' },
        '2025-12-02',
      );
      expect(bad).toMatchObject({ chain: 'trusted', signature: 'invalid' });
    });
  });

  describe('PIN (RULES.md §4: 4 digits, locked after 3 wrong tries)', () => {
    it('counts wrong tries down, resets on the right PIN, and locks on the 3rd wrong try in a row', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1975-04-01'),
        issuedOn: '2025-11-21',
        pin: '2468',
        kind: 'card',
      });
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '0000' })).rejects.toMatchObject({
        code: 'CARD_PIN_WRONG',
        status: 401,
        details: { remainingTries: 2 },
      });
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '1111' })).rejects.toMatchObject({
        code: 'CARD_PIN_WRONG',
        details: { remainingTries: 1 },
      });
      const ok = await sim.sign(cardId, { challenge: challenge(), pin: '2468' });
      expect(ok.signature).not.toBe('');
      expect((await describeCard(ctx, cardId, '2025-11-21')).pinRemainingTries).toBe(3);
      expect(changes.at(-1)).toEqual({ action: 'card.pin-reset', detail: { cardId } });

      for (const remainingTries of [2, 1]) {
        await expect(sim.sign(cardId, { challenge: challenge(), pin: '9999' })).rejects.toMatchObject({
          code: 'CARD_PIN_WRONG',
          details: { remainingTries },
        });
      }
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '9999' })).rejects.toMatchObject({
        code: 'CARD_PIN_LOCKED',
        status: 423,
      });
      expect(changes.at(-1)).toEqual({ action: 'card.pin-locked', detail: { cardId, remainingTries: 0 } });
      // Locked: even the right PIN is refused, and nothing resets it.
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '2468' })).rejects.toMatchObject({
        code: 'CARD_PIN_LOCKED',
      });
      expect((await describeCard(ctx, cardId, '2025-11-21')).pinLocked).toBe(true);

      // A face or visual check needs no PIN: the locked card still signs, and the hub sees the lock.
      const inspection = await present(cardId, '2025-12-02');
      expect(inspection.signature).toBe('valid');
      expect(inspection.card?.pinLocked).toBe(true);
    });

    it('a malformed PIN is a request error, not a wrong try', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1975-04-01'),
        issuedOn: '2025-11-21',
        pin: '2468',
        kind: 'card',
      });
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '12' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      await expect(sim.sign(cardId, { challenge: '', pin: '2468' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
      expect((await describeCard(ctx, cardId, '2025-11-21')).pinRemainingTries).toBe(3);
      await expect(sim.sign('no-such-card', { challenge: challenge() })).rejects.toMatchObject({
        code: 'CARD_NOT_FOUND',
      });
    });
  });

  describe('registration (健康保険証利用登録)', () => {
    // Born 1990-03-10, card issued 2021-03-01: certificate to 2025-03-10 (5th birthday after),
    // grace to 2025-06-30 (end of the 3rd month after March).
    let person: string;
    let cardId: string;
    beforeAll(async () => {
      person = await resident('1990-03-10');
      const card = await sim.issue({ myNumberIndex: person, issuedOn: '2021-03-01', pin: '1234', kind: 'card' });
      expect(card.certificateExpiresOn).toBe('2025-03-10');
      cardId = card.cardId;
    });

    it('is refused within 5 days of the certificate expiry, allowed 6 days before', async () => {
      await expect(sim.register(cardId, { recordedOn: '2025-03-05', channel: 'reader' })).rejects.toMatchObject({
        code: 'CONFLICT_REGISTRATION_CERT_EXPIRING',
        status: 409,
        details: { certificateExpiresOn: '2025-03-10' },
      });
      const record = await sim.register(cardId, { recordedOn: '2025-03-04', channel: 'portal' });
      expect(record).toMatchObject({
        cardId,
        kind: 'registered',
        channel: 'portal',
        recordedOn: '2025-03-04',
        state: 'active',
      });
      expect(changes.at(-1)?.action).toBe('card.register');
    });

    it('keeps working through the grace period, then lapses (RULES.md §4)', async () => {
      expect((await present(cardId, '2025-03-03')).registration).toBe('never');
      expect((await present(cardId, '2025-03-10')).registration).toBe('active');
      expect((await present(cardId, '2025-06-30')).registration).toBe('active');
      expect((await present(cardId, '2025-07-01')).registration).toBe('lapsed');
    });

    it('after a renewal and a new registration it is active again; a cancellation ends it', async () => {
      const renewed = await sim.renew(cardId, { issuedOn: '2025-08-01' });
      expect(renewed.certificateExpiresOn).toBe('2030-03-10');
      expect((await present(cardId, '2025-08-01')).registration).toBe('lapsed');
      await sim.register(cardId, { recordedOn: '2025-08-01', channel: 'atm' });
      expect((await present(cardId, '2025-08-01')).registration).toBe('active');
      const cancelled = await sim.cancel(cardId, { recordedOn: '2025-09-01' });
      expect(cancelled).toMatchObject({ kind: 'cancelled', channel: null, state: 'cancelled' });
      expect(changes.at(-1)?.action).toBe('card.cancel-registration');
      expect((await present(cardId, '2025-08-31')).registration).toBe('active');
      expect((await present(cardId, '2025-09-01')).registration).toBe('cancelled');
      await expect(sim.cancel(cardId, { recordedOn: '2025-09-02' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      await sim.register(cardId, { recordedOn: '2025-10-01', channel: 'reader' });
      expect((await present(cardId, '2025-10-01')).registration).toBe('active');
    });

    it('a registration and its cancellation on the same day keep their order', async () => {
      const { cardId: id } = await sim.issue({
        myNumberIndex: await resident('1980-01-20'),
        issuedOn: '2025-01-06',
        pin: '1234',
        kind: 'card',
      });
      await sim.register(id, { recordedOn: '2025-02-03', channel: 'reader' });
      const cancelled = await sim.cancel(id, { recordedOn: '2025-02-03' });
      expect(cancelled.state).toBe('cancelled');
      expect((await present(id, '2025-02-03')).registration).toBe('cancelled');
      const again = await sim.register(id, { recordedOn: '2025-02-03', channel: 'reader' });
      expect(again.state).toBe('active');
    });

    it('belongs to the person: it survives a card reissue', async () => {
      const someone = await resident('1985-07-07');
      const first = await sim.issue({ myNumberIndex: someone, issuedOn: '2024-05-01', pin: '1234', kind: 'card' });
      await sim.register(first.cardId, { recordedOn: '2024-05-02', channel: 'reader' });
      await sim.invalidate(first.cardId, { invalidatedOn: '2025-04-01' });
      const second = await sim.issue({ myNumberIndex: someone, issuedOn: '2025-04-10', pin: '1234', kind: 'card' });
      expect((await present(second.cardId, '2025-04-10')).registration).toBe('active');
    });

    it('cannot register a card before its issue, after its end, or never registered cancel', async () => {
      const { cardId: id } = await sim.issue({
        myNumberIndex: await resident('1970-11-11'),
        issuedOn: '2025-01-06',
        pin: '1234',
        kind: 'card',
      });
      await expect(sim.cancel(id, { recordedOn: '2025-01-07' })).rejects.toMatchObject({ code: 'CONFLICT_CARD_STATE' });
      await expect(sim.register(id, { recordedOn: '2025-01-05', channel: 'reader' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      await sim.return(id, { returnedOn: '2025-02-01' });
      await expect(sim.register(id, { recordedOn: '2025-02-01', channel: 'reader' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      expect((await sim.register(id, { recordedOn: '2025-01-31', channel: 'reader' })).state).toBe('active');
    });
  });

  describe('certificate renewal and revocation', () => {
    it('renewal makes a new key and certificate and revokes the old one on the renewal day', async () => {
      const {
        cardId,
        certificate: oldPem,
        serial,
      } = await sim.issue({
        myNumberIndex: await resident('1960-09-30'),
        issuedOn: '2021-01-15',
        pin: '1234',
        kind: 'card',
      });
      const renewed = await sim.renew(cardId, { issuedOn: '2025-07-01' });
      expect(renewed.revokedSerials).toEqual([serial]);
      expect(renewed.serial).not.toBe(serial);
      // 5th birthday after 2025-07-01 (the 1st is 2025-09-30); the card keeps its own expiry.
      expect(renewed.certificateExpiresOn).toBe('2029-09-30');
      expect(renewed.cardExpiresOn).toBe('2030-09-30');
      expect(changes.at(-1)).toMatchObject({
        action: 'card.renew-certificate',
        detail: { cardId, revokedSerials: [serial] },
      });

      // The chip now signs with the new key and hands out the new certificate.
      const c = challenge();
      const signed = await sim.sign(cardId, { challenge: c, pin: '1234' });
      expect(signed.serial).toBe(renewed.serial);
      expect(signed.certificate).toBe(renewed.certificate);

      // The old certificate: revoked from the renewal day, not before.
      const old = async (asOf: string) =>
        inspectPresentedCard(ctx, { certificatePem: oldPem, challenge: c, signature: signed.signature }, asOf);
      expect((await old('2025-06-30')).certificate?.revokedOn).toBeNull();
      expect((await old('2025-07-01')).certificate).toMatchObject({ serial, revokedOn: '2025-07-01' });
      expect((await old('2025-07-01')).signature).toBe('invalid'); // signed with the new key
      const current = await inspectPresentedCard(
        ctx,
        { certificatePem: signed.certificate, challenge: c, signature: signed.signature },
        '2025-07-01',
      );
      expect(current).toMatchObject({
        chain: 'trusted',
        signature: 'valid',
        certificate: { revokedOn: null, issuedOn: '2025-07-01' },
      });
    });

    it('a renewal late in the card life is capped by the card expiry', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1980-06-01'),
        issuedOn: '2020-06-10',
        pin: '1234',
        kind: 'card',
      });
      // Card to 2030-06-01; the 5th birthday after 2028-01-10 would be 2032-06-01.
      const renewed = await sim.renew(cardId, { issuedOn: '2028-01-10' });
      expect(renewed.certificateExpiresOn).toBe('2030-06-01');
      await expect(sim.renew(cardId, { issuedOn: '2030-06-02' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      await expect(sim.renew(cardId, { issuedOn: '2027-01-01' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
    });

    it('a renewed smartphone credential expires with its new certificate', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1980-06-01'),
        issuedOn: '2020-06-10',
        pin: '1234',
        kind: 'smartphone',
      });
      expect((await describeCard(ctx, cardId, '2025-04-01')).expiresOn).toBe('2025-06-01');
      const renewed = await sim.renew(cardId, { issuedOn: '2025-04-01' });
      expect(renewed.certificateExpiresOn).toBe('2029-06-01');
      expect(renewed.cardExpiresOn).toBe('2029-06-01');
      expect((await describeCard(ctx, cardId, '2025-04-01')).expiresOn).toBe('2029-06-01');
    });

    it('revocation is seen from its date on; there is nothing left to revoke afterwards', async () => {
      const { cardId, serial } = await sim.issue({
        myNumberIndex: await resident('1995-12-24'),
        issuedOn: '2025-01-06',
        pin: '1234',
        kind: 'card',
      });
      await expect(sim.revoke(cardId, { revokedOn: '2025-01-05' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      const revoked = await sim.revoke(cardId, { revokedOn: '2025-12-01' });
      expect(revoked).toEqual({ cardId, revokedOn: '2025-12-01', revokedSerials: [serial] });
      expect((await present(cardId, '2025-11-30')).certificate?.revokedOn).toBeNull();
      expect((await present(cardId, '2025-12-01')).certificate?.revokedOn).toBe('2025-12-01');
      await expect(sim.revoke(cardId, { revokedOn: '2025-12-02' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      // A revoked certificate cannot be used to register.
      await expect(sim.register(cardId, { recordedOn: '2025-12-01', channel: 'reader' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
    });

    it('two renewals on the same day still leave the chip signing with its newest key', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1995-12-24'),
        issuedOn: '2025-01-06',
        pin: '1234',
        kind: 'card',
      });
      await sim.renew(cardId, { issuedOn: '2025-01-06' });
      const last = await sim.renew(cardId, { issuedOn: '2025-01-06' });
      expect(last.revokedSerials).toHaveLength(1);
      const signed = await sim.sign(cardId, { challenge: challenge() });
      expect(signed.serial).toBe(last.serial);
      await sim.revoke(cardId, { revokedOn: '2025-01-06' });
      expect((await sim.sign(cardId, { challenge: challenge() })).serial).toBe(last.serial);
    });
  });

  describe('return and invalidation (bitemporal)', () => {
    it('a returned card is active before its return day, returned from it, and refuses to sign', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1950-01-01'),
        issuedOn: '2022-01-04',
        pin: '1234',
        kind: 'card',
      });
      const c = challenge();
      const signed = await sim.sign(cardId, { challenge: c });
      const ended = await sim.return(cardId, { returnedOn: '2026-01-10' });
      expect(ended).toEqual({ cardId, status: 'returned', endedOn: '2026-01-10' });
      expect(changes.at(-1)).toEqual({ action: 'card.return', detail: { cardId, endedOn: '2026-01-10' } });
      const on = (asOf: string) =>
        inspectPresentedCard(
          ctx,
          { certificatePem: signed.certificate, challenge: c, signature: signed.signature },
          asOf,
        );
      expect((await on('2026-01-09')).card).toMatchObject({ status: 'active', endedOn: null });
      expect((await on('2026-01-10')).card).toMatchObject({ status: 'returned', endedOn: '2026-01-10' });
      await expect(sim.sign(cardId, { challenge: challenge() })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
        status: 409,
      });
      await expect(sim.invalidate(cardId, { invalidatedOn: '2026-02-01' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      await expect(sim.renew(cardId, { issuedOn: '2026-02-01' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
    });

    it('an invalidated card is invalidated from its date and refuses to sign', async () => {
      const { cardId } = await sim.issue({
        myNumberIndex: await resident('1950-01-01'),
        issuedOn: '2022-01-04',
        pin: '1234',
        kind: 'card',
      });
      const c = challenge();
      const signed = await sim.sign(cardId, { challenge: c });
      await expect(sim.invalidate(cardId, { invalidatedOn: '2022-01-03' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      await sim.invalidate(cardId, { invalidatedOn: '2025-12-02' });
      const on = (asOf: string) =>
        inspectPresentedCard(
          ctx,
          { certificatePem: signed.certificate, challenge: c, signature: signed.signature },
          asOf,
        );
      expect((await on('2025-12-01')).card?.status).toBe('active');
      expect((await on('2025-12-02')).card).toMatchObject({ status: 'invalidated', endedOn: '2025-12-02' });
      await expect(sim.sign(cardId, { challenge: challenge(), pin: '1234' })).rejects.toMatchObject({
        code: 'CONFLICT_CARD_STATE',
      });
      const view = await describeCard(ctx, cardId, '2025-12-02');
      expect(view).toMatchObject({ status: 'invalidated', endedOn: '2025-12-02' });
      expect((await describeCard(ctx, cardId, '2025-06-01')).status).toBe('active');
    });
  });

  it('never reports a My Number or a PIN in a change', () => {
    const text = JSON.stringify(changes);
    expect(changes.length).toBeGreaterThan(10);
    for (let s = 1; s <= seed; s++) expect(text).not.toContain(testMyNumber(s));
    expect(text).not.toMatch(/"pin"/);
  });
});
