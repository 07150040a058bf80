/**
 * The verification workload of the bench: number requests for a sample of the generated members and
 * card requests for the generated cards, each card request with its own challenge (single use, bound
 * to the bench provider) signed by the card's key, as a reception terminal would send them.
 *
 * Challenges are inserted directly (valid one hour, so a long run does not see them expire) rather
 * than through GET …/challenge one by one: the HTTP bench measures the verification, and a challenge
 * fetch is a separate, much cheaper request.
 */
import { createPrivateKey, randomBytes } from 'node:crypto';
import { signChallenge } from '../src/cards/certificates.js';
import type { IsoDate } from '../src/domain/dates.js';
import type { Keyring } from '../src/security/keyring.js';
import type { VerificationRequest } from '../src/services/verification.js';
import type { Store } from '../src/store/db.js';
import { bulkWriter } from './bulk.js';
import { MAIN_INSURER, OTHER_INSURER } from './generate.js';
import { Prng } from './prng.js';

export const BENCH_PROVIDER = '1311234566';

export interface NumberTarget {
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  birthDate: IsoDate;
}

export interface CardHolder {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Every `step`-th member of both associations (a deterministic sample of up to `limit`); with
 * `certificateHolders`, only members given a 資格確認書: who shows one at a reception desk (a person
 * registered for マイナ保険証 shows the card instead).
 */
export async function sampleMembers(store: Store, limit: number, certificateHolders = false): Promise<NumberTarget[]> {
  const total = await store.db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const step = Math.max(1, Math.floor(Number(total.n) / limit));
  const rows = await store.db
    .selectFrom('members')
    .select(['insurer_number', 'symbol', 'number', 'branch', 'birth_date'])
    .where('insurer_number', 'in', [MAIN_INSURER, OTHER_INSURER])
    .$if(certificateHolders, (q) =>
      q.where(({ exists, selectFrom }) =>
        exists(selectFrom('eligibility_certificates as c').select('c.id').whereRef('c.member_id', '=', 'members.id')),
      ),
    )
    .orderBy('insurer_number')
    .orderBy('symbol')
    .orderBy('number')
    .orderBy('branch')
    .execute();
  const out: NumberTarget[] = [];
  for (let i = 0; i < rows.length && out.length < limit; i += step) {
    const r = rows[i];
    if (r)
      out.push({
        insurerNumber: r.insurer_number,
        symbol: r.symbol,
        number: r.number,
        branch: r.branch,
        birthDate: r.birth_date,
      });
  }
  return out;
}

/** The cards whose current certificate is on record (the newest unrevoked one), with their keys. */
export async function cardHolders(store: Store, keyring: Keyring, limit: number): Promise<CardHolder[]> {
  const rows = await store.db
    .selectFrom('cards')
    .innerJoin('card_certificates', 'card_certificates.card_id', 'cards.id')
    .select(['cards.private_key_enc', 'card_certificates.certificate_pem'])
    .where('card_certificates.revoked_on', 'is', null)
    .orderBy('cards.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ certificatePem: r.certificate_pem, privateKeyPem: keyring.decrypt(r.private_key_enc) }));
}

/** Which requests a list holds: both methods alternating (the default), or one only. */
export type RequestMix = 'mixed' | 'number' | 'card';

/**
 * `count` requests, alternating number and card (half each when cards exist) or of one `mix`, for
 * `asOf`. Card requests get fresh challenges, inserted for the bench provider in one batch. Number
 * requests are what a reception desk sends since the legacy cards ended: 95 % show a 資格確認書 (the
 * generator issued them: mostly eligible), 5 % an old 健康保険証 (expired: ineligible).
 */
export async function buildRequests(
  store: Store,
  databaseUrl: string | undefined,
  targets: readonly NumberTarget[],
  holders: readonly CardHolder[],
  count: number,
  asOf: IsoDate,
  seed: string,
  mix: RequestMix = 'mixed',
): Promise<VerificationRequest[]> {
  const rng = new Prng(`${seed}:requests:${count}`);
  const requests: VerificationRequest[] = [];
  const keys = holders.map((h) => createPrivateKey(h.privateKeyPem));
  const writer = await bulkWriter(store, databaseUrl, { keepIndexes: true });
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 3_600_000).toISOString();
  for (let i = 0; i < count; i++) {
    const byCard = holders.length > 0 && (mix === 'card' || (mix === 'mixed' && i % 2 === 1));
    // Each method walks its own list from the start, whatever the mix.
    const k = mix === 'mixed' ? i >> 1 : i;
    if (byCard) {
      const h = k % holders.length;
      const holder = holders[h];
      const key = keys[h];
      if (!holder || !key) continue;
      const bytes = randomBytes(32);
      const challenge = bytes.toString('base64');
      writer.add('challenges', {
        challenge,
        provider_code: BENCH_PROVIDER,
        expires_at: expiresAt,
        used_at: null,
        created_at: now.toISOString(),
      });
      requests.push({
        method: 'card',
        asOf,
        card: {
          certificate: holder.certificatePem,
          challenge,
          signature: signChallenge(key, bytes).toString('base64'),
        },
        identityCheck: rng.chance(0.7) ? 'face' : 'pin',
        consent: { medication: true, healthCheckups: true, limitInfo: rng.chance(0.5) },
      });
    } else {
      const t = targets[k % Math.max(1, targets.length)];
      if (!t) continue;
      requests.push({
        method: 'number',
        asOf,
        document: rng.chance(0.95) ? 'certificate' : 'legacy_card',
        insurerNumber: t.insurerNumber,
        symbol: t.symbol,
        number: t.number,
        ...(rng.chance(0.7) ? { branch: t.branch } : {}),
        birthDate: t.birthDate,
        consent: { limitInfo: rng.chance(0.5) },
      });
    }
    if ((i & 1023) === 0) await writer.ready();
  }
  await writer.close();
  return requests;
}
