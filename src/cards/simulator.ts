/**
 * The card stand-in (DESIGN.md §2 card model, §5.3): the operations of J-LIS and of the card's chip,
 * behind one interface so a real card-reader integration can replace the database-backed simulator.
 *
 * The simulator keeps each card's private key encrypted in `cards.private_key_enc`; the key never
 * leaves it: callers get certificates and signatures only. Every change is reported to an optional
 * listener inside the same transaction (the service writes the audit record there).
 */
import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canRegister, cardExpiresOn, certificateExpiresOn, type RegistrationState } from '../domain/card-life.js';
import { ShikakuError } from '../domain/codes.js';
import { type IsoDate, isIsoDate } from '../domain/dates.js';
import { newId, nowIso, type ServiceContext } from '../services/context.js';
import type { Database } from '../store/schema.js';
import { loadLocalCa } from './ca.js';
import { issueUserCertificate, signChallenge, type UserCertificate } from './certificates.js';
import { hashPin, isValidPin, PIN_MAX_TRIES, verifyPin } from './pin.js';
import {
  type CardKind,
  type CardStatus,
  personRegistrationState,
  type RegistrationChannel,
  sequentialId,
} from './records.js';

export interface IssueCardRequest {
  /** The person, by the blind index of their My Number (the number itself never reaches the card). */
  myNumberIndex: string;
  issuedOn: IsoDate;
  /** 申請受付日, when known: the card's life follows the age cut of that day (card-life.ts, RULES-NOTES §3). */
  appliedOn?: IsoDate;
  /** 4 digits. */
  pin: string;
  kind: CardKind;
}

export interface IssuedCard {
  cardId: string;
  kind: CardKind;
  /** Serial of the user certificate (also its CN). */
  serial: string;
  /** The user certificate, PEM. */
  certificate: string;
  cardExpiresOn: IsoDate;
  certificateExpiresOn: IsoDate;
}

export interface SignRequest {
  /** Base64 of the bytes to sign (a challenge from GET /api/v1/verifications/challenge). */
  challenge: string;
  /** With a PIN the chip checks it; without one the reader did a face or staff visual check. */
  pin?: string | undefined;
}

export interface SignedChallenge {
  /** The certificate whose key signed, PEM. */
  certificate: string;
  /** Base64 of a DER ECDSA/SHA-256 signature over the raw challenge bytes. */
  signature: string;
  serial: string;
}

export interface RegistrationRecord {
  registrationId: string;
  cardId: string;
  kind: 'registered' | 'cancelled';
  channel: RegistrationChannel | null;
  recordedOn: IsoDate;
  /** The person's registration state on `recordedOn`, this event included. */
  state: RegistrationState;
}

export interface RenewedCertificate {
  cardId: string;
  serial: string;
  certificate: string;
  issuedOn: IsoDate;
  certificateExpiresOn: IsoDate;
  cardExpiresOn: IsoDate;
  /** The card's previous certificates, revoked on the renewal day. */
  revokedSerials: string[];
}

export interface RevokedCertificates {
  cardId: string;
  revokedOn: IsoDate;
  revokedSerials: string[];
}

export interface EndedCard {
  cardId: string;
  status: Exclude<CardStatus, 'active'>;
  endedOn: IsoDate;
}

/**
 * What a card (and the authority behind it) can do. The database-backed simulator implements it; a
 * real reader integration would implement `sign` against the chip and the rest against J-LIS
 * records.
 */
