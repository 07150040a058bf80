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
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { LocalCa } from '../src/cards/ca.js';
import {
  issueUserCertificate,
  jstEndOfDay,
  jstStartOfDay,
  newSerial,
  pemOf,
  publicKeyJwkOf,
  type UserCertificate,
} from '../src/cards/certificates.js';
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
  const templateKey = createPrivateKey(template.privateKeyPem);
  const spki = createPublicKey(templateKey).export({ type: 'spki', format: 'der' });
  const spkiAt = indexOfOnce(tbs, spki, 'subjectPublicKeyInfo');

  return {
    mint(validity) {
      if (validity.expiresOn >= '2049-12-31') throw new Error('fast-cert: dates from 2050 need GeneralizedTime');
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const serial = newSerial();
      const body = Buffer.from(tbs);
      Buffer.from(serial, 'hex').copy(body, serialAt + 2);
      body.write(serial, cnAt, 'latin1');
      body.write(utcTime(jstStartOfDay(validity.issuedOn)), notBeforeAt, 'latin1');
      body.write(utcTime(jstEndOfDay(validity.expiresOn)), notAfterAt, 'latin1');
      publicKey.export({ type: 'spki', format: 'der' }).copy(body, spkiAt);
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
        publicKeyJwk: publicKeyJwkOf(publicKey),
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        privateKey,
        issuedOn: validity.issuedOn,
        expiresOn: validity.expiresOn,
      };
    },
  };
}
