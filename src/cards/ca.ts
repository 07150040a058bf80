/**
 * The local CA that stands in for J-LIS (the issuer of 利用者証明用電子証明書). Created on first use
 * and stored in the `ca` table (private key PKCS#8, encrypted with the keyring), then cached per
 * store. Two processes starting at once both generate one, both insert-or-ignore the same row id,
 * and both re-read: the first insert wins and everyone uses it.
 */
import { createPrivateKey, type KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import type { Keyring } from '../security/keyring.js';
import type { Clock } from '../services/context.js';
import type { Store } from '../store/db.js';
import { type CertificateIssuer, jstStartOfDay, KEY_ALGORITHM, pemOf, SIGNING_ALGORITHM } from './certificates.js';
import { x509 } from './x509.js';

export const CA_COMMON_NAME = 'Shikaku JPKI stand-in CA';
/** One CA per store: the row id of the `ca` table. */
export const CA_ID = 'jpki-stand-in';
export const CA_VALID_YEARS = 20;

/** A CA in memory, plain: what `generateCa` makes (tests also use it to make a foreign CA). */
export interface CaMaterial {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/** The CA as services use it: the certificate and public key at hand, the private key on demand. */
export interface LocalCa extends CertificateIssuer {
  readonly id: string;
  readonly certificatePem: string;
  readonly certificate: X509Certificate;
  readonly publicKey: KeyObject;
}

/**
 * A self-signed CA certificate: basicConstraints CA (critical), keyUsage keyCertSign | cRLSign
 * (critical), valid 20 years from the start of `now`'s day in Japan. Chain checks only verify the
 * signature (verification is bitemporal: a card's dates come from our records for `asOf`, not from
 * the wall clock), so the CA's own validity period is informative.
 */
export async function generateCa(now: Date, commonName: string = CA_COMMON_NAME): Promise<CaMaterial> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const day = jstDay(now);
  const notBefore = jstStartOfDay(day);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CA_VALID_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${commonName}`,
    notBefore,
    notAfter,
    signingAlgorithm: SIGNING_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { certificatePem: certificate.toString('pem'), privateKeyPem: pemOf('PRIVATE KEY', pkcs8) };
}

function jstDay(at: Date): string {
  return new Date(at.getTime() + 9 * 3600_000).toISOString().slice(0, 10);
}

/** A CA from its certificate and a way to get its private key PEM (decrypted lazily, once). */
export function caFrom(id: string, certificatePem: string, privateKeyPem: () => string): LocalCa {
  const certificate = new X509Certificate(certificatePem);
  const parsed = new x509.X509Certificate(certificatePem);
  const ski = parsed.getExtension(x509.SubjectKeyIdentifierExtension);
  let key: Promise<webcrypto.CryptoKey> | undefined;
  return {
    id,
    certificatePem,
    certificate,
    publicKey: certificate.publicKey,
    subject: parsed.subject,
    keyIdentifier: ski?.keyId ?? null,
    signingKey() {
      key ??= importSigningKey(privateKeyPem()).catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return key;
    },
  };
}

async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']);
}

/** A CA in memory (not stored): for tests and tools that need a CA of their own. */
export function caFromMaterial(material: CaMaterial, id = 'in-memory'): LocalCa {
  return caFrom(id, material.certificatePem, () => material.privateKeyPem);
}

const cache = new WeakMap<Store, Promise<LocalCa>>();

/**
 * The store's CA, created on first use (DESIGN.md §2 card model). Cached per store object; a
 * failed load is not cached, so the next call tries again.
 */
export function loadLocalCa(ctx: { store: Store; keyring: Keyring; clock: Clock }): Promise<LocalCa> {
  let pending = cache.get(ctx.store);
  if (!pending) {
    pending = loadOrCreate(ctx).catch((error: unknown) => {
      cache.delete(ctx.store);
      throw error;
    });
    cache.set(ctx.store, pending);
  }
  return pending;
}

async function loadOrCreate(ctx: { store: Store; keyring: Keyring; clock: Clock }): Promise<LocalCa> {
  const { db } = ctx.store;
  let row = await db.selectFrom('ca').selectAll().where('id', '=', CA_ID).executeTakeFirst();
  if (!row) {
    const now = ctx.clock.now();
    const material = await generateCa(now);
    await db
      .insertInto('ca')
      .values({
        id: CA_ID,
        certificate_pem: material.certificatePem,
        private_key_enc: ctx.keyring.encrypt(material.privateKeyPem),
        created_at: now.toISOString(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    row = await db.selectFrom('ca').selectAll().where('id', '=', CA_ID).executeTakeFirstOrThrow();
  }
  const sealed = row.private_key_enc;
  return caFrom(row.id, row.certificate_pem, () => ctx.keyring.decrypt(sealed));
}
