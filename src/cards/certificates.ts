/**
 * User certificates (利用者証明用電子証明書) of the card stand-in, and the signatures a card makes.
 *
 * Algorithms: ECDSA P-256 with SHA-256 for the CA and every card. Real JPKI uses RSA-2048; P-256 keeps
 * issuance at a few milliseconds, which matters when a bench issues cards for a million members, and
 * node:crypto verifies either the same way.
 * Signatures are DER-encoded ECDSA (`SEQUENCE { r, s }`, node:crypto's default and what OpenSSL and
 * X.509 use), over the raw challenge bytes hashed with SHA-256.
 */
import { createHash, createPrivateKey, type KeyObject, randomBytes, sign, verify, webcrypto } from 'node:crypto';
import type { IsoDate } from '../domain/dates.js';
import { x509 } from './x509.js';

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** The digest node:crypto `sign`/`verify` use with the card's EC key (DER signature). */
export const SIGNATURE_DIGEST = 'sha256';

/** Start of a day in Japan: a certificate issued on D is valid from D 00:00 JST. */
export function jstStartOfDay(date: IsoDate): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** End of a day in Japan: a certificate expiring on D is valid through D 23:59:59 JST. */
export function jstEndOfDay(date: IsoDate): Date {
  return new Date(`${date}T23:59:59+09:00`);
}

/** SHA-256 of the DER certificate, hex: how a presented certificate is found (card_certificates.fingerprint). */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/**
 * A random positive 64-bit serial, as 16 upper-case hex digits (what node:crypto's
 * `X509Certificate.serialNumber` prints). The top bit is cleared so DER needs no leading zero byte,
 * and the first byte is never 0 so the printed serial keeps its 16 digits.
 */
export function newSerial(): string {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString('hex').toUpperCase();
}

/** What signs user certificates: the CA's subject and private key. */
export interface CertificateIssuer {
  readonly subject: string;
  /** SubjectKeyIdentifier of the CA, copied into the user certificate's AuthorityKeyIdentifier. */
  readonly keyIdentifier: string | null;
  signingKey(): Promise<webcrypto.CryptoKey>;
}

export interface UserCertificate {
  readonly serial: string;
  readonly certificatePem: string;
  readonly fingerprint: string;
  /** The certificate's public key as JWK (JSON): kept on record so a presented certificate needs no parse. */
  readonly publicKeyJwk: string;
  /** PKCS#8 PEM of the card's private key: the caller encrypts it before storing it. */
  readonly privateKeyPem: string;
  readonly issuedOn: IsoDate;
  readonly expiresOn: IsoDate;
}

/**
 * A new key pair and a user certificate for it. No personal data in the subject: CN is the random
 * serial. Valid from `issuedOn` 00:00 JST to `expiresOn` 23:59:59 JST; keyUsage digitalSignature.
 */
export async function issueUserCertificate(
  issuer: CertificateIssuer,
  validity: { issuedOn: IsoDate; expiresOn: IsoDate },
): Promise<UserCertificate> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const serial = newSerial();
  const extensions: InstanceType<typeof x509.Extension>[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  ];
  if (issuer.keyIdentifier) extensions.push(new x509.AuthorityKeyIdentifierExtension(issuer.keyIdentifier));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject: `CN=${serial}`,
    issuer: issuer.subject,
    notBefore: jstStartOfDay(validity.issuedOn),
    notAfter: jstEndOfDay(validity.expiresOn),
    signingAlgorithm: SIGNING_ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: await issuer.signingKey(),
    extensions,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return {
    serial,
    certificatePem: certificate.toString('pem'),
    fingerprint: certificateFingerprint(new Uint8Array(certificate.rawData)),
    // From the certificate's own DER, in JavaScript: no KeyObject export (see publicKeyJwkOf).
    publicKeyJwk: publicKeyJwkOf(new Uint8Array(certificate.publicKey.rawData)),
    privateKeyPem: pemOf('PRIVATE KEY', pkcs8),
    issuedOn: validity.issuedOn,
    expiresOn: validity.expiresOn,
  };
}

/** DER SubjectPublicKeyInfo of a P-256 key up to its point: SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING. */
export const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

/**
 * A P-256 public key as the JWK text kept on record (card_certificates.public_key_jwk), read from its
 * DER SubjectPublicKeyInfo: the uncompressed point 04‖X‖Y that follows the fixed prefix.
 *
 * Deliberately not `KeyObject.export({ format: 'jwk' })`: Node 20 holds the key's mutex while that
 * export allocates its strings, and a garbage collection there may finalise a finished key-generation
 * job that waits for the same mutex (`KeyGenJob::~KeyGenJob` ← `ExportJWKEcKey`): the process hangs.
 * Issuance generates keys while others are being exported, so it reads the bytes itself.
 */
export function publicKeyJwkOf(spki: Uint8Array): string {
  const der = Buffer.from(spki.buffer, spki.byteOffset, spki.byteLength);
  if (
    der.length !== P256_SPKI_PREFIX.length + 65 ||
    !der.subarray(0, P256_SPKI_PREFIX.length).equals(P256_SPKI_PREFIX)
  ) {
    throw new Error('publicKeyJwkOf: not a P-256 SubjectPublicKeyInfo');
  }
  const point = der.subarray(P256_SPKI_PREFIX.length);
  if (point[0] !== 0x04) throw new Error('publicKeyJwkOf: not an uncompressed point');
  const x = point.subarray(1, 33).toString('base64url');
  const y = point.subarray(33, 65).toString('base64url');
  return JSON.stringify({ kty: 'EC', crv: 'P-256', x, y });
}

export function pemOf(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** What the chip does: a DER ECDSA/SHA-256 signature over the raw challenge bytes. */
export function signChallenge(privateKey: KeyObject | string, challenge: Uint8Array): Buffer {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return sign(SIGNATURE_DIGEST, challenge, key);
}

/** Checks a card's signature with the certificate's public key; false (never a throw) for garbage. */
export function verifyChallengeSignature(publicKey: KeyObject, challenge: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(SIGNATURE_DIGEST, challenge, publicKey, signature);
  } catch {
    return false;
  }
}
