import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movableClock } from '../../test/support/clock.js';
import { openTestContext, STORE_KINDS } from '../../test/support/stores.js';
import { caFromMaterial, generateCa, issueUserCertificate, signChallenge } from '../cards/index.js';
import { testMyNumber } from '../cards/testing.js';
import { residentSchema } from '../contract/residents.js';
import type { IsoDate } from '../domain/dates.js';
import type { QualificationFacts } from '../domain/verification.js';
import { systemActor } from './actor.js';
import { verifyAuditChain } from './audit.js';
import { issueCard, registerCard, signWithCard } from './cards.js';
import { issueChallenge } from './challenges.js';
import type { ServiceContext } from './context.js';
import type { HubEntry } from './hub.js';
import { createInsurer } from './insurers.js';
import { issueLegacyCard } from './legacy-cards.js';
import { parseNotification, submitNotification } from './registry.js';
import { upsertResident } from './residents.js';
import { pickHouseholdMember } from './verification/by-number.js';
import { holdsSeparateCertificates } from './verification/document-evidence.js';
import { ratioDateFor } from './verification/shape.js';
import {
  type CardVerificationRequest,
  type NumberVerificationRequest,
  type VerificationAnswer,
  type VerifiedQualification,
  verify,
} from './verification.js';

const INSURER_A = '06139992';
const INSURER_B = '06130017';
const PROVIDER = '1311234566';
const operator = systemActor('operator');
const adminA = systemActor('admin', { tokenId: 't-admin-a', insurerNumber: INSURER_A });
const adminB = systemActor('admin', { tokenId: 't-admin-b', insurerNumber: INSURER_B });
const provider = systemActor('provider', { tokenId: 't-provider', providerCode: PROVIDER });

interface Person {
  myNumber: string;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: 'male' | 'female';
  address: string;
}

function person(seed: number, name: string, nameKana: string, birthDate: IsoDate, sex: 'male' | 'female'): Person {
  return { myNumber: testMyNumber(seed), name, nameKana, birthDate, sex, address: '東京都千代田区霞が関1-2-2' };
}

const taro = person(7101, '協会 太郎', 'キョウカイ タロウ', '1989-10-01', 'male');
const hanako = person(7102, '協会 花子', 'キョウカイ ハナコ', '2021-05-10', 'female');
const ichiro = person(7103, '協会 一郎', 'キョウカイ イチロウ', '2019-04-01', 'male');
const jiro = person(7201, '高齢 次郎', 'コウレイ ジロウ', '1954-06-15', 'male');
const fumiko = person(7202, '高齢 文子', 'コウレイ フミコ', '1955-03-03', 'female');
const saburo = person(7301, '年金 三郎', 'ネンキン サブロウ', '1954-08-20', 'male');
const yoshiko = person(7302, '年金 良子', 'ネンキン ヨシコ', '1955-02-10', 'female');
const ken = person(7401, '転職 健', 'テンショク ケン', '1980-07-07', 'male');
const stranger = person(7501, '未届 一', 'ミトドケ ハジメ', '1990-01-15', 'male');
const PEOPLE = [taro, hanako, ichiro, jiro, fumiko, saburo, yoshiko, ken, stranger];

/** The registry's facts were known to the hub from 2024-10-03 (recorded Tue 2024-10-01). */
const RECORDED = '2024-10-01';
const taroKey = { symbol: '1234', number: '567', branch: '00' };

