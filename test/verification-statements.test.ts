/**
 * SQL statements per verification (issue #20 §5), counted on SQLite at one verification in flight,
 * in steady state (the association's name and the presented certificate already cached). Every
 * statement counts: reads, the miss count, the group commit's BEGIN … COMMIT. docs/PERFORMANCE.md
 * gives the figures before and after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { residentSchema } from '../src/contract/residents.js';
import { systemActor } from '../src/services/actor.js';
import { issueCard, registerCard, signWithCard } from '../src/services/cards.js';
import { issueChallenge } from '../src/services/challenges.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { createInsurer } from '../src/services/insurers.js';
import { issueLegacyCard } from '../src/services/legacy-cards.js';
import { parseNotification, submitNotification } from '../src/services/registry.js';
import { upsertResident } from '../src/services/residents.js';
import { type VerificationRequest, verify } from '../src/services/verification.js';
import { openStore } from '../src/store/db.js';
import { countStatements } from './support/statements.js';
import { testKeyring } from './support/stores.js';

const INSURER = '06139992';
const operator = systemActor('operator');
const admin = systemActor('admin', { insurerNumber: INSURER });
const provider = systemActor('provider', { tokenId: 't-p', providerCode: '1311234566' });

function person(seed: number, name: string, nameKana: string, birthDate: string, sex: 'male' | 'female') {
  return { myNumber: testMyNumber(seed), name, nameKana, birthDate, sex, address: '東京都千代田区霞が関1-2-2' };
}
const taro = person(9101, '協会 太郎', 'キョウカイ タロウ', '1989-10-01', 'male');
const hanako = person(9102, '協会 花子', 'キョウカイ ハナコ', '2021-05-10', 'female');
const stranger = person(9103, '未届 一', 'ミトドケ ハジメ', '1990-01-15', 'male');

describe('statements per verification (SQLite)', () => {
  let ctx: ServiceContext;
  let counter: ReturnType<typeof countStatements>;
  let taroCard = '';
  let strangerCard = '';

  beforeAll(async () => {
    const store = await openStore({ file: ':memory:' });
    counter = countStatements(store.sqlite as NonNullable<typeof store.sqlite>);
    ctx = { store, keyring: testKeyring, clock: fixedClock('2025-11-21T01:00:00Z') };
    await createInsurer(ctx, operator, {
      insurerNumber: INSURER,
      name: 'シカク健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    for (const p of [taro, hanako, stranger]) await upsertResident(ctx, operator, residentSchema.parse(p));
    const insured = await submitNotification(
      ctx,
      admin,
      parseNotification({
        kind: 'acquisition',
        insurerNumber: INSURER,
        recordedOn: '2024-10-01',
        symbol: '1234',
        number: '567',
        acquiredOn: '2012-04-01',
        standardMonthlyRemuneration: 300_000,
        person: taro,
      }),
    );
    const dependent = await submitNotification(
      ctx,
      admin,
      parseNotification({
        kind: 'dependent_add',
        insurerNumber: INSURER,
        recordedOn: '2024-10-01',
        insured: { symbol: '1234', number: '567' },
        acquiredOn: '2021-05-10',
        person: hanako,
      }),
    );
    for (const r of [insured, dependent]) {
      await issueLegacyCard(ctx, admin, r.result.memberId, { issuedOn: '2024-04-01' });
    }
    taroCard = (await issueCard(ctx, operator, { myNumber: taro.myNumber, issuedOn: '2024-06-03', pin: '1234' }))
      .cardId;
    await registerCard(ctx, operator, taroCard, { recordedOn: '2024-06-03', channel: 'reader' });
    strangerCard = (
      await issueCard(ctx, operator, { myNumber: stranger.myNumber, issuedOn: '2024-06-03', pin: '1234' })
    ).cardId;
    await registerCard(ctx, operator, strangerCard, { recordedOn: '2024-06-03', channel: 'reader' });
  });
  afterAll(() => ctx.store.close());

  const byNumber = (birthDate: string, number = '567', branch?: string): VerificationRequest => ({
    method: 'number',
    asOf: '2025-12-01',
    document: 'legacy_card',
    insurerNumber: INSURER,
    symbol: '1234',
    number,
    ...(branch ? { branch } : {}),
    birthDate,
    consent: { limitInfo: true },
  });

  async function byCard(cardId: string): Promise<VerificationRequest> {
    const { challenge } = await issueChallenge(ctx, provider);
    const signed = await signWithCard(ctx, provider, cardId, { challenge, pin: '1234' });
    return {
      method: 'card',
      asOf: '2025-12-01',
      card: { certificate: signed.certificate, challenge, signature: signed.signature },
      identityCheck: 'face',
      consent: { limitInfo: true },
    };
  }

  /**
   * The statements of one verification, the second time the same request shape is answered. The
   * read of the locks in force, at most once a second for all verifications, is left out.
   */
  async function statementsOf(request: () => Promise<VerificationRequest> | VerificationRequest) {
    await verify(ctx, provider, await request());
    const next = await request();
    counter.reset();
    const answer = await verify(ctx, provider, next);
    return { answer, sql: counter.sql.filter((s) => !s.includes('from verification_misses where locked_until')) };
  }

  /**
   * Per verification: the group commit's six (BEGIN, INSERT verification, SELECT and UPDATE the audit
   * head, INSERT audit, COMMIT); by number one hub read (household, the 枝番's member and the same
   * persons elsewhere), then the document with the certifications, or on a miss the miss count; by
   * card the challenge (used up in the group commit), the card, the person's records, the hub by person and, with consent,
   * the certifications. Before issue #20 §5: 10, 11, 7, 7, 11, 10.
   */
  it.each([
    ['number, eligible insured', () => byNumber(taro.birthDate, '567', '00'), 'eligible', 8],
    ['number, eligible dependent (no 枝番)', () => byNumber(hanako.birthDate), 'eligible', 8],
    ['number, unknown 記号・番号', () => byNumber(taro.birthDate, '999'), 'not_found', 8],
    ['number, wrong birth date', () => byNumber('1989-10-02'), 'not_found', 8],
    ['card, eligible', () => byCard(taroCard), 'eligible', 11],
    ['card, not found at the hub', () => byCard(strangerCard), 'not_found', 10],
  ] as const)('%s', async (_label, request, outcome, expected) => {
    const { answer, sql } = await statementsOf(request);
    expect(answer.outcome).toBe(outcome);
    console.log(`${_label}: ${sql.length} statements\n  ${sql.map((s) => s.slice(0, 90)).join('\n  ')}`);
    expect(sql.length).toBe(expected);
  });

  /**
   * The challenges are used up inside the group commit (issue #20 §5): card verifications in flight
   * together share one UPDATE of their challenges and one transaction. Before, each used up its own
   * challenge in a transaction of its own first: 8 UPDATEs for 8.
   */
  it('card verifications in flight together: one UPDATE of their challenges, one transaction', async () => {
    await verify(ctx, provider, await byCard(taroCard));
    const requests = await Promise.all(Array.from({ length: 8 }, () => byCard(taroCard)));
    counter.reset();
    const answers = await Promise.all(requests.map((request) => verify(ctx, provider, request)));
    expect(answers.map((a) => a.outcome)).toEqual(Array(8).fill('eligible'));
    console.log(`8 card verifications in flight: ${counter.sql.length} statements`);
    expect(counter.sql.filter((s) => /^update challenges/i.test(s))).toHaveLength(1);
    expect(counter.sql.filter((s) => /^begin/i.test(s))).toHaveLength(1);
  });
});
