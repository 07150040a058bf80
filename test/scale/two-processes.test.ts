/**
 * Horizontal scale (issue #7, docs/SCALING.md): two `shikaku serve` processes on one PostgreSQL
 * database behave as one. A challenge issued by one is accepted by the other exactly once; the PIN
 * counter of a card is shared; an idempotency key used on one is replayed by the other; and the audit
 * chain stays intact while both record verifications at once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../../src/cards/testing.js';
import { residentSchema } from '../../src/contract/residents.js';
import { keyringFromSecret } from '../../src/security/keyring.js';
import { systemActor } from '../../src/services/actor.js';
import { verifyAuditChain } from '../../src/services/audit.js';
import { issueCard, registerCard } from '../../src/services/cards.js';
import { type ServiceContext, systemClock, today } from '../../src/services/context.js';
import { createInsurer } from '../../src/services/insurers.js';
import { parseNotification, submitNotification } from '../../src/services/registry.js';
import { upsertResident } from '../../src/services/residents.js';
import { createToken, TOKEN_CACHE_TTL_MS } from '../../src/services/tokens.js';
import { openStore } from '../../src/store/db.js';
import { call, type Serve, serve, tearDown } from '../support/serve.js';
import { createTestDatabase } from '../support/stores.js';

const BASE_URL = process.env.SHIKAKU_TEST_DATABASE_URL;
const INSURER = '06139992';
const PROVIDER = '1311234566';
const KEY_HEX = randomBytes(32).toString('hex');

// Without a PostgreSQL server there is nothing for two processes to share: these tests are then listed
// as skipped, each by name (.ci/run sets SHIKAKU_TEST_DATABASE_URL, so CI runs them).
describe.skipIf(!BASE_URL)('two shikaku serve processes on one PostgreSQL', () => {
  let name: string | undefined;
  let databaseUrl: string;
  let ctx: ServiceContext;
  let a: Serve;
  let b: Serve;
  let provider: string;
  let operator: string;
  let admin: string;
  let cardId: string;
  let certificatePem: string;

  beforeAll(async () => {
    ({ url: databaseUrl, name } = await createTestDatabase('shikaku_scale'));
    ctx = {
      store: await openStore({ databaseUrl }),
      keyring: keyringFromSecret(Buffer.from(KEY_HEX, 'hex')),
      clock: systemClock,
    };
    const op = systemActor('operator');
    await createInsurer(ctx, op, {
      insurerNumber: INSURER,
      name: '二重起動健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'on_application',
    });
    const person = {
      myNumber: testMyNumber(9101),
      name: '協会 太郎',
      nameKana: 'キョウカイ タロウ',
      birthDate: '1980-05-05',
      sex: 'male' as const,
      address: '東京都千代田区霞が関1-2-2',
    };
    await upsertResident(ctx, op, residentSchema.parse(person));
    await submitNotification(
      ctx,
      systemActor('admin', { insurerNumber: INSURER }),
      parseNotification({
        kind: 'acquisition',
        insurerNumber: INSURER,
        recordedOn: '2024-04-01',
        symbol: '100',
        number: '1',
        acquiredOn: '2024-04-01',
        standardMonthlyRemuneration: 300_000,
        person,
      }),
    );
    const card = await issueCard(ctx, op, { myNumber: person.myNumber, issuedOn: '2024-05-01', pin: '1234' });
    cardId = card.cardId;
    certificatePem = card.certificate;
    await registerCard(ctx, op, cardId, { recordedOn: '2024-05-02', channel: 'reader' });
    provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    operator = (await createToken(ctx, { role: 'operator' })).token;
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER })).token;
    [a, b] = await Promise.all([serve(databaseUrl, KEY_HEX), serve(databaseUrl, KEY_HEX)]);
  }, 180_000);

  afterAll(async () => {
    await tearDown([a, b], ctx?.store, name);
  }, 60_000);

  /** A challenge from `from`, signed by the card through `signer` (face check: no PIN). */
  async function signedChallenge(from: Serve, signer: Serve): Promise<{ challenge: string; signature: string }> {
    const issued = await call(from, 'GET', '/api/v1/verifications/challenge', provider);
    expect(issued.status).toBe(200);
    const challenge = issued.json.challenge as string;
    const signed = await call(signer, 'POST', `/api/v1/cards/${cardId}:sign`, operator, { challenge });
    expect(signed.status).toBe(200);
    return { challenge, signature: signed.json.signature as string };
  }

  const byCard = (c: { challenge: string; signature: string }) => ({
    method: 'card',
    card: { certificate: certificatePem, challenge: c.challenge, signature: c.signature },
    identityCheck: 'face',
  });

  it('verifies on one process with a challenge issued by the other, once only', async () => {
    const signed = await signedChallenge(a, b);
    const first = await call(b, 'POST', '/api/v1/verifications', provider, byCard(signed));
    expect(first.status).toBe(200);
    expect(first.json.outcome).toBe('eligible');
    // The same challenge presented again, at either process: used up.
    for (const s of [a, b]) {
      const replay = await call(s, 'POST', '/api/v1/verifications', provider, byCard(signed));
      expect(replay.status).toBe(200);
      expect((replay.json.reasons as Array<{ code: string }>).map((r) => r.code)).toContain('CHALLENGE_INVALID');
    }
  });

  it('shares the PIN counter: wrong tries on both processes lock the card', async () => {
    const { json } = await call(a, 'GET', '/api/v1/verifications/challenge', provider);
    const challenge = json.challenge as string;
    const tries = [a, b, a].map(
      (s) => () => call(s, 'POST', `/api/v1/cards/${cardId}:sign`, operator, { challenge, pin: '9999' }),
    );
    const results = [];
    for (const t of tries) results.push(await t());
    expect(results.map((r) => r.json.code)).toEqual(['CARD_PIN_WRONG', 'CARD_PIN_WRONG', 'CARD_PIN_LOCKED']);
    // The right PIN at the other process is refused too: the lock is in the shared database.
    const right = await call(b, 'POST', `/api/v1/cards/${cardId}:sign`, operator, { challenge, pin: '1234' });
    expect(right.json.code).toBe('CARD_PIN_LOCKED');
  });

  it('replays an idempotency key used on the other process, writing nothing twice', async () => {
    const notification = {
      kind: 'acquisition',
      insurerNumber: INSURER,
      recordedOn: '2024-06-03',
      idempotencyKey: 'scale-1',
      symbol: '100',
      acquiredOn: '2024-06-01',
      person: { name: '協会 花子', nameKana: 'キョウカイ ハナコ', birthDate: '1990-01-02', sex: 'female' },
    };
    const first = await call(a, 'POST', '/api/v1/notifications', admin, notification);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await call(b, 'POST', '/api/v1/notifications', admin, notification);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.memberId).toBe(first.json.memberId);
    const rows = await ctx.store.db.selectFrom('members').select('id').where('name', '=', '協会 花子').execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps the audit chain intact while both processes record verifications at once', async () => {
    const before = await verifyAuditChain(ctx.store.db);
    expect(before.ok).toBe(true);
    const asOf = today(ctx);
    const requests = Array.from({ length: 60 }, (_, i) =>
      call(i % 2 ? a : b, 'POST', '/api/v1/verifications', provider, {
        method: 'number',
        asOf,
        document: 'certificate',
        insurerNumber: INSURER,
        symbol: '100',
        number: '1',
        branch: '00',
        birthDate: '1980-05-05',
      }),
    );
    const answers = await Promise.all(requests);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const after = await verifyAuditChain(ctx.store.db);
    expect(after.ok).toBe(true);
    expect(after.records).toBeGreaterThanOrEqual(before.records + 60);
    const ids = answers.map((r) => r.json.verificationId as string);
    const recorded = await ctx.store.db.selectFrom('verifications').select('id').where('id', 'in', ids).execute();
    expect(recorded).toHaveLength(60);
  }, 60_000);

  it(`stops accepting a token revoked elsewhere within ${TOKEN_CACHE_TTL_MS} ms`, async () => {
    const { id, token } = await createToken(ctx, { role: 'provider', providerCode: PROVIDER });
    expect((await call(a, 'GET', '/api/v1/verifications/challenge', token)).status).toBe(200);
    await ctx.store.db
      .updateTable('tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < TOKEN_CACHE_TTL_MS + 3_000) {
      status = (await call(a, 'GET', '/api/v1/verifications/challenge', token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThanOrEqual(TOKEN_CACHE_TTL_MS + 1_000);
  }, 30_000);
});