describe.each(STORE_KINDS)('verification service on %s', (kind) => {
  let ctx: ServiceContext;
  const clock = movableClock('2025-11-21T01:00:00.000Z');
  const answers: VerificationAnswer[] = [];
  const ids: Record<string, string> = {};
  let taroCard = '';
  let kenCard = '';

  async function notify(actor: typeof adminA, raw: Record<string, unknown>) {
    return (await submitNotification(ctx, actor, parseNotification(raw))).result;
  }

  function personBody(p: Person) {
    const { myNumber, name, nameKana, birthDate, sex, address } = p;
    return { myNumber, name, nameKana, birthDate, sex, address };
  }

  async function run(request: Parameters<typeof verify>[2]): Promise<VerificationAnswer> {
    const answer = await verify(ctx, provider, request);
    answers.push(answer);
    return answer;
  }

  /** The reason codes recorded for an answer (the association's view). */
  async function recordedReasons(answer: VerificationAnswer): Promise<string[]> {
    const row = await ctx.store.db
      .selectFrom('verifications')
      .select('reasons')
      .where('id', '=', answer.verificationId)
      .executeTakeFirstOrThrow();
    return JSON.parse(row.reasons) as string[];
  }

  const byNumber = (
    p: Person,
    asOf: IsoDate,
    key: { insurerNumber?: string; symbol: string; number: string; branch?: string },
    extra: Partial<NumberVerificationRequest> = {},
  ) =>
    run({
      method: 'number',
      asOf,
      document: 'legacy_card',
      insurerNumber: key.insurerNumber ?? INSURER_A,
      symbol: key.symbol,
      number: key.number,
      ...(key.branch ? { branch: key.branch } : {}),
      birthDate: p.birthDate,
      consent: { limitInfo: true },
      ...extra,
    });

  /** Has the card sign a fresh challenge (PIN 1234) and verifies with it. */
  async function byCard(cardId: string, asOf: IsoDate, extra: Partial<CardVerificationRequest> = {}) {
    const { challenge } = await issueChallenge(ctx, provider);
    const signed = await signWithCard(ctx, provider, cardId, { challenge, pin: '1234' });
    return run({
      method: 'card',
      asOf,
      card: { certificate: signed.certificate, challenge, signature: signed.signature },
      identityCheck: 'pin',
      consent: { medication: true, healthCheckups: true, limitInfo: true },
      ...extra,
    });
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind, clock);
    for (const [insurerNumber, name] of [
      [INSURER_A, 'シカク健康保険組合'],
      [INSURER_B, 'ツギノ健康保険組合'],
    ] as const) {
      await createInsurer(ctx, operator, {
        insurerNumber,
        name,
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      });
    }
    for (const p of PEOPLE) await upsertResident(ctx, operator, residentSchema.parse(personBody(p)));

    const household = async (
      insured: Person,
      number: string,
      remuneration: number,
      dependents: Person[],
      acquiredOn: IsoDate,
    ) => {
      const r = await notify(adminA, {
        kind: 'acquisition',
        insurerNumber: INSURER_A,
        recordedOn: RECORDED,
        symbol: '1234',
        number,
        acquiredOn,
        standardMonthlyRemuneration: remuneration,
        person: personBody(insured),
      });
      ids[insured.name] = r.memberId;
      for (const d of dependents) {
        const dr = await notify(adminA, {
          kind: 'dependent_add',
          insurerNumber: INSURER_A,
          recordedOn: RECORDED,
          insured: { symbol: '1234', number },
          acquiredOn: d.birthDate > acquiredOn ? d.birthDate : acquiredOn,
          person: personBody(d),
        });
        ids[d.name] = dr.memberId;
      }
    };
    await household(taro, '567', 300_000, [ichiro, hanako], '2012-04-01');
    await household(jiro, '600', 300_000, [fumiko], '2010-04-01');
    await household(saburo, '700', 240_000, [yoshiko], '2010-04-01');
    await household(ken, '800', 410_000, [], '2015-04-01');
    for (const name of Object.keys(ids)) {
      await issueLegacyCard(ctx, adminA, ids[name] as string, { issuedOn: '2024-04-01' });
    }

    // Ken changes jobs: lost at A and acquired at B on 2025-12-16 (the hub knows both from 12-18).
    await notify(adminA, {
      kind: 'loss',
      insurerNumber: INSURER_A,
      recordedOn: '2025-12-16',
      symbol: '1234',
      number: '800',
      lostOn: '2025-12-16',
    });
    const atB = await notify(adminB, {
      kind: 'acquisition',
      insurerNumber: INSURER_B,
      recordedOn: '2025-12-16',
      symbol: '55',
      number: '12',
      acquiredOn: '2025-12-16',
      standardMonthlyRemuneration: 500_000,
      person: personBody(ken),
    });
    ids.kenAtB = atB.memberId;
    expect(atB.hubAvailableOn).toBe('2025-12-18');

    taroCard = (await issueCard(ctx, operator, { myNumber: taro.myNumber, issuedOn: '2024-06-03', pin: '1234' }))
      .cardId;
    await registerCard(ctx, operator, taroCard, { recordedOn: '2024-06-03', channel: 'reader' });
    kenCard = (await issueCard(ctx, operator, { myNumber: ken.myNumber, issuedOn: '2024-06-03', pin: '1234' })).cardId;
    await registerCard(ctx, operator, kenCard, { recordedOn: '2024-06-03', channel: 'portal' });
  });
  afterAll(() => ctx.store.close());

  describe('by card', () => {
    it('answers eligible with the qualification, burden ratio 30 and (with consent) the limit category', async () => {
      const answer = await byCard(taroCard, '2025-12-02');
      expect(answer).toMatchObject({ outcome: 'eligible', reasons: [], fallbacks: [] });
      expect(answer.qualification).toEqual({
        insurerNumber: INSURER_A,
        insurerName: 'シカク健康保険組合',
        symbol: '1234',
        number: '567',
        branch: '00',
        relationship: 'insured',
        name: '協会 太郎',
        nameKana: 'キョウカイ タロウ',
        birthDate: '1989-10-01',
        sex: 'male',
        acquiredOn: '2012-04-01',
        lostOn: null,
        burdenRatio: 30,
        limitCategory: 'ウ',
        specificDisease: [],
      } satisfies VerifiedQualification);
      expect(answer.verificationId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('withholds the limit category without consent, and says so', async () => {
      const answer = await byCard(taroCard, '2025-12-02', { consent: { medication: true } });
      expect(answer.outcome).toBe('eligible');
      expect(answer.qualification?.limitCategory).toBeNull();
      expect(answer.qualification?.burdenRatio).toBe(30);
      expect(answer.reasons.map((r) => r.code)).toEqual(['CONSENT_NOT_GIVEN']);
      expect(answer.fallbacks).toEqual([]);
      const noConsent = await byCard(taroCard, '2025-12-02', { consent: undefined });
      expect(noConsent.reasons.map((r) => r.code)).toEqual(['CONSENT_NOT_GIVEN']);
    });

    /** Taro's card signs a fresh challenge: a request that may be presented more than once. */
    async function signedByTaro(): Promise<CardVerificationRequest> {
      const { challenge } = await issueChallenge(ctx, provider);
      const signed = await signWithCard(ctx, provider, taroCard, { challenge, pin: '1234' });
      return {
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate: signed.certificate, challenge, signature: signed.signature },
        identityCheck: 'pin',
        consent: { limitInfo: true },
      };
    }

    it('refuses a reused challenge with CHALLENGE_INVALID, disclosing nothing', async () => {
      const request = await signedByTaro();
      expect((await run(request)).outcome).toBe('eligible');
      const replay = await run(request);
      expect(replay).toMatchObject({ outcome: 'ineligible', qualification: null });
      expect(replay.reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
      expect(replay.fallbacks.map((f) => f.code)).toEqual(['SHOW_NOTICE_WITH_CARD', 'SHOW_PORTAL_SCREEN']);
    });

    it('lets one of the verifications presenting one challenge together win: the others answer and record CHALLENGE_INVALID', async () => {
      const request = await signedByTaro();
      // Answered in one group commit: the challenge is used up inside it, by the first of them only.
      const answers = await Promise.all(Array.from({ length: 4 }, () => run(request)));
      expect(answers.map((a) => a.outcome).sort()).toEqual(['eligible', 'ineligible', 'ineligible', 'ineligible']);
      for (const answer of answers) {
        if (answer.outcome === 'eligible') continue;
        expect(answer).toMatchObject({ qualification: null });
        expect(answer.reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
      }
      const recorded = await ctx.store.db
        .selectFrom('verifications')
        .select(['id', 'outcome', 'reasons', 'member_id'])
        .where(
          'id',
          'in',
          answers.map((a) => a.verificationId),
        )
        .execute();
      expect(recorded).toHaveLength(4);
      for (const answer of answers) {
        const row = recorded.find((r) => r.id === answer.verificationId);
        expect(row?.outcome).toBe(answer.outcome);
        expect(row?.member_id === null).toBe(answer.outcome !== 'eligible');
      }
      expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
    });

    it('refuses a stale challenge (signed and presented 6 minutes after it was issued)', async () => {
      const { challenge } = await issueChallenge(ctx, provider);
      clock.advance(6 * 60_000);
      const signed = await signWithCard(ctx, provider, taroCard, { challenge, pin: '1234' });
      const answer = await run({
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate: signed.certificate, challenge, signature: signed.signature },
        identityCheck: 'pin',
      });
      expect(answer).toMatchObject({ outcome: 'ineligible', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['CHALLENGE_INVALID']);
    });

    it('refuses a signature made for another challenge', async () => {
      const { challenge } = await issueChallenge(ctx, provider);
      const other = await issueChallenge(ctx, provider);
      const signed = await signWithCard(ctx, provider, taroCard, { challenge: other.challenge, pin: '1234' });
      const answer = await run({
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate: signed.certificate, challenge, signature: signed.signature },
        identityCheck: 'face',
      });
      expect(answer.reasons.map((r) => r.code)).toEqual(['SIGNATURE_INVALID']);
      expect(answer.qualification).toBeNull();
    });

    it('refuses a certificate from a foreign CA with CERT_UNTRUSTED, however well it signs', async () => {
      const foreign = caFromMaterial(await generateCa(clock.now()));
      const fake = await issueUserCertificate(foreign, { issuedOn: '2024-06-03', expiresOn: '2029-10-01' });
      const { challenge } = await issueChallenge(ctx, provider);
      const signature = signChallenge(fake.privateKeyPem, Buffer.from(challenge, 'base64')).toString('base64');
      const answer = await run({
        method: 'card',
        asOf: '2025-12-02',
        card: { certificate: fake.certificatePem, challenge, signature },
        identityCheck: 'visual',
      });
      expect(answer).toMatchObject({ outcome: 'ineligible', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['CERT_UNTRUSTED']);
      expect(answer.fallbacks.map((f) => f.code)).toEqual(['SHOW_CERTIFICATE', 'FULL_PAYMENT_AND_CLAIM']);
    });

    it('answers not_found HUB_NOT_REGISTERED for a proven card whose holder no association registered', async () => {
      const { cardId } = await issueCard(ctx, operator, {
        myNumber: stranger.myNumber,
        issuedOn: '2024-06-03',
        pin: '1234',
      });
      await registerCard(ctx, operator, cardId, { recordedOn: '2024-06-03', channel: 'atm' });
      const answer = await byCard(cardId, '2025-12-02');
      expect(answer).toMatchObject({ outcome: 'not_found', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['HUB_NOT_REGISTERED']);
    });

    it('after a job change answers as the hub knew: A until B is registered, then B', async () => {
      const before = await byCard(kenCard, '2025-12-17');
      expect(before.outcome).toBe('eligible');
      expect(before.qualification).toMatchObject({ insurerNumber: INSURER_A, number: '800', lostOn: null });
      const after = await byCard(kenCard, '2025-12-18');
      expect(after.outcome).toBe('eligible');
      expect(after.qualification).toMatchObject({
        insurerNumber: INSURER_B,
        insurerName: 'ツギノ健康保険組合',
        symbol: '55',
        number: '12',
        branch: '00',
        acquiredOn: '2025-12-16',
        burdenRatio: 30,
        limitCategory: 'ウ',
      });
    });
  });

  describe('by number', () => {
    it('accepts a legacy card through 2025-12-01, with the temporary-measure warning until 2026-03-31, then refuses it', async () => {
      const dec1 = await byNumber(taro, '2025-12-01', taroKey);
      expect(dec1).toMatchObject({ outcome: 'eligible', reasons: [], fallbacks: [] });
      expect(dec1.qualification).toMatchObject({ number: '567', burdenRatio: 30, limitCategory: 'ウ' });

      const dec2 = await byNumber(taro, '2025-12-02', taroKey);
      expect(dec2.outcome).toBe('eligible');
      expect(dec2.reasons.map((r) => r.code)).toEqual(['LEGACY_CARD_TEMPORARY_MEASURE']);
      expect(dec2.qualification?.number).toBe('567');

      const mar31 = await byNumber(taro, '2026-03-31', taroKey);
      expect(mar31.reasons.map((r) => r.code)).toEqual(['LEGACY_CARD_TEMPORARY_MEASURE']);

      const apr1 = await byNumber(taro, '2026-04-01', taroKey);
      expect(apr1).toMatchObject({ outcome: 'ineligible', qualification: null });
      expect(apr1.reasons.map((r) => r.code)).toEqual(['LEGACY_CARD_EXPIRED']);
      expect(apr1.fallbacks.map((f) => f.code)).toEqual([
        'SHOW_CERTIFICATE',
        'SHOW_PORTAL_SCREEN',
        'APPLY_CERTIFICATE',
      ]);
    });

    it('answers a wrong birth date not_found with no qualification, as an unknown 記号・番号; the record keeps BIRTH_DATE_MISMATCH', async () => {
      const wrong = { ...taro, birthDate: '1989-10-02' };
      for (const key of [taroKey, { symbol: '1234', number: '567' }]) {
        const answer = await byNumber(wrong, '2025-12-01', key);
        expect(answer).toMatchObject({ outcome: 'not_found', qualification: null });
        expect(answer.reasons.map((r) => r.code)).toEqual(['NO_MATCHING_QUALIFICATION']);
        expect(await recordedReasons(answer)).toEqual(['BIRTH_DATE_MISMATCH']);
      }
    });

    it('without a branch, picks the household member by birth date: a preschool dependent pays 20', async () => {
      const answer = await byNumber(hanako, '2025-12-01', { symbol: '1234', number: '567' });
      expect(answer.outcome).toBe('eligible');
      expect(answer.qualification).toMatchObject({
        relationship: 'dependent',
        name: '協会 花子',
        branch: '02',
        burdenRatio: 20,
        // A dependent's category follows the insured's remuneration (300,000 → ウ).
        limitCategory: 'ウ',
      });
    });

    it('ends 未就学 on the first 31 March after reaching 6 (born 2019-04-01 → 30 from 2025-04-01)', async () => {
      const mar31 = await byNumber(ichiro, '2025-03-31', { symbol: '1234', number: '567' });
      expect(mar31.qualification).toMatchObject({ name: '協会 一郎', burdenRatio: 20 });
      const apr1 = await byNumber(ichiro, '2025-04-01', { symbol: '1234', number: '567' });
      expect(apr1.qualification).toMatchObject({ name: '協会 一郎', burdenRatio: 30 });
    });

    it('gives 70–74 2割 or 3割 by the insured remuneration, dependents following their insured', async () => {
      const cases: Array<[Person, string, number, string]> = [
        [jiro, '600', 30, '現役並みⅠ'],
        [fumiko, '600', 30, '現役並みⅠ'],
        [saburo, '700', 20, '一般'],
        [yoshiko, '700', 20, '一般'],
      ];
      for (const [p, number, ratio, category] of cases) {
        const answer = await byNumber(p, '2025-12-01', { symbol: '1234', number });
        expect(answer.outcome, p.name).toBe('eligible');
        expect(answer.qualification, p.name).toMatchObject({
          name: p.name,
          burdenRatio: ratio,
          limitCategory: category,
        });
      }
      // Yoshiko (born 1955-02-10) reaches 70 on 2025-02-09: 2割 from 2025-03-01, 3割 the day before.
      const feb28 = await byNumber(yoshiko, '2025-02-28', { symbol: '1234', number: '700' });
      expect(feb28.qualification).toMatchObject({ burdenRatio: 30, limitCategory: 'エ' });
      const mar1 = await byNumber(yoshiko, '2025-03-01', { symbol: '1234', number: '700' });
      expect(mar1.qualification).toMatchObject({ burdenRatio: 20, limitCategory: '一般' });
    });

    it('answers a lost qualification ineligible with NEWER_QUALIFICATION_EXISTS once the new one is known', async () => {
      const key = { symbol: '1234', number: '800', branch: '00' };
      const answer = await byNumber(ken, '2026-01-05', key);
      expect(answer.outcome).toBe('ineligible');
      expect(answer.reasons.map((r) => r.code)).toEqual(['QUALIFICATION_LOST', 'NEWER_QUALIFICATION_EXISTS']);
      // The lost qualification is shown as it was on its last covered day.
      // The limit category belongs to covered care only: not shown on an ineligible answer.
      expect(answer.qualification).toMatchObject({
        insurerNumber: INSURER_A,
        lostOn: '2025-12-16',
        burdenRatio: 30,
        limitCategory: null,
      });
      const noConsent = await byNumber(ken, '2026-01-05', key, { consent: undefined });
      expect(noConsent.reasons.map((r) => r.code)).toEqual(['QUALIFICATION_LOST', 'NEWER_QUALIFICATION_EXISTS']);
      const atB = await byNumber(ken, '2026-01-05', { insurerNumber: INSURER_B, symbol: '55', number: '12' });
      expect(atB.outcome).toBe('not_found');
      expect(atB.reasons.map((r) => r.code)).toEqual(['LEGACY_CARD_NOT_ISSUED']);
    });

    it('answers a 資格確認書 CERTIFICATE_NOT_ISSUED until certificates are recorded (issue #3)', async () => {
      const answer = await byNumber(taro, '2025-12-02', taroKey, { document: 'certificate' });
      expect(answer).toMatchObject({ outcome: 'not_found', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['CERTIFICATE_NOT_ISSUED']);
    });

    it('answers an unknown 記号・番号 not_found NO_MATCHING_QUALIFICATION; the record keeps HUB_NOT_REGISTERED', async () => {
      const answer = await byNumber(taro, '2025-12-01', { symbol: '1234', number: '999' });
      expect(answer).toMatchObject({ outcome: 'not_found', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['NO_MATCHING_QUALIFICATION']);
      expect(await recordedReasons(answer)).toEqual(['HUB_NOT_REGISTERED']);
    });

    it('answers as the hub knew: nothing before the registration was recorded', async () => {
      const answer = await byNumber(taro, '2024-09-30', taroKey);
      expect(answer).toMatchObject({ outcome: 'not_found', qualification: null });
      expect(answer.reasons.map((r) => r.code)).toEqual(['NO_MATCHING_QUALIFICATION']);
      expect(await recordedReasons(answer)).toEqual(['HUB_NOT_REGISTERED']);
      const pending = await byNumber(taro, '2024-10-02', taroKey);
      expect(pending.reasons.map((r) => r.code)).toEqual(['HUB_REGISTRATION_PENDING']);
    });
  });

  describe('the record', () => {
    it('writes a verifications row and a chained audit record for every answer', async () => {
      const answer = await byCard(taroCard, '2025-12-02');
      const row = await ctx.store.db
        .selectFrom('verifications')
        .selectAll()
        .where('id', '=', answer.verificationId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        provider_code: PROVIDER,
        method: 'card',
        as_of: '2025-12-02',
        outcome: 'eligible',
        member_id: ids[taro.name],
        insurer_number: INSURER_A,
      });
      expect(JSON.parse(row.reasons)).toEqual([]);
      const audit = await ctx.store.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(audit).toMatchObject({
        action: 'verification',
        actor: 'provider:t-provider',
        member_id: ids[taro.name],
        insurer_number: INSURER_A,
      });
      expect(JSON.parse(audit.detail)).toEqual({
        verificationId: answer.verificationId,
        method: 'card',
        asOf: '2025-12-02',
        outcome: 'eligible',
        reasons: [],
        providerCode: PROVIDER,
      });

      const notFound = await byNumber({ ...taro, birthDate: '1999-01-01' }, '2025-12-01', taroKey);
      const nfRow = await ctx.store.db
        .selectFrom('verifications')
        .selectAll()
        .where('id', '=', notFound.verificationId)
        .executeTakeFirstOrThrow();
      expect(nfRow).toMatchObject({ outcome: 'not_found', member_id: null, insurer_number: null, method: 'number' });
      expect(JSON.parse(nfRow.reasons)).toEqual(['BIRTH_DATE_MISMATCH']);
      const nfAudit = await ctx.store.db
        .selectFrom('audit_log')
        .selectAll()
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(nfAudit).toMatchObject({ action: 'verification', member_id: null });
      expect(JSON.parse(nfAudit.detail)).toMatchObject({ outcome: 'not_found', reasons: ['BIRTH_DATE_MISMATCH'] });

      const total = await ctx.store.db
        .selectFrom('verifications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(total.n)).toBe(answers.length);
      expect(await verifyAuditChain(ctx.store.db)).toMatchObject({ ok: true });
    });

    it('is for providers only', async () => {
      const request: NumberVerificationRequest = {
        method: 'number',
        document: 'legacy_card',
        insurerNumber: INSURER_A,
        symbol: '1234',
        number: '567',
        birthDate: taro.birthDate,
      };
      await expect(verify(ctx, adminA, request)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(verify(ctx, systemActor('provider'), request)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    });

    it('defaults asOf to today in Japan', async () => {
      // 2025-11-21T01:00Z (+ the minutes the tests moved) is 2025-11-21 in Japan.
      const answer = await run({
        method: 'number',
        document: 'legacy_card',
        insurerNumber: INSURER_A,
        symbol: '1234',
        number: '567',
        branch: '00',
        birthDate: taro.birthDate,
      });
      const row = await ctx.store.db
        .selectFrom('verifications')
        .select('as_of')
        .where('id', '=', answer.verificationId)
        .executeTakeFirstOrThrow();
      expect(row.as_of).toBe('2025-11-21');
      expect(answer.outcome).toBe('eligible');
    });

    it('never puts a My Number, its last 4 digits or a 12-digit run into an answer or the record', async () => {
      expect(answers.length).toBeGreaterThan(20);
      for (const answer of answers) {
        const { verificationId: _id, ...rest } = answer; // a random UUID may hold any digits
        const json = JSON.stringify(rest);
        expect(json).not.toMatch(/\d{12}/);
        for (const p of PEOPLE) {
          expect(json).not.toContain(p.myNumber);
          expect(json).not.toContain(p.myNumber.slice(-4));
        }
        if (answer.qualification) {
          expect(Object.keys(answer.qualification).sort()).toEqual(
            [
              'acquiredOn',
              'birthDate',
              'branch',
              'burdenRatio',
              'insurerName',
              'insurerNumber',
              'limitCategory',
              'lostOn',
              'name',
              'nameKana',
              'number',
              'relationship',
              'sex',
              'specificDisease',
              'symbol',
            ].sort(),
          );
        }
      }
      const audit = await ctx.store.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'verification')
        .execute();
      for (const { detail } of audit) {
        for (const p of PEOPLE) expect(detail).not.toContain(p.myNumber);
      }
    });

    it('has no My Number field at the type level', () => {
      const q: VerifiedQualification = {
        insurerNumber: INSURER_A,
        insurerName: 'x',
        symbol: '1',
        number: '2',
        branch: '00',
        relationship: 'insured',
        name: 'n',
        nameKana: 'ン',
        birthDate: '1989-10-01',
        sex: 'male',
        acquiredOn: '2020-01-01',
        lostOn: null,
        burdenRatio: 30,
        limitCategory: null,
        specificDisease: [],
      };
      // @ts-expect-error the provider answer has no place for a My Number
      const leaky: VerifiedQualification = { ...q, myNumber: '123456789018' };
      // @ts-expect-error nor for its last 4 digits
      const leakyLast4: VerifiedQualification = { ...q, myNumberLast4: '9018' };
      expect([leaky, leakyLast4]).toHaveLength(2);
    });
  });
});

describe('verification helpers', () => {
  const q = (over: Partial<QualificationFacts>): QualificationFacts => ({
    memberId: 'm',
    insurerNumber: INSURER_A,
    symbol: '1',
    number: '2',
    branch: '00',
    relationship: 'insured',
    birthDate: '1950-05-20',
    acquiredOn: '2000-04-01',
    lostOn: null,
    ...over,
  });

  it('ratioDateFor: asOf while covered, else the nearest covered day', () => {
    expect(ratioDateFor(q({}), '2020-01-01')).toBe('2020-01-01');
    expect(ratioDateFor(q({}), '1999-01-01')).toBe('2000-04-01');
    expect(ratioDateFor(q({ lostOn: '2010-07-01' }), '2011-01-01')).toBe('2010-06-30');
    // The day before the 75th birthday (2025-05-20) is the last covered day.
    expect(ratioDateFor(q({}), '2026-01-01')).toBe('2025-05-19');
    // Lost on the day of acquisition: never covered, the first day stands.
    expect(ratioDateFor(q({ lostOn: '2000-04-01' }), '2001-01-01')).toBe('2000-04-01');
  });

  it('holdsSeparateCertificates: from the 1st of the month after reaching 70, until 75', () => {
    expect(holdsSeparateCertificates('1955-02-10', '2025-02-28')).toBe(false);
    expect(holdsSeparateCertificates('1955-02-10', '2025-03-01')).toBe(true);
    expect(holdsSeparateCertificates('1955-02-10', '2030-02-09')).toBe(true);
    expect(holdsSeparateCertificates('1955-02-10', '2030-02-10')).toBe(false);
  });

  it('pickHouseholdMember: the birth date picks without a branch; all pass when none matches', () => {
    const entry = (memberId: string, birthDate: IsoDate): HubEntry => ({
      memberId,
      record: { state: 'registered', qualification: q({ memberId, birthDate }) },
      facts: null,
    });
    const household = [entry('a', '1980-01-01'), entry('b', '2010-01-01')];
    expect(pickHouseholdMember(household, '2010-01-01', false).map((e) => e.memberId)).toEqual(['b']);
    expect(pickHouseholdMember(household, '2011-01-01', false).map((e) => e.memberId)).toEqual(['a', 'b']);
    expect(pickHouseholdMember(household, '2010-01-01', true).map((e) => e.memberId)).toEqual(['a', 'b']);
  });
});
