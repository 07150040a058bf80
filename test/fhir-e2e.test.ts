/**
 * End to end over a real listening server: the registry, cards and JSON verification are driven
 * over HTTP (the routes of the core issue), the FHIR side with a third-party client (fhir-kit-client).
 * 1. One eligibility check by card entirely through FHIR ($challenge, sign, $submit, then read the
 *    disclosed Coverage and Patient back), every resource validated against R4.
 * 2. Every scenario of the core stories asked through both APIs: the FHIR answer must carry the same
 *    outcome, reasons (codes and Japanese text), fallbacks, burden ratio, limit category and
 *    qualification as the JSON answer — and the expected ones, so both cannot be wrong alike.
 */
import type { AddressInfo } from 'node:net';
import type {
  Bundle,
  CapabilityStatement,
  Coverage,
  CoverageEligibilityResponse,
  Parameters,
  Patient,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { addDays, addMonths } from '../src/domain/dates.js';
import { insurerNumberCheckDigit } from '../src/domain/insurer-number.js';
import { LIMIT_CATEGORY_OQS_CODES } from '../src/domain/limits.js';
import { r4Problems } from '../src/fhir/r4-validator.test-helper.js';
import { CS, EXT, HL7, JP } from '../src/fhir/systems.js';
import { buildApp } from '../src/http/app.js';
import type { ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { openTestContext } from './support/stores.js';

const A = '06139992';
const B = `0613800${insurerNumberCheckDigit('0613800')}`;
const PROVIDER = '1311234566';

interface Person {
  myNumber: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  address: string;
}

function person(
  seed: number,
  name: string,
  nameKana: string,
  birthDate: string,
  sex: 'male' | 'female' = 'male',
): Person {
  return { myNumber: testMyNumber(seed), name, nameKana, birthDate, sex, address: '東京都千代田区霞が関1-2-2' };
}

const P1 = person(9101, '協会 太郎', 'キョウカイ タロウ', '1989-10-01'); // legacy card timeline
const P7 = person(9107, '協会 花子', 'キョウカイ ハナコ', '2019-04-02', 'female'); // P1's preschool dependent
const P2 = person(9102, '新規 次郎', 'シンキ ジロウ', '1990-05-15'); // registered Friday 2025-11-21
const P3 = person(9103, '猶予 三郎', 'ユウヨ サブロウ', '1980-05-10'); // certificate in grace, then lapsed
const P4 = person(9104, '転職 四郎', 'テンショク シロウ', '1975-08-20'); // job change A → B
const P5 = person(9105, '重複 五郎', 'チョウフク ゴロウ', '1960-03-03'); // registered at A and B at once
const P6 = person(9106, '高齢 六郎', 'コウレイ ロクロウ', '1954-07-10'); // 70–74

interface Comparable {
  outcome: string;
  reasons: Array<{ code: string; ja: string }>;
  fallbacks: string[];
  burdenRatio: number | null;
  limitCategory: string | null;
  qualification: { key: string; acquiredOn: string; lostOn: string | null; name: string; birthDate: string } | null;
}

/** The JSON answer (DESIGN.md §5.1) reduced to what both APIs must agree on. */
type JsonAnswer = {
  outcome: string;
  reasons: Array<{ code: string; ja: string }>;
  fallbacks: Array<{ code: string }>;
  qualification: null | {
    insurerNumber: string;
    symbol: string;
    number: string;
    branch: string;
    acquiredOn: string;
    lostOn: string | null;
    name: string;
    birthDate: string;
    burdenRatio: number | null;
    limitCategory: string | null;
  };
};

function fromJson(body: JsonAnswer): Comparable {
  const q = body.qualification;
  return {
    outcome: body.outcome,
    reasons: body.reasons.map((r) => ({ code: r.code, ja: r.ja })),
    fallbacks: body.fallbacks.map((f) => f.code),
    burdenRatio: q?.burdenRatio ?? null,
    limitCategory: q?.limitCategory ?? null,
    qualification: q
      ? {
          key: `${q.insurerNumber}:${q.symbol}:${q.number}:${q.branch}`,
          acquiredOn: q.acquiredOn,
          lostOn: q.lostOn,
          name: q.name,
          birthDate: q.birthDate,
        }
      : null,
  };
}

const LIMIT_BY_CODE = Object.fromEntries(Object.entries(LIMIT_CATEGORY_OQS_CODES).map(([name, code]) => [code, name]));

/** The CoverageEligibilityResponse read back the way a FHIR client would (docs/FHIR.md). */
function fromFhir(r: CoverageEligibilityResponse): Comparable {
  const ext = (url: string) => (r.extension ?? []).filter((e) => e.url === url);
  const coverage = r.contained?.find((c): c is Coverage => c.resourceType === 'Coverage');
  const patient = r.contained?.find((c): c is Patient => c.resourceType === 'Patient');
  const items = r.insurance?.[0]?.item ?? [];
  const benefits = items.flatMap((i) => i.benefit ?? []);
  const ratio = benefits.find((b) =>
    b.type.coding?.some((c) => c.system === HL7.benefitType && c.code === 'copay-percent'),
  );
  const limit = benefits.find((b) => b.type.coding?.some((c) => c.system === CS.limitCategory));
  const period = r.insurance?.[0]?.benefitPeriod;
  return {
    outcome: ext(EXT.verificationOutcome)[0]?.valueCode ?? '',
    reasons: ext(EXT.verificationReason).map((e) => ({
      code: e.valueCodeableConcept?.coding?.[0]?.code ?? '',
      ja: e.valueCodeableConcept?.text ?? '',
    })),
    fallbacks: ext(EXT.verificationFallback).map((e) => e.valueCodeableConcept?.coding?.[0]?.code ?? ''),
    burdenRatio: ratio?.allowedUnsignedInt ?? null,
    limitCategory: LIMIT_BY_CODE[limit?.type.coding?.find((c) => c.system === CS.limitCategory)?.code ?? ''] ?? null,
    qualification: coverage
      ? {
          key: coverage.identifier?.find((i) => i.system === JP.insuranceMemberIdSystem)?.value ?? '',
          acquiredOn: period?.start ?? '',
          lostOn: period?.end ? addDays(period.end, 1) : null,
          name: patient?.name?.[0]?.text ?? '',
          birthDate: patient?.birthDate ?? '',
        }
      : null,
  };
}

describe('FHIR R4 end to end (fhir-kit-client against a listening server)', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let base = '';
  let fhir: Client;
  const tokens: Record<'operator' | 'adminA' | 'adminB' | 'provider', string> = {
    operator: '',
    adminA: '',
    adminB: '',
    provider: '',
  };
  const cards: Record<string, { cardId: string; certificateExpiresOn: string }> = {};
  const fhirAnswers: CoverageEligibilityResponse[] = [];

  async function api<T = Record<string, string>>(
    method: 'GET' | 'POST',
    path: string,
    who: keyof typeof tokens,
    body?: unknown,
  ): Promise<T> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json: unknown = await res.json();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json as T;
  }

  async function acquire(admin: 'adminA' | 'adminB', insurerNumber: string, p: Person, extra: Record<string, unknown>) {
    return api('POST', '/api/v1/notifications', admin, { kind: 'acquisition', insurerNumber, person: p, ...extra });
  }

  async function issueCard(p: Person, issuedOn: string, registeredOn: string) {
    const issued = await api<{ cardId: string; certificateExpiresOn: string }>('POST', '/api/v1/cards', 'operator', {
      myNumber: p.myNumber,
      issuedOn,
      pin: '1234',
    });
    await api('POST', `/api/v1/cards/${issued.cardId}/registration`, 'operator', {
      recordedOn: registeredOn,
      channel: 'reader',
    });
    cards[p.myNumber] = { cardId: issued.cardId, certificateExpiresOn: issued.certificateExpiresOn };
  }

  async function sign(p: Person, challenge: string) {
    const card = cards[p.myNumber];
    if (!card) throw new Error('no card');
    return api<{ certificate: string; signature: string }>('POST', `/api/v1/cards/${card.cardId}:sign`, 'provider', {
      challenge,
      pin: '1234',
    });
  }

  async function fhirChallenge(): Promise<string> {
    const out = (await fhir.operation({
      resourceType: 'CoverageEligibilityRequest',
      name: '$challenge',
      input: { resourceType: 'Parameters' },
    })) as unknown as Parameters;
    expect(r4Problems(out)).toEqual([]);
    return out.parameter?.find((p) => p.name === 'challenge')?.valueBase64Binary ?? '';
  }

  function cardRequest(
    signed: { certificate: string; signature: string },
    challenge: string,
    asOf: string,
    limitInfo: boolean,
  ) {
    return {
      resourceType: 'CoverageEligibilityRequest',
      extension: [
        {
          url: EXT.cardVerification,
          extension: [
            { url: 'certificate', valueString: signed.certificate },
            { url: 'challenge', valueBase64Binary: challenge },
            { url: 'signature', valueBase64Binary: signed.signature },
            { url: 'identityCheck', valueCode: 'pin' },
          ],
        },
        ...(limitInfo ? [{ url: EXT.disclosureConsent, extension: [{ url: 'limitInfo', valueBoolean: true }] }] : []),
      ],
      status: 'active',
      purpose: ['validation'],
      patient: { display: '受付中の患者' },
      servicedDate: asOf,
      created: `${asOf}T09:00:00+09:00`,
      insurer: { display: 'Shikaku' },
    };
  }

  /** $submit with the request itself as the body, or wrapped in a Parameters (both are accepted). */
  async function submit(body: unknown, via: 'resource' | 'parameters'): Promise<CoverageEligibilityResponse> {
    const answer = (await fhir.operation({
      resourceType: 'CoverageEligibilityRequest',
      name: '$submit',
      input:
        via === 'resource'
          ? (body as never)
          : { resourceType: 'Parameters', parameter: [{ name: 'resource', resource: body as never }] },
    })) as unknown as CoverageEligibilityResponse;
    fhirAnswers.push(answer);
    return answer;
  }

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    app = await buildApp({ ctx });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    tokens.operator = (await createToken(ctx, { role: 'operator' })).token;
    tokens.adminA = (await createToken(ctx, { role: 'admin', insurerNumber: A })).token;
    tokens.adminB = (await createToken(ctx, { role: 'admin', insurerNumber: B })).token;
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    fhir = new Client({ baseUrl: `${base}/fhir/R4`, bearerToken: tokens.provider });

    const insurer = { certificatePolicy: { validYears: 5 }, reissueFeeYen: 500, newMemberCertificate: 'ex_officio' };
    await api('POST', '/api/v1/insurers', 'operator', { insurerNumber: A, name: 'シカク健康保険組合', ...insurer });
    await api('POST', '/api/v1/insurers', 'operator', { insurerNumber: B, name: 'テンショク健康保険組合', ...insurer });
    for (const p of [P1, P2, P3, P4, P5, P6, P7]) await api('POST', '/api/v1/residents', 'operator', p);

    const p1 = await acquire('adminA', A, P1, {
      recordedOn: '2024-10-01',
      symbol: '1234',
      number: '567',
      branch: '00',
      acquiredOn: '2012-04-01',
      standardMonthlyRemuneration: 300_000,
    });
    await api('POST', `/api/v1/members/${p1.memberId}/legacy-cards`, 'adminA', { issuedOn: '2024-04-01' });
    await issueCard(P1, '2024-06-03', '2024-06-03');
    const p7 = await api('POST', '/api/v1/notifications', 'adminA', {
      kind: 'dependent_add',
      insurerNumber: A,
      recordedOn: '2024-10-01',
      insured: { symbol: '1234', number: '567' },
      branch: '01',
      acquiredOn: '2019-04-02',
      person: P7,
    });
    await api('POST', `/api/v1/members/${p7.memberId}/legacy-cards`, 'adminA', { issuedOn: '2024-04-01' });

    await acquire('adminA', A, P2, {
      recordedOn: '2025-11-21',
      symbol: '2000',
      number: '1',
      acquiredOn: '2025-11-21',
      standardMonthlyRemuneration: 240_000,
    });
    await issueCard(P2, '2024-06-03', '2024-06-03');

    await acquire('adminA', A, P3, {
      recordedOn: '2010-04-01',
      symbol: '3000',
      number: '1',
      acquiredOn: '2010-04-01',
      standardMonthlyRemuneration: 410_000,
    });
    await issueCard(P3, '2020-06-01', '2021-01-12');

    const p4 = await acquire('adminA', A, P4, {
      recordedOn: '2015-04-01',
      symbol: '4000',
      number: '1',
      branch: '00',
      acquiredOn: '2015-04-01',
      standardMonthlyRemuneration: 500_000,
    });
    await api('POST', `/api/v1/members/${p4.memberId}/legacy-cards`, 'adminA', { issuedOn: '2015-04-01' });
    await api('POST', '/api/v1/notifications', 'adminA', {
      kind: 'loss',
      insurerNumber: A,
      recordedOn: '2025-10-02',
      symbol: '4000',
      number: '1',
      branch: '00',
      lostOn: '2025-10-01',
    });
    await acquire('adminB', B, P4, {
      recordedOn: '2025-10-02',
      symbol: '77',
      number: '1',
      acquiredOn: '2025-10-01',
      standardMonthlyRemuneration: 560_000,
    });
    await issueCard(P4, '2024-06-03', '2024-06-03');

    await acquire('adminA', A, P5, {
      recordedOn: '2020-04-01',
      symbol: '5000',
      number: '1',
      acquiredOn: '2020-04-01',
      standardMonthlyRemuneration: 300_000,
    });
    await acquire('adminB', B, P5, {
      recordedOn: '2024-04-01',
      symbol: '88',
      number: '1',
      acquiredOn: '2024-04-01',
      standardMonthlyRemuneration: 300_000,
    });
    await issueCard(P5, '2024-06-03', '2024-06-03');

    const p6 = await acquire('adminA', A, P6, {
      recordedOn: '2018-04-01',
      symbol: '6000',
      number: '1',
      branch: '00',
      acquiredOn: '2018-04-01',
      standardMonthlyRemuneration: 200_000,
    });
    await api('POST', `/api/v1/members/${p6.memberId}/legacy-cards`, 'adminA', { issuedOn: '2018-04-01' });
  });

  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  it('runs a card eligibility check entirely through FHIR, then reads the disclosed Coverage and Patient', async () => {
    const capability = (await fhir.capabilityStatement()) as unknown as CapabilityStatement;
    expect(r4Problems(capability)).toEqual([]);
    expect(
      capability.rest?.[0]?.resource
        ?.find((r) => r.type === 'CoverageEligibilityRequest')
        ?.operation?.map((o) => o.name),
    ).toEqual(['submit', 'challenge']);

    const challenge = await fhirChallenge();
    const signed = await sign(P1, challenge);
    const answer = await submit(cardRequest(signed, challenge, '2025-12-02', true), 'parameters');
    expect(r4Problems(answer)).toEqual([]);
    expect(answer.outcome).toBe('complete');
    expect(answer.insurance?.[0]?.inforce).toBe(true);
    expect(fromFhir(answer)).toMatchObject({ outcome: 'eligible', burdenRatio: 30, limitCategory: 'ウ' });
    expect(answer.insurer).toEqual({ reference: `Organization/${A}`, display: 'シカク健康保険組合' });

    // The contained Patient names the member; its Coverage and Patient are now readable by this provider.
    const memberId =
      answer.contained?.find((c): c is Patient => c.resourceType === 'Patient')?.identifier?.[0]?.value ?? '';
    const coverage = (await fhir.read({ resourceType: 'Coverage', id: memberId })) as unknown as Coverage;
    expect(r4Problems(coverage)).toEqual([]);
    expect(coverage.identifier?.[0]?.value).toBe(`${A}:1234:567:00`);
    expect(coverage.costToBeneficiary?.[0]?.valueQuantity?.value).toBe(30);
    const patient = (await fhir.read({ resourceType: 'Patient', id: memberId })) as unknown as Patient;
    expect(r4Problems(patient)).toEqual([]);
    expect(patient.name?.map((n) => n.text)).toEqual(['協会 太郎', 'キョウカイ タロウ']);
    const found = (await fhir.search({
      resourceType: 'Coverage',
      searchParams: { identifier: `${JP.insuranceMemberIdSystem}|${A}:1234:567:00` },
    })) as unknown as Bundle;
    expect(r4Problems(found)).toEqual([]);
    expect(found.entry?.map((e) => e.resource?.id)).toEqual([memberId]);
    const organization = await fhir.read({ resourceType: 'Organization', id: A });
    expect(r4Problems(organization as never)).toEqual([]);

    // A refused request comes back as an OperationOutcome through the client too.
    await expect(
      fhir.operation({
        resourceType: 'CoverageEligibilityRequest',
        name: '$submit',
        input: { resourceType: 'CoverageEligibilityRequest', status: 'active' } as never,
      }),
    ).rejects.toMatchObject({ response: { status: 400, data: { resourceType: 'OperationOutcome' } } });
    // Requests are not stored: `create` is not offered (405, pointing at $submit), so no client
    // mistakes the answer for the resource it created.
    await expect(
      fhir.create({
        resourceType: 'CoverageEligibilityRequest',
        body: cardRequest(signed, challenge, '2025-12-02', false) as never,
      }),
    ).rejects.toMatchObject({ response: { status: 405, data: { resourceType: 'OperationOutcome' } } });
  });

  describe('the JSON and FHIR APIs answer every scenario identically', () => {
    interface Scenario {
      name: string;
      expected: Partial<Comparable> & { reasonCodes: string[] };
      json: () => Promise<Comparable>;
      fhir: () => Promise<Comparable>;
    }

    function byNumber(
      p: Person,
      key: { insurerNumber: string; symbol: string; number: string; branch?: string },
      asOf: string,
      opts: { limitInfo?: boolean; birthDate?: string } = {},
    ) {
      const birthDate = opts.birthDate ?? p.birthDate;
      return {
        json: async () =>
          fromJson(
            await api<JsonAnswer>('POST', '/api/v1/verifications', 'provider', {
              method: 'number',
              asOf,
              document: 'legacy_card',
              ...key,
              birthDate,
              ...(opts.limitInfo ? { consent: { limitInfo: true } } : {}),
            }),
          ),
        fhir: async () =>
          fromFhir(
            await submit(
              {
                resourceType: 'CoverageEligibilityRequest',
                contained: [{ resourceType: 'Patient', id: 'p', birthDate }],
                extension: [
                  { url: EXT.presentedDocument, valueCode: 'legacy_card' },
                  ...(opts.limitInfo
                    ? [{ url: EXT.disclosureConsent, extension: [{ url: 'limitInfo', valueBoolean: true }] }]
                    : []),
                ],
                status: 'active',
                purpose: ['validation'],
                patient: { reference: '#p' },
                servicedDate: asOf,
                created: `${asOf}T09:00:00+09:00`,
                insurer: { identifier: { system: JP.insurerNumberSystem, value: key.insurerNumber } },
                insurance: [
                  {
                    coverage: {
                      identifier: {
                        system: JP.insuranceMemberIdSystem,
                        value: `${key.insurerNumber}:${key.symbol}:${key.number}:${key.branch ?? ''}`,
                      },
                    },
                  },
                ],
              },
              'resource',
            ),
          ),
      };
    }

    function byCard(p: Person, asOf: (card: { certificateExpiresOn: string }) => string, limitInfo = false) {
      const day = () => asOf(cards[p.myNumber] ?? { certificateExpiresOn: '' });
      return {
        json: async () => {
          const { challenge } = await api<{ challenge: string }>('GET', '/api/v1/verifications/challenge', 'provider');
          const signed = await sign(p, challenge);
          return fromJson(
            await api<JsonAnswer>('POST', '/api/v1/verifications', 'provider', {
              method: 'card',
              asOf: day(),
              card: { certificate: signed.certificate, challenge, signature: signed.signature },
              identityCheck: 'pin',
              ...(limitInfo ? { consent: { limitInfo: true } } : {}),
            }),
          );
        },
        fhir: async () => {
          const challenge = await fhirChallenge();
          const signed = await sign(p, challenge);
          return fromFhir(await submit(cardRequest(signed, challenge, day(), limitInfo), 'parameters'));
        },
      };
    }

    const P1_KEY = { insurerNumber: A, symbol: '1234', number: '567', branch: '00' };
    const scenarios: Scenario[] = [
      {
        name: 'legacy card accepted on its last day, 2025-12-01',
        expected: { outcome: 'eligible', reasonCodes: ['CONSENT_NOT_GIVEN'], burdenRatio: 30 },
        ...byNumber(P1, P1_KEY, '2025-12-01'),
      },
      {
        name: 'legacy card under the temporary measure on 2025-12-02, with the limit category by consent',
        expected: {
          outcome: 'eligible',
          reasonCodes: ['LEGACY_CARD_TEMPORARY_MEASURE'],
          burdenRatio: 30,
          limitCategory: 'ウ',
        },
        ...byNumber(P1, P1_KEY, '2025-12-02', { limitInfo: true }),
      },
      {
        name: 'legacy card refused after the temporary measure (2026-04-01)',
        expected: { outcome: 'ineligible', reasonCodes: ['LEGACY_CARD_EXPIRED'], qualification: null },
        ...byNumber(P1, P1_KEY, '2026-04-01'),
      },
      {
        name: 'a wrong birth date finds nothing',
        expected: { outcome: 'not_found', reasonCodes: ['NO_MATCHING_QUALIFICATION'], qualification: null },
        ...byNumber(P1, P1_KEY, '2025-12-01', { birthDate: '1989-10-02' }),
      },
      {
        name: 'a preschool dependent (枝番 01) pays 20 %, limit from the insured’s remuneration',
        expected: { outcome: 'eligible', reasonCodes: [], burdenRatio: 20, limitCategory: 'ウ' },
        ...byNumber(P7, { ...P1_KEY, branch: '01' }, '2025-12-01', { limitInfo: true }),
      },
      {
        name: 'a 70–74 member pays 20 %, category 一般',
        expected: { outcome: 'eligible', reasonCodes: [], burdenRatio: 20, limitCategory: '一般' },
        ...byNumber(P6, { insurerNumber: A, symbol: '6000', number: '1', branch: '00' }, '2025-11-28', {
          limitInfo: true,
        }),
      },
      {
        name: 'registered Friday 2025-11-21: pending on Tuesday 11-25',
        expected: { outcome: 'not_found', reasonCodes: ['HUB_REGISTRATION_PENDING'], qualification: null },
        ...byCard(P2, () => '2025-11-25'),
      },
      {
        name: 'registered Friday 2025-11-21: answered from Wednesday 11-26',
        expected: { outcome: 'eligible', reasonCodes: ['CONSENT_NOT_GIVEN'], burdenRatio: 30 },
        ...byCard(P2, () => '2025-11-26'),
      },
      {
        name: 'a user certificate the day after its expiry: grace',
        expected: { outcome: 'eligible', reasonCodes: ['CERT_EXPIRED_GRACE', 'CONSENT_NOT_GIVEN'], burdenRatio: 30 },
        ...byCard(P3, (c) => addDays(c.certificateExpiresOn, 1)),
      },
      {
        name: 'the same certificate four months after its expiry: lapsed',
        expected: {
          outcome: 'ineligible',
          qualification: null,
          reasonCodes: ['CERT_EXPIRED', 'CARD_REGISTRATION_CANCELLED'],
        },
        ...byCard(P3, (c) => addMonths(c.certificateExpiresOn, 4)),
      },
      {
        name: 'a job change: the card finds the new association',
        expected: { outcome: 'eligible', reasonCodes: [], burdenRatio: 30, limitCategory: 'イ' },
        ...byCard(P4, () => '2025-12-02', true),
      },
      {
        name: 'a job change: the old legacy card reads lost, with a newer qualification',
        expected: {
          outcome: 'ineligible',
          reasonCodes: ['QUALIFICATION_LOST', 'NEWER_QUALIFICATION_EXISTS'],
          burdenRatio: 30,
        },
        ...byNumber(P4, { insurerNumber: A, symbol: '4000', number: '1', branch: '00' }, '2025-11-28'),
      },
      {
        name: 'two open qualifications at once: ambiguous',
        expected: { outcome: 'ambiguous', reasonCodes: ['MULTIPLE_QUALIFICATIONS'], qualification: null },
        ...byCard(P5, () => '2025-12-02'),
      },
    ];

    for (const s of scenarios) {
      it(s.name, async () => {
        const viaJson = await s.json();
        const viaFhir = await s.fhir();
        expect(viaFhir).toEqual(viaJson);
        const { reasonCodes, ...expected } = s.expected;
        expect(viaJson).toMatchObject(expected);
        expect(viaJson.reasons.map((r) => r.code)).toEqual(reasonCodes);
      });
    }

    it('every FHIR answer validates against R4 and carries no My Number', () => {
      expect(fhirAnswers.length).toBeGreaterThan(scenarios.length);
      for (const answer of fhirAnswers) {
        expect(r4Problems(answer)).toEqual([]);
        const text = JSON.stringify(answer);
        for (const p of [P1, P2, P3, P4, P5, P6, P7]) expect(text).not.toContain(p.myNumber);
      }
    });
  });
});
