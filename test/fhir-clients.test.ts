/**
 * FHIR as real clients use it (issue #18): fhir-kit-client and MedplumClient against a listening
 * server, and raw HTTP (app.inject) for the headers. Each point of the issue has its test; the table
 * test walks every search parameter the CapabilityStatement declares and fails when one filters
 * nothing.
 */
import type { AddressInfo } from 'node:net';
import { MedplumClient } from '@medplum/core';
import type {
  Bundle,
  CapabilityStatement,
  CodeSystem,
  Coverage,
  CoverageEligibilityResponse,
  OperationOutcome,
  Patient,
} from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import { Client, RESPONSE_KEY } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { AUDIT_ACTION_SYSTEM } from '../src/fhir/audit-event.js';
import { r4Problems } from '../src/fhir/r4-validator.test-helper.js';
import { EXT, HL7, JP, JP_OID, SID } from '../src/fhir/systems.js';
import { buildApp } from '../src/http/app.js';
import type { Clock, ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { eligibilityByNumber } from './support/fhir.js';
import { openTestContext, STORE_KINDS } from './support/stores.js';

const A = '06139992';
const OTHER_INSURER = '06139984';
const P = '1311234566';
const Q = '1311234574';
const PEOPLE = [
  {
    myNumber: testMyNumber(6101),
    name: '協会 太郎',
    nameKana: 'キョウカイ タロウ',
    birthDate: '1989-10-01',
    number: '567',
  },
  {
    myNumber: testMyNumber(6102),
    name: '協会 花子',
    nameKana: 'キョウカイ ハナコ',
    birthDate: '1991-03-03',
    number: '568',
  },
  {
    myNumber: testMyNumber(6103),
    name: '協会 三郎',
    nameKana: 'キョウカイ サブロウ',
    birthDate: '1993-05-05',
    number: '569',
  },
] as const;
type Person = (typeof PEOPLE)[number];
const ADDRESS = '東京都千代田区霞が関1-2-2';
const keyOf = (p: Person) => `${A}:1234:${p.number}:00`;

function eligibilityRequest(p: Person, servicedDate: string, coverage?: object, insurer?: object) {
  return eligibilityByNumber({
    insurerNumber: A,
    memberKey: keyOf(p),
    birthDate: p.birthDate,
    servicedDate,
    ...(coverage ? { coverage } : {}),
    ...(insurer ? { insurer } : {}),
  });
}

describe.each(STORE_KINDS)('FHIR through real clients on %s', (kind) => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let base = '';
  const tokens: Record<'operator' | 'admin' | 'p' | 'q', string> = { operator: '', admin: '', p: '', q: '' };
  const members: string[] = [];
  let kit: Client;
  let medplum: MedplumClient;

  // Each reading of the clock is a second later: verifications and searches are ordered in time.
  let tick = Date.parse('2025-11-21T01:00:00Z');
  const clock: Clock = {
    now: () => {
      tick += 1000;
      return new Date(tick);
    },
  };

  const kitFor = (token: string) =>
    new Client({ baseUrl: `${base}/fhir/R4`, customHeaders: { authorization: `Bearer ${token}` } });
  async function inject(url: string, who?: keyof typeof tokens, headers: Record<string, string> = {}) {
    return app.inject({
      method: 'GET',
      url,
      headers: { ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}), ...headers },
    });
  }
  async function post(url: string, who: keyof typeof tokens, payload: object) {
    const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens[who]}` }, payload });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  }
  async function submit(who: 'p' | 'q', body: object): Promise<CoverageEligibilityResponse> {
    return (await kitFor(tokens[who]).operation({
      resourceType: 'CoverageEligibilityRequest',
      name: '$submit',
      input: body as never,
    })) as unknown as CoverageEligibilityResponse;
  }
  const outcomeOf = (r: CoverageEligibilityResponse) =>
    r.extension?.find((e) => e.url === EXT.verificationOutcome)?.valueCode;

  beforeAll(async () => {
    ctx = await openTestContext(kind, clock);
    app = await buildApp({ ctx, publicUrl: {} });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    tokens.operator = (await createToken(ctx, { role: 'operator' })).token;
    tokens.admin = (await createToken(ctx, { role: 'admin', insurerNumber: A })).token;
    tokens.p = (await createToken(ctx, { role: 'provider', providerCode: P })).token;
    tokens.q = (await createToken(ctx, { role: 'provider', providerCode: Q })).token;
    kit = kitFor(tokens.p);
    medplum = new MedplumClient({
      baseUrl: `${base}/`,
      fhirUrlPath: 'fhir/R4',
      accessToken: tokens.p,
      cacheTime: 0,
      fetch: (url: string, init: RequestInit) => fetch(url, init),
    });
    await post('/api/v1/insurers', 'operator', {
      insurerNumber: A,
      name: 'シカク健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    for (const p of PEOPLE) {
      const person = {
        myNumber: p.myNumber,
        name: p.name,
        nameKana: p.nameKana,
        birthDate: p.birthDate,
        sex: 'male',
        address: ADDRESS,
      };
      await post('/api/v1/residents', 'operator', person);
      const acquired = await post('/api/v1/notifications', 'admin', {
        kind: 'acquisition',
        insurerNumber: A,
        recordedOn: '2024-10-01',
        symbol: '1234',
        number: p.number,
        branch: '00',
        acquiredOn: '2012-04-01',
        standardMonthlyRemuneration: 300_000,
        person,
      });
      members.push(acquired.memberId);
      await post(`/api/v1/members/${acquired.memberId}/legacy-cards`, 'admin', { issuedOn: '2024-04-01' });
    }
    // 太郎 changes his name on 2025-06-02 (the resident record first, so the hub stays registered).
    const [taro] = PEOPLE;
    await post('/api/v1/residents', 'operator', {
      myNumber: taro.myNumber,
      name: '協会 太一',
      nameKana: 'キョウカイ タイチ',
      birthDate: taro.birthDate,
      sex: 'male',
      address: ADDRESS,
    });
    await post('/api/v1/notifications', 'admin', {
      kind: 'change',
      insurerNumber: A,
      recordedOn: '2025-06-02',
      symbol: '1234',
      number: taro.number,
      branch: '00',
      name: '協会 太一',
      nameKana: 'キョウカイ タイチ',
    });
    // P is told about 太郎 and 花子 as of 2025-12-02; Q about 太郎 as of 2025-06-01, before the change.
    for (const p of [PEOPLE[0], PEOPLE[1]])
      expect(outcomeOf(await submit('p', eligibilityRequest(p, '2025-12-02')))).toBe('eligible');
    expect(outcomeOf(await submit('q', eligibilityRequest(taro, '2025-06-01')))).toBe('eligible');
  });

  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  describe('every declared search parameter filters (table test over the CapabilityStatement)', () => {
    /** Per declared parameter: a value that matches something, and one that must match less than all. */
    type Case = { hit: () => string; miss: string };
    const TABLE: Record<string, { who: keyof typeof tokens; params: Record<string, Case> }> = {
      Patient: {
        who: 'p',
        params: {
          _id: { hit: () => members[0] ?? '', miss: 'nobody' },
          identifier: { hit: () => `${SID.member}|${members[0]}`, miss: `${SID.member}|nobody` },
          birthdate: { hit: () => 'ge1989-10-01T00:00:00Z', miss: 'lt1990' },
        },
      },
      Coverage: {
        who: 'p',
        params: {
          _id: { hit: () => members[1] ?? '', miss: 'nobody' },
          identifier: { hit: () => `${JP.insuranceMemberIdSystem}|${keyOf(PEOPLE[0])}`, miss: `${A}:1234:999:00` },
          beneficiary: { hit: () => `Patient/${members[0]}`, miss: 'Patient/nobody' },
          patient: { hit: () => `Patient/${members[1]}`, miss: 'Patient/nobody' },
          payor: { hit: () => `Organization/${A}`, miss: `Organization/${OTHER_INSURER}` },
          status: { hit: () => 'active', miss: `${HL7.fmStatus}|cancelled` },
          subscriber: { hit: () => `Patient/${members[0]}`, miss: `Patient/${members[2]}` },
          dependent: { hit: () => '00', miss: '99' },
          type: { hit: () => `${HL7.actCode}|PUBLICPOL`, miss: `${HL7.actCode}|PUBLICPOL-NOT` },
        },
      },
      Organization: {
        who: 'p',
        params: {
          _id: { hit: () => A, miss: OTHER_INSURER },
          identifier: {
            hit: () => `${JP.insurerNumberSystem}|${A}`,
            miss: `${JP.insurerNumberSystem}|${OTHER_INSURER}`,
          },
        },
      },
      CodeSystem: {
        who: 'p',
        params: {
          _id: { hit: () => 'audit-action', miss: 'nothing' },
          url: { hit: () => AUDIT_ACTION_SYSTEM, miss: 'https://example.org/none' },
        },
      },
      AuditEvent: {
        who: 'operator',
        params: {
          _id: { hit: () => '1', miss: '0' },
          patient: { hit: () => `Patient/${members[0]}`, miss: 'Patient/nobody' },
          date: { hit: () => 'ge2025-11-21T01:00:00Z', miss: 'lt2025-11-21T01:00:00+09:00' },
          action: { hit: () => 'E', miss: 'nonsense' },
          type: { hit: () => `${AUDIT_ACTION_SYSTEM}|verification`, miss: `${AUDIT_ACTION_SYSTEM}|nonsense` },
        },
      },
    };

    it('has a case for every declared parameter, and each one narrows the search', async () => {
      const capability = (await kit.capabilityStatement()) as unknown as CapabilityStatement;
      const declared = (capability.rest?.[0]?.resource ?? []).flatMap((r) =>
        (r.searchParam ?? []).map((p) => [r.type, p.name] as const),
      );
      expect(declared.length).toBeGreaterThan(15);
      const total = async (type: string, who: keyof typeof tokens, q = '') => {
        const res = await inject(`/fhir/R4/${type}?_total=accurate${q}`, who);
        expect(res.statusCode, `${type}?${q}: ${res.body}`).toBe(200);
        return (res.json() as Bundle).total ?? -1;
      };
      for (const [type, name] of declared) {
        const entry = TABLE[type];
        const c = entry?.params[name];
        expect(c, `no table case for the declared ${type}?${name}`).toBeDefined();
        if (!entry || !c) continue;
        const all = await total(type, entry.who);
        const hit = await total(type, entry.who, `&${name}=${encodeURIComponent(c.hit())}`);
        const miss = await total(type, entry.who, `&${name}=${encodeURIComponent(c.miss)}`);
        expect(all, `${type}: something to search`).toBeGreaterThan(0);
        expect(hit, `${type}?${name}=${c.hit()} matches`).toBeGreaterThan(0);
        expect(miss, `${type}?${name}=${c.miss} filters nothing`).toBeLessThan(all);
      }
    });
  });

  it('§1: _count=0 answers the total with no next link, so following next cannot loop', async () => {
    const bundle = (await kit.search({ resourceType: 'Patient', searchParams: { _count: 0 } })) as unknown as Bundle;
    expect(bundle.total).toBe(2);
    expect(bundle.entry).toEqual([]);
    expect(bundle.link?.map((l) => l.relation)).toEqual(['self']);
    expect(kit.nextPage({ bundle: bundle as never })).toBeUndefined();
  });

  it('§2: pages do not shift when a verification lands between them (the links carry a snapshot)', async () => {
    const first = (await kit.search({ resourceType: 'Coverage', searchParams: { _count: 1 } })) as unknown as Bundle;
    expect(first.total).toBe(2);
    const firstId = first.entry?.[0]?.resource?.id;
    // 三郎 is disclosed to P between the two pages: most recent first, he would push 太郎/花子 down.
    expect(outcomeOf(await submit('p', eligibilityRequest(PEOPLE[2], '2025-12-02')))).toBe('eligible');
    const second = (await kit.nextPage({ bundle: first as never })) as unknown as Bundle;
    expect(second.total).toBe(2);
    const secondId = second.entry?.[0]?.resource?.id;
    expect(secondId).toBeDefined();
    expect(secondId).not.toBe(firstId);
    expect(new Set([firstId, secondId])).toEqual(new Set([members[0], members[1]]));
    expect(second.link?.find((l) => l.relation === 'next')).toBeUndefined();
    // A new search sees all three.
    expect(((await kit.search({ resourceType: 'Coverage', searchParams: {} })) as unknown as Bundle).total).toBe(3);

    // The audit trail pages the same way.
    const audit = kitFor(tokens.operator);
    const page1 = (await audit.search({
      resourceType: 'AuditEvent',
      searchParams: { _count: 2 },
    })) as unknown as Bundle;
    await kit.read({ resourceType: 'Patient', id: members[0] ?? '' }); // a new record
    const page2 = (await audit.nextPage({ bundle: page1 as never })) as unknown as Bundle;
    expect(page2.total).toBe(page1.total);
    const seqs = [...(page1.entry ?? []), ...(page2.entry ?? [])].map((e) => Number(e.resource?.id));
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x));
    expect(new Set(seqs).size).toBe(4);
  });

  it('§4: JP Core’s OID systems are accepted on input and in searches; URLs are emitted', async () => {
    const [taro] = PEOPLE;
    const byMemberIdOid = eligibilityRequest(
      taro,
      '2025-12-02',
      { identifier: { system: JP_OID.insuranceMemberId, value: keyOf(taro) } },
      { identifier: { system: JP_OID.insurerNumber, value: A } },
    );
    expect(outcomeOf(await submit('p', byMemberIdOid))).toBe('eligible');
    const bySymbolAndNumber = {
      ...eligibilityRequest(taro, '2025-12-02', { reference: '#c' }),
      contained: [
        { resourceType: 'Patient', id: 'p', birthDate: taro.birthDate },
        {
          resourceType: 'Coverage',
          id: 'c',
          status: 'active',
          identifier: [
            { system: JP_OID.insuredPersonSymbol, value: '１２３４' },
            { system: JP_OID.insuredPersonNumber, value: taro.number },
          ],
          beneficiary: { reference: '#p' },
          payor: [{ identifier: { system: JP_OID.insurerNumber, value: A } }],
        },
      ],
    };
    const answer = await submit('p', bySymbolAndNumber);
    expect(outcomeOf(answer)).toBe('eligible');
    const contained = answer.contained?.find((c): c is Coverage => c.resourceType === 'Coverage');
    expect(contained?.identifier?.[0]?.system).toBe(JP.insuranceMemberIdSystem);

    const search = async (searchParams: Record<string, string>, resourceType = 'Coverage') =>
      ((await kit.search({ resourceType, searchParams })) as unknown as Bundle).entry?.map((e) => e.resource?.id);
    expect(await search({ identifier: `${JP_OID.insuranceMemberId}|${keyOf(taro)}` })).toEqual([members[0]]);
    expect(await search({ identifier: `${JP_OID.insuredPersonNumber}|${taro.number}` })).toEqual([members[0]]);
    expect(await search({ identifier: `${JP_OID.insuredPersonSymbol}|1234`, _sort: '_id' })).toEqual(
      [...members].sort(),
    );
    expect(await search({ identifier: `${JP_OID.insurerNumber}|${A}` }, 'Organization')).toEqual([A]);
  });

  it('§5: eligibility is $submit only: create is not advertised and is answered 405 (MedplumClient)', async () => {
    const capability = (await kit.capabilityStatement()) as unknown as CapabilityStatement;
    const eligibility = capability.rest?.[0]?.resource?.find((r) => r.type === 'CoverageEligibilityRequest');
    expect(eligibility?.interaction ?? []).toEqual([]);
    expect(eligibility?.operation?.map((o) => o.name)).toEqual(['submit', 'challenge']);
    const error = await medplum.createResource(eligibilityRequest(PEOPLE[0], '2025-12-02') as never).then(
      () => null,
      (e: { outcome?: OperationOutcome }) => e,
    );
    expect(error?.outcome?.issue?.[0]?.details?.coding?.[0]?.code).toBe('METHOD_NOT_ALLOWED');
    const raw = await app.inject({
      method: 'POST',
      url: '/fhir/R4/CoverageEligibilityRequest',
      headers: { authorization: `Bearer ${tokens.p}`, 'content-type': 'application/fhir+json' },
      payload: eligibilityRequest(PEOPLE[0], '2025-12-02'),
    });
    expect(raw.statusCode).toBe(405);
    expect(raw.headers.allow).toBe('');
    expect(raw.json().issue[0].diagnostics).toContain('$submit');
  });

  it('§6: result parameters that cannot widen the answer are served; Prefer: handling is honoured', async () => {
    const count = (await medplum.search('Patient', { _summary: 'count' })) as Bundle;
    expect(count.total).toBeGreaterThan(0);
    expect(count.entry ?? []).toEqual([]);
    const noTotal = (await kit.search({
      resourceType: 'Patient',
      searchParams: { _total: 'none' },
    })) as unknown as Bundle;
    expect(noTotal.total).toBeUndefined();
    expect(noTotal.entry?.length).toBeGreaterThan(0);
    const elements = (await kit.search({
      resourceType: 'Coverage',
      searchParams: { _elements: 'identifier', _sort: '-_id' },
    })) as unknown as Bundle<Coverage>;
    const ids = elements.entry?.map((e) => e.resource?.id) ?? [];
    expect(ids).toEqual([...ids].sort().reverse());
    for (const e of elements.entry ?? []) {
      expect(Object.keys(e.resource ?? {}).sort()).toEqual(['id', 'identifier', 'meta', 'resourceType']);
      // SUBSETTED: a client knows the required elements left out are not missing (FHIR search.html#elements).
      expect(e.resource?.meta?.tag?.map((t) => t.code)).toContain('SUBSETTED');
    }
    // _include is not served: refused by default, dropped with handling=lenient; a filter stays strict.
    expect((await inject('/fhir/R4/Coverage?_include=Coverage:payor', 'p')).statusCode).toBe(400);
    const lenient = await inject('/fhir/R4/Coverage?_include=Coverage:payor', 'p', { prefer: 'handling=lenient' });
    expect(lenient.statusCode).toBe(200);
    expect(lenient.json().link[0].url).not.toContain('_include');
    const strictFilter = await inject('/fhir/R4/Coverage?nam=x', 'p', { prefer: 'handling=lenient' });
    expect(strictFilter.statusCode).toBe(400);
    expect(strictFilter.json().issue[0].details.coding[0].code).toBe('VALIDATION_UNKNOWN_FIELD');
    expect((await inject('/fhir/R4/Patient?_sort=birthdate', 'p')).statusCode).toBe(400);
  });

  it('§7: dates with a time, CodeSystem/audit-action, OperationDefinition and security.service', async () => {
    const audit = kitFor(tokens.operator);
    const later = (await audit.search({
      resourceType: 'AuditEvent',
      searchParams: { date: 'ge2099-01-01T00:00:00Z' },
    })) as unknown as Bundle;
    expect(later.total).toBe(0);
    const since = (await audit.search({
      resourceType: 'AuditEvent',
      searchParams: { date: 'ge2025-11-21T10:00:00+09:00', type: `${AUDIT_ACTION_SYSTEM}|fhir.read` },
    })) as unknown as Bundle;
    expect(since.total).toBeGreaterThan(0);
    const actions = (await kit.read({ resourceType: 'CodeSystem', id: 'audit-action' })) as unknown as CodeSystem;
    expect(r4Problems(actions)).toEqual([]);
    expect(actions.url).toBe(AUDIT_ACTION_SYSTEM);
    expect(actions.concept?.map((c) => c.code)).toEqual(expect.arrayContaining(['verification', 'fhir.read']));
    const capability = (await medplum.get(medplum.fhirUrl('metadata'))) as CapabilityStatement;
    expect(r4Problems(capability)).toEqual([]);
    const rest = capability.rest?.[0];
    expect(rest?.security?.service?.[0]?.coding?.[0]?.code).toBe('OAuth');
    expect(rest?.resource?.find((r) => r.type === 'OperationDefinition')?.interaction).toEqual([{ code: 'read' }]);
    const coverage = rest?.resource?.find((r) => r.type === 'Coverage');
    expect(coverage?.searchParam?.map((s) => s.name)).toEqual(
      expect.arrayContaining(['payor', 'status', 'subscriber', 'dependent', 'type']),
    );
  });

  it('§8: 401 with WWW-Authenticate, no-store on personal data, 415 for text/plain, 405 with Allow', async () => {
    const anonymous = new Client({ baseUrl: `${base}/fhir/R4` });
    const refused = await anonymous.read({ resourceType: 'Patient', id: members[0] ?? '' }).then(
      () => null,
      (e: { response: { status: number }; config: { headers: Headers } }) => e,
    );
    expect(refused?.response.status).toBe(401);
    expect(refused?.config.headers.get('www-authenticate')).toBe('Bearer realm="shikaku"');
    const bad = await kitFor('nope')
      .search({ resourceType: 'Coverage', searchParams: {} })
      .then(
        () => null,
        (e: { config: { headers: Headers } }) => e,
      );
    expect(bad?.config.headers.get('www-authenticate')).toBe('Bearer realm="shikaku", error="invalid_token"');
    const lower = await inject(`/fhir/R4/Patient/${members[0]}`, undefined, { authorization: `bearer ${tokens.p}` });
    expect(lower.statusCode).toBe(200);

    const read = (await kit.read({ resourceType: 'Patient', id: members[0] ?? '' })) as Record<string, unknown>;
    const response = read[RESPONSE_KEY] as Response;
    expect(response.headers.get('cache-control')).toBe('no-store');
    for (const url of [`/fhir/R4/Coverage?_id=${members[0]}`, `/fhir/R4/Patient/${members[0]}/_history`]) {
      expect((await inject(url, 'p')).headers['cache-control']).toBe('no-store');
    }
    expect((await inject('/fhir/R4/metadata')).headers['cache-control']).toBeUndefined();

    const text = await app.inject({
      method: 'POST',
      url: '/fhir/R4/CoverageEligibilityRequest/$submit',
      headers: { authorization: `Bearer ${tokens.p}`, 'content-type': 'text/plain' },
      payload: JSON.stringify(eligibilityRequest(PEOPLE[0], '2025-12-02')),
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().issue[0].details.coding[0].code).toBe('MEDIA_TYPE_UNSUPPORTED');

    for (const [method, url, allow] of [
      ['DELETE', `/fhir/R4/Patient/${members[0]}`, 'GET, HEAD'],
      ['POST', '/fhir/R4/Coverage', 'GET, HEAD'],
      ['PUT', '/fhir/R4/metadata', 'GET, HEAD'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { authorization: `Bearer ${tokens.p}` } });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(r4Problems(res.json())).toEqual([]);
    }
    expect((await inject('/fhir/R4/Observation', 'p')).statusCode).toBe(404);
  });

  it('§8: absolute URLs from SHIKAKU_PUBLIC_URL; X-Forwarded-* only behind a trusted proxy', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    const fullUrl = async (a: FastifyInstance) => {
      const res = await a.inject({
        method: 'GET',
        url: `/fhir/R4/Patient?_id=${members[0]}`,
        headers: { authorization: `Bearer ${tokens.p}`, host: 'internal:8080', ...forwarded },
      });
      return (res.json() as Bundle).entry?.[0]?.fullUrl;
    };
    expect(await fullUrl(app)).toBe(`http://internal:8080/fhir/R4/Patient/${members[0]}`);
    for (const [publicUrl, expected] of [
      [{ url: 'https://shikaku.example.jp/' }, 'https://shikaku.example.jp'],
      [{ trustProxy: true }, 'https://evil.example'],
      [{ url: 'https://shikaku.example.jp', trustProxy: true }, 'https://shikaku.example.jp'],
    ] as const) {
      const other = await buildApp({ ctx, publicUrl });
      expect(await fullUrl(other)).toBe(`${expected}/fhir/R4/Patient/${members[0]}`);
      await other.close();
    }
  });

  describe('history from the bitemporal registry', () => {
    it('reads every version the association recorded, as far as it was disclosed (both clients)', async () => {
      const history = (await kit.history({ resourceType: 'Patient', id: members[0] ?? '' })) as unknown as Bundle;
      expect(r4Problems(history)).toEqual([]);
      expect(history.type).toBe('history');
      const versions = history.entry?.map((e) => e.resource as Patient) ?? [];
      expect(versions.map((v) => v.meta?.versionId)).toEqual(['2', '1']);
      expect(versions.map((v) => v.name?.[0]?.text)).toEqual(['協会 太一', '協会 太郎']);
      expect(history.entry?.map((e) => e.request?.method)).toEqual(['PUT', 'POST']);
      expect(history.entry?.[0]?.response?.etag).toBe('W/"2"');

      const v1 = await medplum.readVersion('Patient', members[0] ?? '', '1');
      expect(v1.name?.[0]?.text).toBe('協会 太郎');
      expect(r4Problems(v1)).toEqual([]);
      const coverageHistory = await medplum.readHistory('Coverage', members[0] ?? '');
      expect(coverageHistory.entry?.map((e) => e.resource?.meta?.versionId)).toEqual(['2', '1']);

      // A read is the latest version, with its ETag and Last-Modified.
      const read = await inject(`/fhir/R4/Coverage/${members[0]}`, 'p');
      expect(read.headers.etag).toBe('W/"2"');
      expect(read.headers['last-modified']).toBeDefined();
      expect(read.json().meta.versionId).toBe('2');
      const vread = await kit.vread({ resourceType: 'Coverage', id: members[0] ?? '', version: '1' });
      expect((vread as unknown as Coverage).meta?.versionId).toBe('1');
      expect((await inject(`/fhir/R4/Coverage/${members[0]}/_history/3`, 'p')).statusCode).toBe(404);
    });

    it('shows a provider only the versions disclosed to it, and nothing of the undisclosed', async () => {
      // Q was told about 太郎 as of 2025-06-01: the change recorded on 06-02 is not his to see.
      const q = kitFor(tokens.q);
      const history = (await q.history({ resourceType: 'Patient', id: members[0] ?? '' })) as unknown as Bundle;
      expect(history.entry?.map((e) => (e.resource as Patient).name?.[0]?.text)).toEqual(['協会 太郎']);
      expect((await inject(`/fhir/R4/Patient/${members[0]}/_history/2`, 'q')).statusCode).toBe(404);
      expect((await inject(`/fhir/R4/Patient/${members[0]}`, 'q')).json().meta.versionId).toBe('1');
      // 花子 was never disclosed to Q.
      for (const url of [`/fhir/R4/Patient/${members[1]}/_history`, `/fhir/R4/Coverage/${members[1]}/_history/1`]) {
        expect((await inject(url, 'q')).statusCode).toBe(404);
      }
      expect((await inject(`/fhir/R4/Patient/${members[0]}/_history?_since=2020`, 'p')).statusCode).toBe(400);
    });
  });
});
