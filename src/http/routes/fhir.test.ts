import type { Bundle, CoverageEligibilityResponse, OperationOutcome } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eligibilityByNumber } from '../../../test/support/fhir.js';
import { openTestContext, STORE_KINDS } from '../../../test/support/stores.js';
import { testMyNumber } from '../../cards/testing.js';
import { r4Problems } from '../../fhir/r4-validator.test-helper.js';
import { JP, SID } from '../../fhir/systems.js';
import type { ServiceContext } from '../../services/context.js';
import { createToken } from '../../services/tokens.js';
import { buildApp } from '../app.js';

const INSURER = '06139992';
const PROVIDER = '1311234566';
const OTHER_PROVIDER = '1311234574';
const PERSON = {
  myNumber: testMyNumber(5101),
  name: '協会 太郎',
  nameKana: 'キョウカイ タロウ',
  birthDate: '1989-10-01',
  sex: 'male',
  address: '東京都千代田区霞が関1-2-2',
};
const MEMBER_KEY = `${INSURER}:1234:567:00`;

function eligibilityRequest(birthDate = '1989-10-01', servicedDate = '2025-12-02') {
  return eligibilityByNumber({ insurerNumber: INSURER, memberKey: MEMBER_KEY, birthDate, servicedDate });
}

describe.each(STORE_KINDS)('FHIR routes on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  let memberId = '';

  const auth = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
  const fhirJson = { 'content-type': 'application/fhir+json' };
  async function inject(
    method: 'GET' | 'POST',
    url: string,
    who?: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) {
    return app.inject({
      method,
      url,
      headers: { ...(who ? auth(who) : {}), ...(payload !== undefined ? fhirJson : {}), ...headers },
      ...(payload !== undefined ? { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) } : {}),
    });
  }

  beforeAll(async () => {
    ctx = await openTestContext(kind);
    app = await buildApp({ ctx });
    tokens.operator = (await createToken(ctx, { role: 'operator' })).token;
    tokens.admin = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER })).token;
    tokens.provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    tokens.other = (await createToken(ctx, { role: 'provider', providerCode: OTHER_PROVIDER })).token;
    const setup = async (url: string, who: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, headers: auth(who), payload });
      expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
      return res.json();
    };
    await setup('/api/v1/insurers', 'operator', {
      insurerNumber: INSURER,
      name: 'シカク健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    await setup('/api/v1/residents', 'operator', PERSON);
    const acquired = await setup('/api/v1/notifications', 'admin', {
      kind: 'acquisition',
      insurerNumber: INSURER,
      recordedOn: '2024-10-01',
      symbol: '1234',
      number: '567',
      branch: '00',
      acquiredOn: '2012-04-01',
      standardMonthlyRemuneration: 300_000,
      person: PERSON,
    });
    memberId = acquired.memberId;
    await setup(`/api/v1/members/${memberId}/legacy-cards`, 'admin', { issuedOn: '2024-04-01' });
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('protocol', () => {
    it('serves a valid CapabilityStatement without a token, as application/fhir+json', async () => {
      const res = await inject('GET', '/fhir/R4/metadata');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(r4Problems(res.json())).toEqual([]);
      expect(res.json().implementation.url).toBe('http://localhost:80/fhir/R4');
    });

    it('refuses XML with 406 (asked) or 415 (sent), as an OperationOutcome in JSON', async () => {
      for (const res of [
        await inject('GET', '/fhir/R4/metadata?_format=xml'),
        await inject('GET', '/fhir/R4/metadata', undefined, undefined, { accept: 'application/fhir+xml' }),
      ]) {
        expect(res.statusCode).toBe(406);
        expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
        const outcome: OperationOutcome = res.json();
        expect(r4Problems(outcome)).toEqual([]);
        expect(outcome.issue[0]).toMatchObject({
          code: 'not-supported',
          details: { coding: [{ code: 'FORMAT_NOT_ACCEPTABLE' }] },
        });
      }
      expect(
        (await inject('GET', '/fhir/R4/metadata?_format=json', undefined, undefined, { accept: 'application/xml' }))
          .statusCode,
      ).toBe(200);
      const xml = await inject(
        'POST',
        '/fhir/R4/CoverageEligibilityRequest/$submit',
        'provider',
        '<CoverageEligibilityRequest/>',
        {
          'content-type': 'application/fhir+xml',
        },
      );
      expect(xml.statusCode).toBe(415);
      expect(xml.json().issue[0].details.coding[0].code).toBe('MEDIA_TYPE_UNSUPPORTED');
    });

    it('answers auth, role, unknown routes and bad JSON with OperationOutcomes and our codes', async () => {
      const cases: Array<[Awaited<ReturnType<typeof inject>>, number, string]> = [
        [await inject('GET', '/fhir/R4/Patient'), 401, 'AUTH_REQUIRED'],
        [await inject('GET', '/fhir/R4/Patient', 'admin'), 403, 'FORBIDDEN'],
        [await inject('GET', '/fhir/R4/Observation', 'provider'), 404, 'NOT_FOUND'],
        [
          await inject('POST', '/fhir/R4/CoverageEligibilityRequest/$submit', 'provider', '{"resourceType":'),
          400,
          'VALIDATION_FAILED',
        ],
        [await inject('GET', '/fhir/R4/Patient?name=協会', 'provider'), 400, 'VALIDATION_UNKNOWN_FIELD'],
      ];
      for (const [res, status, code] of cases) {
        expect(res.statusCode, res.body).toBe(status);
        expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
        expect(r4Problems(res.json())).toEqual([]);
        expect(res.json().issue[0].details.coding[0].code).toBe(code);
      }
    });

    it('refuses what the JSON API refuses, with the same code, pointing at the FHIR element', async () => {
      const badDigit = {
        ...eligibilityRequest(),
        insurance: [
          { coverage: { identifier: { system: JP.insuranceMemberIdSystem, value: '06139993:1234:567:00' } } },
        ],
      };
      const res = await inject('POST', '/fhir/R4/CoverageEligibilityRequest/$submit', 'provider', badDigit);
      expect(res.statusCode).toBe(400);
      const outcome: OperationOutcome = res.json();
      expect(outcome.issue[0]).toMatchObject({
        details: { coding: [{ code: 'INSURER_NUMBER_CHECK_DIGIT' }] },
        expression: ['CoverageEligibilityRequest.insurance[0].coverage'],
      });
      const json = await app.inject({
        method: 'POST',
        url: '/api/v1/verifications',
        headers: auth('provider'),
        payload: {
          method: 'number',
          document: 'legacy_card',
          insurerNumber: '06139993',
          symbol: '1234',
          number: '567',
          birthDate: '1989-10-01',
        },
      });
      expect(json.json().code).toBe('INSURER_NUMBER_CHECK_DIGIT');
      const badDate = await inject(
        'POST',
        '/fhir/R4/CoverageEligibilityRequest/$submit',
        'provider',
        eligibilityRequest('1989-10-01', '2025-02-30'),
      );
      expect(badDate.json().issue[0]).toMatchObject({
        code: 'value',
        details: { coding: [{ code: 'VALIDATION_DATE' }] },
        expression: ['CoverageEligibilityRequest.servicedDate'],
      });
    });
  });

  describe('disclosure', () => {
    it('shows no Patient or Coverage before a verification disclosed it', async () => {
      expect((await inject('GET', `/fhir/R4/Patient/${memberId}`, 'provider')).statusCode).toBe(404);
      expect((await inject('GET', `/fhir/R4/Coverage/${memberId}`, 'provider')).statusCode).toBe(404);
      const search: Bundle = (
        await inject('GET', `/fhir/R4/Coverage?identifier=${JP.insuranceMemberIdSystem}|${MEMBER_KEY}`, 'provider')
      ).json();
      expect(search.total).toBe(0);
    });

    it('a not_found answer (wrong birth date) discloses nothing', async () => {
      const res = await inject(
        'POST',
        '/fhir/R4/CoverageEligibilityRequest/$submit',
        'provider',
        eligibilityRequest('1989-10-02'),
      );
      expect(res.statusCode).toBe(200);
      const answer: CoverageEligibilityResponse = res.json();
      expect(r4Problems(answer)).toEqual([]);
      expect(answer.error?.[0]?.code.coding?.[0]?.code).toBe('NO_MATCHING_QUALIFICATION');
      expect(answer.contained).toBeUndefined();
      expect((await inject('GET', '/fhir/R4/Patient', 'provider')).json().total).toBe(0);
    });

    it('after an eligible answer, that provider (only) can read and search the Patient and Coverage, each read audited', async () => {
      const res = await inject('POST', '/fhir/R4/CoverageEligibilityRequest/$submit', 'provider', {
        resourceType: 'Parameters',
        parameter: [{ name: 'resource', resource: eligibilityRequest() }],
      });
      expect(res.statusCode).toBe(200);
      const answer: CoverageEligibilityResponse = res.json();
      expect(r4Problems(answer)).toEqual([]);
      expect(answer.insurance?.[0]?.inforce).toBe(true);
      const auditBefore = (await ctx.store.db.selectFrom('audit_log').select('seq').execute()).length;

      const patient = await inject('GET', `/fhir/R4/Patient/${memberId}`, 'provider');
      expect(patient.statusCode).toBe(200);
      expect(r4Problems(patient.json())).toEqual([]);
      expect(patient.json()).toMatchObject({ id: memberId, birthDate: '1989-10-01', gender: 'male' });
      const coverage = await inject('GET', `/fhir/R4/Coverage/${memberId}`, 'provider');
      expect(r4Problems(coverage.json())).toEqual([]);
      expect(coverage.json()).toMatchObject({
        beneficiary: { reference: `Patient/${memberId}` },
        payor: [{ reference: `Organization/${INSURER}` }],
        costToBeneficiary: [{ valueQuantity: { value: 30 } }],
      });

      for (const url of [
        `/fhir/R4/Coverage?identifier=${encodeURIComponent(`${JP.insuranceMemberIdSystem}|${MEMBER_KEY}`)}`,
        `/fhir/R4/Coverage?identifier=${encodeURIComponent('０６１３９９９２：１２３４：５６７：')}`,
        `/fhir/R4/Coverage?beneficiary=Patient/${memberId}`,
        `/fhir/R4/Patient?identifier=${encodeURIComponent(`${SID.member}|${memberId}`)}&birthdate=1989-10-01`,
        `/fhir/R4/Patient?_id=${memberId}`,
        `/fhir/R4/Patient?identifier=${encodeURIComponent(`${SID.member}|`)}`,
        `/fhir/R4/Coverage?identifier=${encodeURIComponent(`${JP.insuranceMemberIdSystem}|`)}`,
      ]) {
        const bundle: Bundle = (await inject('GET', url, 'provider')).json();
        expect(r4Problems(bundle), url).toEqual([]);
        expect(bundle.total, url).toBe(1);
        expect(bundle.entry?.[0]?.fullUrl).toMatch(
          new RegExp(`^http://localhost:80/fhir/R4/(Patient|Coverage)/${memberId}$`),
        );
      }
      expect((await inject('GET', '/fhir/R4/Patient?birthdate=1989-10-02', 'provider')).json().total).toBe(0);
      expect(
        (await inject('GET', `/fhir/R4/Coverage?identifier=${INSURER}:1234:567:01`, 'provider')).json().total,
      ).toBe(0);

      const reads = await ctx.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>', auditBefore)
        .where('action', '=', 'fhir.read')
        .execute();
      expect(reads).toHaveLength(9);
      expect(reads.every((r) => r.member_id === memberId && !/協会|キョウカイ|\d{12}/u.test(r.detail))).toBe(true);

      // Another provider was disclosed nothing.
      expect((await inject('GET', `/fhir/R4/Patient/${memberId}`, 'other')).statusCode).toBe(404);
      expect((await inject('GET', '/fhir/R4/Coverage', 'other')).json().total).toBe(0);
    });

    it('answers _count=0 with the total only and no next link (a client following next would loop on self)', async () => {
      const first: Bundle = (await inject('GET', '/fhir/R4/Patient?_count=0', 'provider')).json();
      expect(first.total).toBe(1);
      expect(first.entry).toEqual([]);
      expect(first.link?.map((l) => l.relation)).toEqual(['self']);
      expect(first.link?.[0]?.url).toMatch(/^http:\/\/localhost:80\/fhir\/R4\/Patient\?_count=0&_snapshot=/u);
    });
  });

  describe('Organization, CodeSystem, AuditEvent, $challenge', () => {
    it('serves the association to any role, by id and by 保険者番号', async () => {
      const org = await inject('GET', `/fhir/R4/Organization/${INSURER}`, 'admin');
      expect(r4Problems(org.json())).toEqual([]);
      expect(org.json().name).toBe('シカク健康保険組合');
      const search: Bundle = (
        await inject('GET', `/fhir/R4/Organization?identifier=${JP.insurerNumberSystem}|${INSURER}`, 'provider')
      ).json();
      expect(search.total).toBe(1);
      expect((await inject('GET', '/fhir/R4/Organization/01234567', 'provider')).statusCode).toBe(404);
    });

    it('serves our code systems publicly', async () => {
      const cs = await inject('GET', '/fhir/R4/CodeSystem/verification-reason');
      expect(cs.statusCode).toBe(200);
      expect(cs.json().concept.some((c: { code: string }) => c.code === 'LEGACY_CARD_EXPIRED')).toBe(true);
      const byUrl: Bundle = (
        await inject(
          'GET',
          `/fhir/R4/CodeSystem?url=${encodeURIComponent('https://shikaku.dev/fhir/CodeSystem/error')}`,
        )
      ).json();
      expect(byUrl.total).toBe(1);
    });

    it('shows the audit trail as AuditEvents: admin its association, operator all, provider nothing', async () => {
      const admin: Bundle = (
        await inject('GET', `/fhir/R4/AuditEvent?patient=Patient/${memberId}&_count=100`, 'admin')
      ).json();
      expect(r4Problems(admin)).toEqual([]);
      const actions = admin.entry?.map((e) => (e.resource as { type: { code: string } }).type.code) ?? [];
      expect(actions).toContain('verification');
      expect(actions).toContain('fhir.read');
      const seq = admin.entry?.[0]?.resource?.id ?? '';
      expect((await inject('GET', `/fhir/R4/AuditEvent/${seq}`, 'operator')).statusCode).toBe(200);
      const dated: Bundle = (
        await inject('GET', '/fhir/R4/AuditEvent?date=ge2025-11-21&date=le2025-11-21', 'operator')
      ).json();
      expect(dated.total).toBeGreaterThan(0);
      expect((await inject('GET', '/fhir/R4/AuditEvent?date=lt2025-11-21', 'admin')).json().total).toBe(0);
      expect((await inject('GET', '/fhir/R4/AuditEvent', 'provider')).statusCode).toBe(403);
    });

    it('$challenge issues a challenge for the card, only to a provider (POST: it changes state)', async () => {
      const res = await inject('POST', '/fhir/R4/CoverageEligibilityRequest/$challenge', 'provider', {});
      expect(res.statusCode).toBe(200);
      expect(r4Problems(res.json())).toEqual([]);
      const [challenge, expiresAt] = res.json().parameter;
      expect(Buffer.from(challenge.valueBase64Binary, 'base64')).toHaveLength(32);
      expect(expiresAt.valueInstant).toBe('2025-11-21T01:05:00.000Z');
      expect((await inject('POST', '/fhir/R4/CoverageEligibilityRequest/$challenge', 'admin', {})).statusCode).toBe(
        403,
      );
      const get = await inject('GET', '/fhir/R4/CoverageEligibilityRequest/$challenge', 'provider');
      expect(get.statusCode).toBe(405);
      expect(get.headers.allow).toBe('POST');
      expect(get.json().issue[0].details.coding[0].code).toBe('METHOD_NOT_ALLOWED');
    });
  });
});
