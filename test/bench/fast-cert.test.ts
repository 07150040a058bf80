/**
 * The bench's key pairs (bench/fast-cert.ts) are made and encoded without KeyObject key generation
 * or export: the pattern that deadlocked the generator in Node 20 (src/cards/certificates.ts,
 * publicKeyJwkOf). They must still be exactly the keys Node would encode.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, X509Certificate } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { certificateMinter, p256KeyPair } from '../../bench/fast-cert.js';
import { caFromMaterial, generateCa } from '../../src/cards/ca.js';

describe('bench key pairs', () => {
  it("are P-256 keys whose DER is what Node's own encoder writes", () => {
    for (let i = 0; i < 20; i++) {
      const { spki, pkcs8 } = p256KeyPair();
      const privateKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
      expect(privateKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
      expect(privateKey.export({ type: 'pkcs8', format: 'der' }).equals(pkcs8)).toBe(true);
      expect(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).equals(spki)).toBe(true);
    }
  });

  it('are minted into certificates with no KeyObject generation or export', async () => {
    const material = await generateCa(new Date('2025-11-21T01:00:00Z'));
    const minter = await certificateMinter(caFromMaterial(material), createPrivateKey(material.privateKeyPem));
    const probe = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spies = [Object.getPrototypeOf(probe.publicKey), Object.getPrototypeOf(probe.privateKey)].map((proto) =>
      vi.spyOn(proto, 'export'),
    );
    const minted = (() => {
      try {
        return Array.from({ length: 8 }, () => minter.mint({ issuedOn: '2025-12-02', expiresOn: '2030-10-01' }));
      } finally {
        for (const spy of spies) {
          expect(spy).not.toHaveBeenCalled();
          spy.mockRestore();
        }
      }
    })();
    for (const c of minted) {
      const certificate = new X509Certificate(c.certificatePem);
      const { kty, crv, x, y } = certificate.publicKey.export({ format: 'jwk' });
      expect(JSON.parse(c.publicKeyJwk)).toEqual({ kty, crv, x, y });
      const challenge = Buffer.from('challenge');
      expect(verify('sha256', challenge, certificate.publicKey, sign('sha256', challenge, c.privateKey))).toBe(true);
    }
  });
});