export interface CardSimulator {
  /** Issues a card (or smartphone credential): key pair, user certificate, PIN, expiry dates. */
  issue(request: IssueCardRequest): Promise<IssuedCard>;
  /** The chip's answer to a challenge. Throws CARD_PIN_WRONG / CARD_PIN_LOCKED / CONFLICT_CARD_STATE. */
  sign(cardId: string, request: SignRequest): Promise<SignedChallenge>;
  /** 健康保険証利用登録; throws CONFLICT_REGISTRATION_CERT_EXPIRING within 5 days of certificate expiry. */
  register(cardId: string, request: { recordedOn: IsoDate; channel: RegistrationChannel }): Promise<RegistrationRecord>;
  /** 利用登録解除. */
  cancel(cardId: string, request: { recordedOn: IsoDate }): Promise<RegistrationRecord>;
  /** New key pair and certificate; the previous certificate is revoked on `issuedOn`. */
  renew(cardId: string, request: { issuedOn: IsoDate }): Promise<RenewedCertificate>;
  /** Revokes the card's unrevoked certificates. */
  revoke(cardId: string, request: { revokedOn: IsoDate }): Promise<RevokedCertificates>;
  /** 返納: the card ends on `returnedOn`. */
  return(cardId: string, request: { returnedOn: IsoDate }): Promise<EndedCard>;
  /** 失効 (e.g. a move not reported in time): the card ends on `invalidatedOn`. */
  invalidate(cardId: string, request: { invalidatedOn: IsoDate }): Promise<EndedCard>;
}

export type CardChangeAction =
  | 'card.issue'
  | 'card.pin-wrong'
  | 'card.pin-locked'
  | 'card.pin-reset'
  | 'card.register'
  | 'card.cancel-registration'
  | 'card.renew-certificate'
  | 'card.revoke-certificate'
  | 'card.return'
  | 'card.invalidate';

/** A change the simulator made: ids, serials, dates and counters only (no My Number, no PIN). */
export interface CardChange {
  action: CardChangeAction;
  detail: { cardId: string } & Record<string, string | number | boolean | null | string[]>;
}

/** Called inside the transaction that makes the change, so a record of it commits with it. */
export type CardChangeListener = (trx: Kysely<Database>, change: CardChange) => Promise<void>;

type CardRow = Database['cards'];

/** An application is received on or before the card it asks for is issued. */
function assertAppliedBy(appliedOn: string, issuedOn: IsoDate): void {
  assertDate(appliedOn, 'appliedOn');
  if (appliedOn > issuedOn) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'appliedOn' },
      { ja: '申請日は交付日以前の日付です', en: 'appliedOn must be on or before issuedOn' },
    );
  }
}

function assertDate(value: string, field: string): void {
  if (!isIsoDate(value)) {
    throw new ShikakuError(
      'VALIDATION_DATE',
      { field },
      { ja: `${field}はYYYY-MM-DD形式の日付です`, en: `${field} must be a real YYYY-MM-DD date` },
    );
  }
}

function conflict(cardId: string, why: { ja: string; en: string }, extra: Record<string, unknown> = {}): ShikakuError {
  return new ShikakuError('CONFLICT_CARD_STATE', { cardId, ...extra }, why);
}

function decodeChallenge(challenge: string): Buffer {
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(challenge) ? Buffer.from(challenge, 'base64') : Buffer.alloc(0);
  if (bytes.length === 0) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'challenge' },
      { ja: 'チャレンジはBase64で指定してください', en: 'the challenge must be non-empty base64' },
    );
  }
  return bytes;
}

