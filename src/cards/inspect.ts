/**
 * What the hub learns from a presented card (DESIGN.md §2, §5.1): chain, signature, the certificate
 * and card on record, and the person's registration, all as they stood on `asOf` (bitemporal: an
 * end, revocation or registration event dated after `asOf` is ignored). On the verification hot
 * path: a certificate on record is checked with the key kept on its record, any other is parsed
 * once, the CA is cached, and three indexed queries answer the rest.
 */
import { createPublicKey, type JsonWebKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { RegistrationState } from '../domain/card-life.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { ServiceContext } from '../services/context.js';
import { fastAll } from '../store/fast.js';
import { type LocalCa, loadLocalCa } from './ca.js';
import { certificateFingerprint, verifyChallengeSignature } from './certificates.js';
import { PIN_MAX_TRIES } from './pin.js';
import { type CardKind, type CardStatus, personRegistrationState } from './records.js';

export interface PresentedCard {
  certificatePem: string;
  /** Base64. */
  challenge: string;
  /** Base64 (DER ECDSA/SHA-256 over the raw challenge bytes). */
  signature: string;
}

export interface CardInspection {
  /** Signed by our CA, and known to us. */
  chain: 'trusted' | 'untrusted';
  /** The signature over the challenge bytes verifies with the certificate's key. */
  signature: 'valid' | 'invalid';
  certificate: { serial: string; issuedOn: IsoDate; expiresOn: IsoDate; revokedOn: IsoDate | null } | null;
  card: {
    cardId: string;
    kind: CardKind;
    expiresOn: IsoDate;
    status: CardStatus;
    endedOn: IsoDate | null;
    pinLocked: boolean;
  } | null;
  /** registrationState(events of the person, certificates of the person's cards, asOf). */
  registration: RegistrationState;
  /** The person, for the hub lookup; never the number itself. */
  myNumberIndex: string | null;
}

const UNKNOWN: Omit<CardInspection, 'signature'> = {
  chain: 'untrusted',
  certificate: null,
  card: null,
  registration: 'never',
  myNumberIndex: null,
};

function safely<T>(fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/** An end or revocation dated after `asOf` had not happened yet on `asOf`. */
function asOfDate(date: IsoDate | null, asOf: IsoDate): IsoDate | null {
  return date !== null && date <= asOf ? date : null;
}

/** What a presented certificate's checks need, kept per fingerprint: a card is presented again and again. */
interface KnownCertificate {
  publicKey: KeyObject;
  fingerprint: string;
  signedByCa: boolean;
}

/** Known certificates per CA, by fingerprint, least recently presented first. */
const knownByCa = new WeakMap<LocalCa, Map<string, KnownCertificate>>();
/**
 * Enough for the cards presented in a working day of a large association. Building a key costs
 * ~60 µs, as much as the signature check; an entry ~3 KiB, so 150 MiB when full.
 */
const KNOWN_CACHE_SIZE = 50_000;

function knownOf(ca: LocalCa): Map<string, KnownCertificate> {
  let cache = knownByCa.get(ca);
  if (!cache) {
    cache = new Map();
    knownByCa.set(ca, cache);
  }
  return cache;
}

/** The certificate known by `fingerprint`, now the most recently presented. */
function recall(ca: LocalCa, fingerprint: string): KnownCertificate | null {
  const cache = knownOf(ca);
  const known = cache.get(fingerprint);
  if (!known) return null;
  cache.delete(fingerprint);
  cache.set(fingerprint, known);
  return known;
}

function remember(ca: LocalCa, known: KnownCertificate): KnownCertificate {
  const cache = knownOf(ca);
  if (cache.size >= KNOWN_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(known.fingerprint, known);
  return known;
}

/** Parses a PEM: its public key, its SHA-256 fingerprint, and whether our CA signed it (null for garbage). */
function parseCertificate(ca: LocalCa, pem: string): KnownCertificate | null {
  const certificate = safely<X509Certificate | null>(null, () => new X509Certificate(pem));
  if (!certificate) return null;
  return remember(ca, {
    publicKey: certificate.publicKey,
    fingerprint: certificateFingerprint(certificate.raw),
    signedByCa: safely(false, () => certificate.verify(ca.publicKey)),
  });
}

const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END CERTIFICATE-----\s*$/;

/** The SHA-256 fingerprint of a plain PEM certificate's DER, without parsing it (null for anything else). */
function pemFingerprint(pem: string): string | null {
  const body = PEM_CERTIFICATE.exec(pem)?.[1];
  return body ? certificateFingerprint(Buffer.from(body, 'base64')) : null;
}

interface CardRow {
  serial: string;
  public_key_jwk: string | null;
  certificate_issued_on: IsoDate;
  certificate_expires_on: IsoDate;
  revoked_on: IsoDate | null;
  card_id: string;
  my_number_index: string;
  kind: CardKind;
  card_expires_on: IsoDate;
  status: CardStatus;
  ended_on: IsoDate | null;
  pin_locked: number;
}

/** The certificate on record and its card (hand-written for the hot path: src/store/fast.ts). */
const CARD_BY_FINGERPRINT = `select cc.serial, cc.public_key_jwk, cc.issued_on as certificate_issued_on,
    cc.expires_on as certificate_expires_on, cc.revoked_on, c.id as card_id, c.my_number_index, c.kind,
    c.expires_on as card_expires_on, c.status, c.ended_on, c.pin_locked
  from card_certificates cc inner join cards c on c.id = cc.card_id
  where cc.fingerprint = ?`;

async function cardByFingerprint(ctx: ServiceContext, fingerprint: string): Promise<CardRow | undefined> {
  const [row] = await fastAll<CardRow>(ctx.store.db, CARD_BY_FINGERPRINT, [fingerprint]);
  return row;
}

/**
 * Inspects a presented card on `asOf`. Garbage (a malformed PEM, signature or challenge) gives
 * `untrusted` / `invalid`, never a throw. A certificate signed by a foreign CA, or by ours but not
 * on record, is `untrusted` and tells nothing about a card or person. `card.pinLocked` is the
 * current lock (the store keeps no lock date).
 *
 * A certificate seen lately is known by the SHA-256 of its DER (its fingerprint, taken without a
 * parse), with its key built. Otherwise one on record with its key (0005) is found by that
 * fingerprint and checked with that key. It is ours, since only certificates our
 * CA issued are on record, so it needs no parse and no CA check (docs/PERFORMANCE.md). Anything
 * else is parsed.
 */
export async function inspectPresentedCard(
  ctx: ServiceContext,
  presented: PresentedCard,
  asOf: IsoDate,
): Promise<CardInspection> {
  const ca = await loadLocalCa(ctx);
  const pem = presented.certificatePem;
  if (typeof pem !== 'string') return { ...UNKNOWN, signature: 'invalid' };
  // The record, once looked up (undefined: none on record).
  let record: { row: CardRow | undefined } | null = null;
  const fingerprint = pemFingerprint(pem);
  let known = fingerprint === null ? null : recall(ca, fingerprint);
  if (!known) {
    if (fingerprint !== null) record = { row: await cardByFingerprint(ctx, fingerprint) };
    const jwk = record?.row?.public_key_jwk;
    known =
      fingerprint !== null && jwk
        ? remember(ca, {
            publicKey: createPublicKey({ key: JSON.parse(jwk) as JsonWebKey, format: 'jwk' }),
            fingerprint,
            signedByCa: true,
          })
        : parseCertificate(ca, pem);
  }
  if (!known) return { ...UNKNOWN, signature: 'invalid' };

  const signatureValid =
    typeof presented.challenge === 'string' &&
    typeof presented.signature === 'string' &&
    verifyChallengeSignature(
      known.publicKey,
      Buffer.from(presented.challenge, 'base64'),
      Buffer.from(presented.signature, 'base64'),
    );
  const signature = signatureValid ? 'valid' : 'invalid';
  if (!known.signedByCa) return { ...UNKNOWN, signature };

  const row = (record ?? { row: await cardByFingerprint(ctx, known.fingerprint) }).row;
  if (!row) return { ...UNKNOWN, signature };

  const endedOn = asOfDate(row.ended_on, asOf);
  return {
    chain: 'trusted',
    signature,
    certificate: {
      serial: row.serial,
      issuedOn: row.certificate_issued_on,
      expiresOn: row.certificate_expires_on,
      revokedOn: asOfDate(row.revoked_on, asOf),
    },
    card: {
      cardId: row.card_id,
      kind: row.kind,
      expiresOn: row.card_expires_on,
      status: endedOn === null ? 'active' : row.status,
      endedOn,
      pinLocked: Boolean(row.pin_locked),
    },
    registration: await personRegistrationState(ctx.store.db, row.my_number_index, asOf),
    myNumberIndex: row.my_number_index,
  };
}

/** A card as an operator sees it on `asOf` (GET /api/v1/cards/{id}); no key, PIN or My Number. */
export interface CardView {
  cardId: string;
  kind: CardKind;
  issuedOn: IsoDate;
  expiresOn: IsoDate;
  status: CardStatus;
  endedOn: IsoDate | null;
  pinLocked: boolean;
  pinRemainingTries: number;
  certificates: Array<{ serial: string; issuedOn: IsoDate; expiresOn: IsoDate; revokedOn: IsoDate | null }>;
  registration: RegistrationState;
  asOf: IsoDate;
}

/** The card on `asOf`, with its certificates issued by then (newest first) and the person's registration. */
export async function describeCard(ctx: ServiceContext, cardId: string, asOf: IsoDate): Promise<CardView> {
  const { db } = ctx.store;
  const card = await db.selectFrom('cards').selectAll().where('id', '=', cardId).executeTakeFirst();
  if (!card) throw new ShikakuError('CARD_NOT_FOUND', { cardId });
  const [certificates, registration] = await Promise.all([
    db
      .selectFrom('card_certificates')
      .select(['serial', 'issued_on', 'expires_on', 'revoked_on'])
      .where('card_id', '=', cardId)
      .where('issued_on', '<=', asOf)
      .orderBy('issued_on', 'desc')
      .orderBy('created_at', 'desc')
      .execute(),
    personRegistrationState(db, card.my_number_index, asOf),
  ]);
  const endedOn = asOfDate(card.ended_on, asOf);
  return {
    cardId,
    kind: card.kind,
    issuedOn: card.issued_on,
    expiresOn: card.expires_on,
    status: endedOn === null ? 'active' : card.status,
    endedOn,
    pinLocked: Boolean(card.pin_locked),
    pinRemainingTries: card.pin_locked ? 0 : Math.max(0, PIN_MAX_TRIES - card.pin_failures),
    certificates: certificates.map((c) => ({
      serial: c.serial,
      issuedOn: c.issued_on,
      expiresOn: c.expires_on,
      revokedOn: asOfDate(c.revoked_on, asOf),
    })),
    registration,
    asOf,
  };
}
