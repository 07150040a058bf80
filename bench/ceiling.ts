/**
 * The HTTP ceiling that card verification's own cryptography sets (docs/PERFORMANCE.md). Every
 * verification by card checks a fresh signature over a fresh challenge (ECDSA P-256): no cache can
 * spare it. A certificate not seen lately is also parsed and checked against the CA. Measured on one
 * core over the bench's own card requests, so the bound moves with the machine like the figures it
 * bounds.
 */
import { type KeyObject, X509Certificate } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { verifyChallengeSignature } from '../src/cards/certificates.js';
import type { CardVerificationRequest, VerificationRequest } from '../src/services/verification.js';

export interface CardCrypto {
  /** Challenge signatures verified per second (the part no cache can spare). */
  signaturesPerSecond: number;
  /** Whole card checks per second for certificates not seen before: parse, CA check, signature. */
  unseenPerSecond: number;
  /** Card requests measured. */
  count: number;
}

export function cardCryptoPerSecond(list: readonly VerificationRequest[], caPublicKey: KeyObject): CardCrypto {
  const cards = list.filter((r): r is CardVerificationRequest => r.method === 'card').slice(0, 2_000);
  const presented = cards.map((r) => ({
    pem: r.card.certificate,
    challenge: Buffer.from(r.card.challenge, 'base64'),
    signature: Buffer.from(r.card.signature, 'base64'),
  }));
  const keys = presented.map((p) => new X509Certificate(p.pem).publicKey);
  let valid = 0;
  let started = performance.now();
  presented.forEach((p, i) => {
    if (verifyChallengeSignature(keys[i] as KeyObject, p.challenge, p.signature)) valid++;
  });
  const signaturesPerSecond = presented.length / ((performance.now() - started) / 1000);
  if (valid !== cards.length) throw new Error(`${cards.length - valid} bench card signatures do not verify`);
  started = performance.now();
  for (const p of presented) {
    const certificate = new X509Certificate(p.pem);
    if (!certificate.verify(caPublicKey)) throw new Error('bench card not signed by the bench CA');
    verifyChallengeSignature(certificate.publicKey, p.challenge, p.signature);
  }
  const unseenPerSecond = presented.length / ((performance.now() - started) / 1000);
  return { signaturesPerSecond, unseenPerSecond, count: cards.length };
}

/**
 * The most requests per second a server could answer if each cost what a hello-world request costs
 * plus, for the card share, `cardPerSecond`'s work on the same core, and nothing else at all.
 */
export function ceilingRate(helloPerSecond: number, cardShare: number, cardPerSecond: number): number {
  return 1 / (1 / helloPerSecond + cardShare / cardPerSecond);
}