/** The database-backed card simulator (the stand-in for the chip and for J-LIS). */
export function databaseCardSimulator(ctx: ServiceContext, onChange?: CardChangeListener): CardSimulator {
  const { db, dialect } = ctx.store;
  const notify = async (trx: Kysely<Database>, change: CardChange): Promise<void> => {
    if (onChange) await onChange(trx, change);
  };

  const findCard = async (executor: Kysely<Database>, cardId: string, lock = false): Promise<CardRow> => {
    let query = executor.selectFrom('cards').selectAll().where('id', '=', cardId);
    if (lock && dialect === 'postgres') query = query.forUpdate();
    const card = await query.executeTakeFirst();
    if (!card) throw new ShikakuError('CARD_NOT_FOUND', { cardId });
    return card;
  };

  const birthDateOf = async (myNumberIndex: string): Promise<IsoDate> => {
    const resident = await db
      .selectFrom('residents')
      .select('birth_date')
      .where('my_number_index', '=', myNumberIndex)
      .executeTakeFirst();
    if (!resident) throw new ShikakuError('RESIDENT_NOT_FOUND');
    return resident.birth_date;
  };

  /** The certificate matching the card's current key (after a renewal, the newest one). */
  const currentCertificate = async (card: CardRow, privateKey: KeyObject) => {
    const rows = await db
      .selectFrom('card_certificates')
      .select(['serial', 'certificate_pem', 'issued_on', 'revoked_on'])
      .where('card_id', '=', card.id)
      .execute();
    // A renewal revokes every older certificate, so a single unrevoked one is the current one.
    const unrevoked = rows.filter((r) => r.revoked_on === null);
    if (unrevoked.length === 1 && unrevoked[0]) return unrevoked[0];
    // Otherwise (all revoked): most likely first, newest; the key match settles same-day ties.
    rows.sort(
      (a, b) =>
        Number(a.revoked_on !== null) - Number(b.revoked_on !== null) ||
        (a.issued_on < b.issued_on ? 1 : a.issued_on > b.issued_on ? -1 : 0),
    );
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
    for (const row of rows) {
      const key = new X509Certificate(row.certificate_pem).publicKey.export({ type: 'spki', format: 'der' });
      if (key.equals(spki)) return row;
    }
    throw conflict(card.id, {
      ja: 'カードに有効な証明書がありません',
      en: 'the card holds no certificate for its key',
    });
  };

  const endCard = async (
    cardId: string,
    status: Exclude<CardStatus, 'active'>,
    endedOn: IsoDate,
    action: 'card.return' | 'card.invalidate',
  ): Promise<EndedCard> => {
    assertDate(endedOn, status === 'returned' ? 'returnedOn' : 'invalidatedOn');
    return db.transaction().execute(async (trx) => {
      const card = await findCard(trx, cardId, true);
      if (card.status !== 'active') {
        throw conflict(
          cardId,
          { ja: 'カードは既に終了しています', en: `the card is already ${card.status}` },
          { status: card.status },
        );
      }
      if (endedOn < card.issued_on) {
        throw conflict(cardId, { ja: '交付日より前の日付です', en: 'the date is before the card was issued' });
      }
      await trx.updateTable('cards').set({ status, ended_on: endedOn }).where('id', '=', cardId).execute();
      await notify(trx, { action, detail: { cardId, endedOn } });
      return { cardId, status, endedOn };
    });
  };

  /** 利用登録 (with its channel) or 解除 (without): one row, its notice, and the person's state after it. */
  const recordRegistration = async (
    card: CardRow,
    recordedOn: IsoDate,
    channel: RegistrationChannel | null,
  ): Promise<RegistrationRecord> => {
    const cardId = card.id;
    const kind = channel === null ? 'cancelled' : 'registered';
    const registrationId = sequentialId(ctx.clock.now());
    return db.transaction().execute(async (trx) => {
      await trx
        .insertInto('card_registrations')
        .values({
          id: registrationId,
          my_number_index: card.my_number_index,
          card_id: cardId,
          kind,
          channel,
          recorded_on: recordedOn,
          created_at: nowIso(ctx),
        })
        .execute();
      await notify(
        trx,
        channel === null
          ? { action: 'card.cancel-registration', detail: { cardId, registrationId, recordedOn } }
          : { action: 'card.register', detail: { cardId, registrationId, recordedOn, channel } },
      );
      const state = await personRegistrationState(trx, card.my_number_index, recordedOn);
      return { registrationId, cardId, kind, channel, recordedOn, state };
    });
  };

  return {
    async issue(request) {
      assertDate(request.issuedOn, 'issuedOn');
      if (request.appliedOn !== undefined) assertAppliedBy(request.appliedOn, request.issuedOn);
      if (!isValidPin(request.pin)) {
        throw new ShikakuError(
          'VALIDATION_FAILED',
          { field: 'pin' },
          { ja: '暗証番号は4桁の数字です', en: 'the PIN must be 4 digits' },
        );
      }
      const birthDate = await birthDateOf(request.myNumberIndex);
      // A card's certificate never outlives the card; a smartphone credential lives as long as its certificate.
      const cardLife =
        request.kind === 'card' ? cardExpiresOn(birthDate, request.issuedOn, request.appliedOn) : undefined;
      const certificateEnd = certificateExpiresOn(birthDate, request.issuedOn, cardLife);
      const cardEnd = cardLife ?? certificateEnd;
      const ca = await loadLocalCa(ctx);
      const [certificate, pinHash] = await Promise.all([
        issueUserCertificate(ca, { issuedOn: request.issuedOn, expiresOn: certificateEnd }),
        hashPin(ctx.keyring, request.pin),
      ]);
      const cardId = newId();
      const at = nowIso(ctx);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('cards')
          .values({
            id: cardId,
            my_number_index: request.myNumberIndex,
            kind: request.kind,
            issued_on: request.issuedOn,
            expires_on: cardEnd,
            status: 'active',
            ended_on: null,
            pin_hash: pinHash,
            pin_failures: 0,
            pin_locked: 0,
            private_key_enc: ctx.keyring.encrypt(certificate.privateKeyPem),
            created_at: at,
          })
          .execute();
        await insertCertificate(trx, cardId, certificate, at);
        await notify(trx, {
          action: 'card.issue',
          detail: {
            cardId,
            kind: request.kind,
            issuedOn: request.issuedOn,
            cardExpiresOn: cardEnd,
            certificateExpiresOn: certificateEnd,
            serial: certificate.serial,
          },
        });
      });
      return {
        cardId,
        kind: request.kind,
        serial: certificate.serial,
        certificate: certificate.certificatePem,
        cardExpiresOn: cardEnd,
        certificateExpiresOn: certificateEnd,
      };
    },

    async sign(cardId, request) {
      const challenge = decodeChallenge(request.challenge);
      if (request.pin !== undefined && !isValidPin(request.pin)) {
        throw new ShikakuError(
          'VALIDATION_FAILED',
          { field: 'pin' },
          { ja: '暗証番号は4桁の数字です', en: 'the PIN must be 4 digits' },
        );
      }
      const card = await findCard(db, cardId);
      if (card.status !== 'active') {
        throw conflict(
          cardId,
          {
            ja: `カードは${card.status === 'returned' ? '返納' : '失効'}されています`,
            en: `the card is ${card.status}`,
          },
          { status: card.status },
        );
      }
      if (request.pin !== undefined) await checkPin(card, request.pin);
      const privateKey = createPrivateKey(ctx.keyring.decrypt(card.private_key_enc));
      const certificate = await currentCertificate(card, privateKey);
      return {
        certificate: certificate.certificate_pem,
        signature: signChallenge(privateKey, challenge).toString('base64'),
        serial: certificate.serial,
      };
    },

    async register(cardId, request) {
      assertDate(request.recordedOn, 'recordedOn');
      const { recordedOn, channel } = request;
      const card = await findCard(db, cardId);
      if (recordedOn < card.issued_on) {
        throw conflict(cardId, { ja: 'カードの交付日より前です', en: 'the card was not yet issued on that day' });
      }
      if (card.ended_on !== null && card.ended_on <= recordedOn) {
        throw conflict(
          cardId,
          { ja: 'カードは既に終了しています', en: `the card is ${card.status} on that day` },
          { status: card.status },
        );
      }
      const certificates = await db
        .selectFrom('card_certificates')
        .select(['serial', 'expires_on'])
        .where('card_id', '=', cardId)
        .where('issued_on', '<=', recordedOn)
        .where((eb) => eb.or([eb('revoked_on', 'is', null), eb('revoked_on', '>', recordedOn)]))
        .orderBy('issued_on', 'desc')
        .execute();
      const certificate = certificates[0];
      if (!certificate) {
        throw conflict(cardId, {
          ja: '有効な電子証明書がありません',
          en: 'the card holds no unrevoked certificate on that day',
        });
      }
      if (!canRegister(certificate.expires_on, recordedOn)) {
        throw new ShikakuError('CONFLICT_REGISTRATION_CERT_EXPIRING', {
          cardId,
          certificateExpiresOn: certificate.expires_on,
        });
      }
      return recordRegistration(card, recordedOn, channel);
    },

    async cancel(cardId, request) {
      assertDate(request.recordedOn, 'recordedOn');
      const { recordedOn } = request;
      const card = await findCard(db, cardId);
      const before = await personRegistrationState(db, card.my_number_index, recordedOn);
      if (before === 'never' || before === 'cancelled') {
        throw conflict(
          cardId,
          { ja: '利用登録されていません', en: `there is no registration to cancel (${before})` },
          { registration: before },
        );
      }
      return recordRegistration(card, recordedOn, null);
    },

    async renew(cardId, request) {
      assertDate(request.issuedOn, 'issuedOn');
      const { issuedOn } = request;
      const card = await findCard(db, cardId);
      const check = (row: CardRow, latestIssuedOn: IsoDate | null): void => {
        if (row.status !== 'active') {
          throw conflict(
            cardId,
            { ja: 'カードは既に終了しています', en: `the card is ${row.status}` },
            { status: row.status },
          );
        }
        if (row.kind === 'card' && issuedOn > row.expires_on) {
          throw conflict(cardId, {
            ja: 'カードの有効期限が切れています',
            en: 'the card itself has expired: issue a new card',
          });
        }
        if (latestIssuedOn !== null && issuedOn < latestIssuedOn) {
          throw conflict(cardId, {
            ja: '現在の証明書の発行日より前です',
            en: 'the date is before the current certificate was issued',
          });
        }
      };
      const latest = await latestIssuedOn(db, cardId);
      check(card, latest);
      const birthDate = await birthDateOf(card.my_number_index);
      const certificateEnd =
        card.kind === 'card'
          ? certificateExpiresOn(birthDate, issuedOn, card.expires_on)
          : certificateExpiresOn(birthDate, issuedOn);
      const cardEnd = card.kind === 'card' ? card.expires_on : certificateEnd;
      const certificate = await issueUserCertificate(await loadLocalCa(ctx), { issuedOn, expiresOn: certificateEnd });
      const at = nowIso(ctx);
      return db.transaction().execute(async (trx) => {
        const locked = await findCard(trx, cardId, true);
        check(locked, await latestIssuedOn(trx, cardId));
        const revoked = await trx
          .selectFrom('card_certificates')
          .select('serial')
          .where('card_id', '=', cardId)
          .where('revoked_on', 'is', null)
          .execute();
        const revokedSerials = revoked.map((r) => r.serial);
        if (revokedSerials.length > 0) {
          await trx
            .updateTable('card_certificates')
            .set({ revoked_on: issuedOn })
            .where('card_id', '=', cardId)
            .where('revoked_on', 'is', null)
            .execute();
        }
        await insertCertificate(trx, cardId, certificate, at);
        await trx
          .updateTable('cards')
          .set({ private_key_enc: ctx.keyring.encrypt(certificate.privateKeyPem), expires_on: cardEnd })
          .where('id', '=', cardId)
          .execute();
        await notify(trx, {
          action: 'card.renew-certificate',
          detail: {
            cardId,
            issuedOn,
            certificateExpiresOn: certificateEnd,
            serial: certificate.serial,
            revokedSerials,
          },
        });
        return {
          cardId,
          serial: certificate.serial,
          certificate: certificate.certificatePem,
          issuedOn,
          certificateExpiresOn: certificateEnd,
          cardExpiresOn: cardEnd,
          revokedSerials,
        };
      });
    },

    async revoke(cardId, request) {
      assertDate(request.revokedOn, 'revokedOn');
      const { revokedOn } = request;
      return db.transaction().execute(async (trx) => {
        await findCard(trx, cardId, true);
        const rows = await trx
          .selectFrom('card_certificates')
          .select(['serial', 'issued_on'])
          .where('card_id', '=', cardId)
          .where('revoked_on', 'is', null)
          .execute();
        if (rows.length === 0) {
          throw conflict(cardId, { ja: '失効できる証明書がありません', en: 'the card has no unrevoked certificate' });
        }
        if (rows.some((r) => r.issued_on > revokedOn)) {
          throw conflict(cardId, {
            ja: '証明書の発行日より前です',
            en: 'the date is before the certificate was issued',
          });
        }
        await trx
          .updateTable('card_certificates')
          .set({ revoked_on: revokedOn })
          .where('card_id', '=', cardId)
          .where('revoked_on', 'is', null)
          .execute();
        const revokedSerials = rows.map((r) => r.serial);
        await notify(trx, { action: 'card.revoke-certificate', detail: { cardId, revokedOn, revokedSerials } });
        return { cardId, revokedOn, revokedSerials };
      });
    },

    return(cardId, request) {
      return endCard(cardId, 'returned', request.returnedOn, 'card.return');
    },

    invalidate(cardId, request) {
      return endCard(cardId, 'invalidated', request.invalidatedOn, 'card.invalidate');
    },
  };

  /**
   * The PIN check of the chip. A wrong PIN counts (committed before the error is thrown); the 3rd
   * wrong one locks; a locked PIN refuses even the right one; a right one resets the count.
   */
  async function checkPin(card: CardRow, pin: string): Promise<void> {
    if (card.pin_locked) throw new ShikakuError('CARD_PIN_LOCKED', { cardId: card.id });
    const right = await verifyPin(ctx.keyring, pin, card.pin_hash);
    if (right) {
      if (card.pin_failures === 0) return;
      const reset = await db.transaction().execute(async (trx) => {
        // A lock that a concurrent wrong try just set wins over this reset.
        const result = await trx
          .updateTable('cards')
          .set({ pin_failures: 0 })
          .where('id', '=', card.id)
          .where('pin_locked', '=', 0)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
        await notify(trx, { action: 'card.pin-reset', detail: { cardId: card.id } });
        return true;
      });
      if (!reset) throw new ShikakuError('CARD_PIN_LOCKED', { cardId: card.id });
      return;
    }
    const failures = await db.transaction().execute(async (trx) => {
      const locked = await findCard(trx, card.id, true);
      if (locked.pin_locked) return PIN_MAX_TRIES;
      const count = locked.pin_failures + 1;
      const lock = count >= PIN_MAX_TRIES;
      await trx
        .updateTable('cards')
        .set({ pin_failures: count, pin_locked: lock ? 1 : 0 })
        .where('id', '=', card.id)
        .execute();
      await notify(trx, {
        action: lock ? 'card.pin-locked' : 'card.pin-wrong',
        detail: { cardId: card.id, remainingTries: PIN_MAX_TRIES - count },
      });
      return count;
    });
    if (failures >= PIN_MAX_TRIES) throw new ShikakuError('CARD_PIN_LOCKED', { cardId: card.id });
    throw new ShikakuError('CARD_PIN_WRONG', { cardId: card.id, remainingTries: PIN_MAX_TRIES - failures });
  }
}

async function latestIssuedOn(db: Kysely<Database>, cardId: string): Promise<IsoDate | null> {
  const row = await db
    .selectFrom('card_certificates')
    .select((eb) => eb.fn.max('issued_on').as('latest'))
    .where('card_id', '=', cardId)
    .executeTakeFirst();
  return (row?.latest as IsoDate | null | undefined) ?? null;
}

async function insertCertificate(
  trx: Kysely<Database>,
  cardId: string,
  certificate: UserCertificate,
  at: string,
): Promise<void> {
  await trx
    .insertInto('card_certificates')
    .values({
      serial: certificate.serial,
      card_id: cardId,
      certificate_pem: certificate.certificatePem,
      fingerprint: certificate.fingerprint,
      public_key_jwk: certificate.publicKeyJwk,
      issued_on: certificate.issuedOn,
      expires_on: certificate.expiresOn,
      revoked_on: null,
      created_at: at,
    })
    .execute();
}
