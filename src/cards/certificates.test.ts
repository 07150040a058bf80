import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CA_COMMON_NAME, caFromMaterial, generateCa } from './ca.js';
import {
  certificateFingerprint,
  issueUserCertificate,
  jstEndOfDay,
  jstStartOfDay,
  newSerial,
  publicKeyJwkOf,
  signChallenge,
  verifyChallengeSignature,
} from './certificates.js';
import { x509 } from './x509.js';

const now = new Date('2025-11-21T01:00:00Z');
const ca = caFromMaterial(await generateCa(now));
const foreign = caFromMaterial(await generateCa(now, CA_COMMON_NAME)); // an impostor with the same name
const user = await issueUserCertificate(ca, { issuedOn: '2025-12-02', expiresOn: '2030-10-01' });
const node = new X509Certificate(user.certificatePem);

const work = mkdtempSync(join(tmpdir(), 'shikaku-cert-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `openssl verify` at a given instant: an independent check of chain, extensions and validity. */
function opensslVerify(caPem: string, certPem: string, at: Date): boolean {
  const caFile = join(work, 'ca.pem');
  const certFile = join(work, 'user.pem');
  writeFileSync(caFile, caPem);
  writeFileSync(certFile, certPem);
  try {
    execFileSync(
      'openssl',
      ['verify', '-CAfile', caFile, '-attime', String(Math.floor(at.getTime() / 1000)), certFile],
      {
        stdio: 'pipe',
      },
    );
    return true;
  } catch {
    return false;
  }
}

describe('the local CA certificate', () => {
  const parsed = new x509.X509Certificate(ca.certificatePem);

  it('is self-signed, named "Shikaku JPKI stand-in CA", a CA for certificates and CRLs', () => {
    expect(parsed.subject).toBe(`CN=${CA_COMMON_NAME}`);
    expect(parsed.issuer).toBe(parsed.subject);
    expect(ca.certificate.ca).toBe(true);
    expect(ca.certificate.verify(ca.publicKey)).toBe(true);
    const usage = parsed.getExtension(x509.KeyUsagesExtension);
    expect(usage?.critical).toBe(true);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(parsed.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
  });

  it('is valid 20 years from the start of the creation day in Japan, with ECDSA P-256', () => {
    expect(parsed.notBefore.toISOString()).toBe('2025-11-20T15:00:00.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2045-11-20T15:00:00.000Z');
    expect(ca.publicKey.asymmetricKeyType).toBe('ec');
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });
});

describe('user certificates', () => {
  it('carry no personal data: CN is the random serial', () => {
    expect(node.subject).toBe(`CN=${user.serial}`);
    expect(node.serialNumber).toBe(user.serial);
    expect(user.serial).toMatch(/^[1-7][0-9A-F]{15}$/);
    expect(newSerial()).not.toBe(newSerial());
  });

  it('are valid from issuedOn 00:00 JST to expiresOn 23:59:59 JST', () => {
    const parsed = new x509.X509Certificate(user.certificatePem);
    expect(parsed.notBefore.toISOString()).toBe('2025-12-01T15:00:00.000Z');
    expect(parsed.notAfter.toISOString()).toBe('2030-10-01T14:59:59.000Z');
    expect(jstStartOfDay('2024-02-29').toISOString()).toBe('2024-02-28T15:00:00.000Z');
    expect(jstEndOfDay('2024-02-29').toISOString()).toBe('2024-02-29T14:59:59.000Z');
  });

  it('are for digital signature only, not a CA, and name our CA as issuer', () => {
    const parsed = new x509.X509Certificate(user.certificatePem);
    expect(parsed.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(parsed.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(node.issuer).toBe(`CN=${CA_COMMON_NAME}`);
    expect(node.checkIssued(ca.certificate)).toBe(true);
  });

  it('chain to our CA and not to a foreign CA of the same name', () => {
    expect(node.verify(ca.publicKey)).toBe(true);
    expect(node.verify(foreign.publicKey)).toBe(false);
  });

  it.skipIf(!hasOpenssl())('pass openssl verify against our CA within their validity only', () => {
    expect(opensslVerify(ca.certificatePem, user.certificatePem, new Date('2026-01-01T00:00:00Z'))).toBe(true);
    // Just before 2030-10-01 23:59:59 JST (OpenSSL counts notAfter itself as expired), and just after.
    expect(opensslVerify(ca.certificatePem, user.certificatePem, new Date('2030-10-01T14:59:58Z'))).toBe(true);
    expect(opensslVerify(ca.certificatePem, user.certificatePem, new Date('2030-10-01T15:00:00Z'))).toBe(false);
    expect(opensslVerify(foreign.certificatePem, user.certificatePem, new Date('2026-01-01T00:00:00Z'))).toBe(false);
  });

  it('have a SHA-256 fingerprint of their DER', () => {
    expect(user.fingerprint).toBe(certificateFingerprint(node.raw));
    expect(user.fingerprint).toBe(node.fingerprint256.replaceAll(':', '').toLowerCase());
  });

  it('come with a fresh PKCS#8 P-256 key matching the certificate', () => {
    const key = createPrivateKey(user.privateKeyPem);
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const other = issueUserCertificate(ca, { issuedOn: '2025-12-02', expiresOn: '2030-10-01' });
    return other.then((o) => expect(o.privateKeyPem).not.toBe(user.privateKeyPem));
  });
});

describe('challenge signatures', () => {
  const challenge = Buffer.from('0123456789abcdef0123456789abcdef');
  const signature = signChallenge(user.privateKeyPem, challenge);

  it('are DER ECDSA over the raw bytes and verify with the certificate key', () => {
    expect(signature[0]).toBe(0x30); // DER SEQUENCE { r, s }
    expect(verifyChallengeSignature(node.publicKey, challenge, signature)).toBe(true);
  });

  it('fail on a tampered challenge, another key, or garbage', async () => {
    const tampered = Buffer.from(challenge);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    expect(verifyChallengeSignature(node.publicKey, tampered, signature)).toBe(false);
    const other = await issueUserCertificate(ca, { issuedOn: '2025-12-02', expiresOn: '2030-10-01' });
    expect(verifyChallengeSignature(new X509Certificate(other.certificatePem).publicKey, challenge, signature)).toBe(
      false,
    );
    expect(verifyChallengeSignature(node.publicKey, challenge, Buffer.from('not a signature'))).toBe(false);
    expect(verifyChallengeSignature(node.publicKey, challenge, Buffer.alloc(0))).toBe(false);
  });
});

describe('publicKeyJwkOf', () => {
  it("reads the JWK from the DER SubjectPublicKeyInfo as Node's JWK export would give it", () => {
    for (let i = 0; i < 20; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const { kty, crv, x, y } = publicKey.export({ format: 'jwk' });
      expect(JSON.parse(publicKeyJwkOf(publicKey.export({ type: 'spki', format: 'der' })))).toEqual({ kty, crv, x, y });
    }
    expect(JSON.parse(user.publicKeyJwk)).toMatchObject({ kty: 'EC', crv: 'P-256' });
  });

  it('refuses any key but P-256', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    expect(() => publicKeyJwkOf(other.export({ type: 'spki', format: 'der' }))).toThrow('not a P-256');
  });

  it('issuance never exports a key as JWK while other key generations may be pending', async () => {
    // Node 20 can deadlock in `export({ format: 'jwk' })` when a GC finalises a key-generation job
    // (publicKeyJwkOf's note). Many issuances in flight at once, every KeyObject export watched.
    const probe = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spies = [Object.getPrototypeOf(probe.publicKey), Object.getPrototypeOf(probe.privateKey)].map((proto) =>
      vi.spyOn(proto, 'export'),
    );
    const jwkExports = () =>
      spies.flatMap((spy) => spy.mock.calls).filter((args) => (args[0] as { format?: string })?.format === 'jwk');
    try {
      const issued = await Promise.all(
        Array.from({ length: 16 }, () => issueUserCertificate(ca, { issuedOn: '2025-12-02', expiresOn: '2030-10-01' })),
      );
      expect(jwkExports()).toEqual([]);
      for (const c of issued) {
        const { kty, crv, x, y } = new X509Certificate(c.certificatePem).publicKey.export({ format: 'jwk' });
        expect(JSON.parse(c.publicKeyJwk)).toEqual({ kty, crv, x, y });
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
