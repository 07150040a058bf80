/**
 * Bench shortcut: user certificates minted from a template in ~0.5 ms instead of ~10 ms.
 *
 * `issueUserCertificate` (src/cards/certificates.ts) builds each certificate with @peculiar/x509, whose
 * ASN.1 work costs ~10 ms per certificate on this machine: 20,000 cards would take minutes. Here one
 * certificate is made by that real code path as a template; each further certificate copies its
 * to-be-signed bytes, overwrites the fields that differ (serial, subject CN = serial, validity, public
 * key: all fixed-length in DER, so no length changes) and is signed by the CA's key with node:crypto.
 * The result is byte-for-byte what the real path would produce for the same key, serial and dates
 * (same extensions, same issuer, same algorithms): test/bench/generate.test.ts checks that it parses,
 * chains to the CA and verifies signatures.
 */
import { createECDH, createHash, createPrivateKey, type KeyObject, sign } from 'node:crypto';
import type { LocalCa } from '../src/cards/ca.js';
import {
  issueUserCertificate,
  jstEndOfDay,
  jstStartOfDay,
  newSerial,
  P256_SPKI_PREFIX,
  pemOf,
  publicKeyJwkOf,
  type UserCertificate,
} from '../src/cards/certificates.js';
import { x509 } from '../src/cards/x509.js';
import type { IsoDate } from '../src/domain/dates.js';

/** DER length bytes. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  if (n < 0x10000) return Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
}

/** Offset and total length of the DER element starting at `at`: [headerLength, contentLength]. */
function derElement(buf: Buffer, at: number): { header: number; length: number } {
  const first = buf[at + 1] ?? 0;
  if (first < 0x80) return { header: 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (buf[at + 2 + i] ?? 0);
  return { header: 2 + count, length };
}

/** UTCTime text as X.509 encodes it for dates before 2050 (YYMMDDHHMMSSZ). */
function utcTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

function indexOfOnce(haystack: Buffer, needle: Buffer, what: string): number {
  const at = haystack.indexOf(needle);
  if (at < 0 || haystack.indexOf(needle, at + 1) >= 0) throw new Error(`fast-cert: ${what} not found once in template`);
  return at;
}

/** PKCS#8 DER of a P-256 key up to its 32-byte scalar, and between the scalar and the public point. */
const P256_PKCS8_HEAD = Buffer.from('308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420', 'hex');
const P256_PKCS8_MIDDLE = Buffer.from('a144034200', 'hex');

/**
 * A fresh P-256 key pair as bytes: its SubjectPublicKeyInfo and PKCS#8 DER. Made with ECDH (a
 * synchronous EC_KEY generation) and encoded here: no KeyObject is generated or exported, so no
 * key-generation job and no export holding a key's mutex (the deadlock in publicKeyJwkOf's note).
 */
export function p256KeyPair(): { spki: Buffer; pkcs8: Buffer } {
  const ecdh = createECDH('prime256v1');
  const point = ecdh.generateKeys();
  const scalar = Buffer.alloc(32);
  const d = ecdh.getPrivateKey();
  d.copy(scalar, 32 - d.length);
  return {
    spki: Buffer.concat([P256_SPKI_PREFIX, point]),
    pkcs8: Buffer.concat([P256_PKCS8_HEAD, scalar, P256_PKCS8_MIDDLE, point]),
  };
}

export interface CertificateMinter {
  mint(validity: { issuedOn: IsoDate; expiresOn: IsoDate }): UserCertificate & { privateKey: KeyObject };
}

/**
 * A minter for `ca`, whose private key is `caKey`. Dates must be before 2050 (UTCTime, as in the
 * template); the template is issued for 2030-2035 so every date field has the same encoding.
 */
export async function certificateMinter(ca: LocalCa, caKey: KeyObject): Promise<CertificateMinter> {
  const templateValidity = { issuedOn: '2030-01-02', expiresOn: '2035-01-02' };
  const template = await issueUserCertificate(ca, templateValidity);
  const der = Buffer.from(
    template.certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
    'base64',
  );
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
  const outer = derElement(der, 0);
  const tbsStart = outer.header;
  const tbsElement = derElement(der, tbsStart);
  const tbsEnd = tbsStart + tbsElement.header + tbsElement.length;
  const tbs = Buffer.from(der.subarray(tbsStart, tbsEnd));
  const algStart = tbsEnd;
  const algElement = derElement(der, algStart);
  const signatureAlgorithm = Buffer.from(der.subarray(algStart, algStart + algElement.header + algElement.length));

  const serialBytes = Buffer.from(template.serial, 'hex');
  const serialAt = indexOfOnce(tbs, Buffer.concat([Buffer.from([0x02, serialBytes.length]), serialBytes]), 'serial');
  const cnAt = indexOfOnce(tbs, Buffer.from(template.serial, 'latin1'), 'subject CN');
  const notBeforeAt = indexOfOnce(
    tbs,
    Buffer.from(utcTime(jstStartOfDay(templateValidity.issuedOn)), 'latin1'),
    'notBefore',
  );
  const notAfterAt = indexOfOnce(
    tbs,
    Buffer.from(utcTime(jstEndOfDay(templateValidity.expiresOn)), 'latin1'),
    'notAfter',
  );
  const spki = Buffer.from(new x509.X509Certificate(template.certificatePem).publicKey.rawData);
  const spkiAt = indexOfOnce(tbs, spki, 'subjectPublicKeyInfo');

  return {
    mint(validity) {
      if (validity.expiresOn >= '2049-12-31') throw new Error('fast-cert: dates from 2050 need GeneralizedTime');
      const keys = p256KeyPair();
      const serial = newSerial();
      const body = Buffer.from(tbs);
      Buffer.from(serial, 'hex').copy(body, serialAt + 2);
      body.write(serial, cnAt, 'latin1');
      body.write(utcTime(jstStartOfDay(validity.issuedOn)), notBeforeAt, 'latin1');
      body.write(utcTime(jstEndOfDay(validity.expiresOn)), notAfterAt, 'latin1');
      keys.spki.copy(body, spkiAt);
      const signature = sign('sha256', body, caKey);
      const bitString = Buffer.concat([
        Buffer.from([0x03]),
        derLength(signature.length + 1),
        Buffer.from([0]),
        signature,
      ]);
      const content = Buffer.concat([body, signatureAlgorithm, bitString]);
      const certificate = Buffer.concat([Buffer.from([0x30]), derLength(content.length), content]);
      return {
        serial,
        certificatePem: pemOf('CERTIFICATE', certificate),
        fingerprint: createHash('sha256').update(certificate).digest('hex'),
        publicKeyJwk: publicKeyJwkOf(keys.spki),
        privateKeyPem: pemOf('PRIVATE KEY', keys.pkcs8),
        privateKey: createPrivateKey({ key: keys.pkcs8, format: 'der', type: 'pkcs8' }),
        issuedOn: validity.issuedOn,
        expiresOn: validity.expiresOn,
      };
    },
  };
}
