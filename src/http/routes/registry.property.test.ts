/**
 * Properties of the HTTP edge (issue 6 item 5): whatever JSON a client sends to the registry and
 * verification routes (and FHIR's eligibility), the answer is a success or a coded 4xx problem,
 * never a 500. The zod schemas, the services behind them and the error mapping are all on the path.
 */

import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestContext } from '../../../test/support/stores.js';
import { isoDateNear, nastyString, PROTOTYPE_KEYS } from '../../domain/arbitraries.test-helper.js';
import { ERRORS } from '../../domain/codes.js';
import type { ServiceContext } from '../../services/context.js';
import { createToken } from '../../services/tokens.js';
import { buildApp } from '../app.js';

const RUNS = { numRuns: 250 };
const INSURER = '06139992';

/** Any value where a field is expected: mostly plausible, sometimes anything. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: nastyString() },
  { weight: 2, arbitrary: isoDateNear() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(INSURER, '06139993', '1234', '00', 300_000, -1, 1e308, null, true) },
);

const person = fc.record(
  {
    myNumber: fc.oneof(anyValue, fc.constantFrom('123456789018', '１２３４５６７８９０１８')),
    name: anyValue,
    nameKana: anyValue,
    birthDate: anyValue,
    sex: fc.oneof(anyValue, fc.constantFrom('male', 'female')),
    address: anyValue,
  },
  { requiredKeys: [] },
);

/** A notification with every field possibly missing, mistyped or junk (and sometimes right). */
const wildNotification = fc.record(
  {
    kind: fc.oneof(fc.constantFrom('acquisition', 'dependent_add', 'loss', 'dependent_remove', 'change'), anyValue),
    insurerNumber: fc.oneof(fc.constant(INSURER), anyValue),
    recordedOn: anyValue,
    idempotencyKey: anyValue,
    relationship: anyValue,
    symbol: fc.oneof(fc.constant('1234'), anyValue),
    number: anyValue,
    branch: anyValue,
    acquiredOn: anyValue,
    lostOn: anyValue,
    standardMonthlyRemuneration: anyValue,
    insured: fc.oneof(fc.record({ symbol: anyValue, number: anyValue }, { requiredKeys: [] }), anyValue),
    person: fc.oneof(person, anyValue),
    name: anyValue,
    [PROTOTYPE_KEYS[1] as string]: anyValue,
  },
  { requiredKeys: [] },
);

/** A valid notification of each kind (so the services run), before one field is spoiled. */
const validNotification = fc
  .tuple(
    fc.constantFrom('acquisition', 'dependent_add', 'loss', 'dependent_remove', 'change'),
    isoDateNear('2000-01-01', '2030-12-31'),
    isoDateNear('1930-01-01', '2024-12-31'),
    fc.constantFrom('1', '2', '3'),
    fc.option(fc.constantFrom('123456789018'), { nil: undefined }),
  )
  .map(([kind, on, birthDate, number, myNumber]) => {
    const who = {
      name: '協会 太郎',
      nameKana: 'キョウカイ タロウ',
      birthDate,
      sex: 'male',
      ...(myNumber ? { myNumber } : {}),
    };
    const common = { kind, insurerNumber: INSURER, recordedOn: on };
    switch (kind) {
      case 'acquisition':
        // Half the time without a 番号: the registry assigns one (a fresh member every time).
        return {
          ...common,
          symbol: '1234',
          ...(number === '3' ? {} : { number }),
          acquiredOn: on,
          standardMonthlyRemuneration: 300_000,
          person: { ...who, birthDate: birthDate < on ? birthDate : '1980-01-01' },
        };
      case 'dependent_add':
        return { ...common, insured: { symbol: '1234', number }, acquiredOn: on, person: who };
      case 'loss':
        return { ...common, symbol: '1234', number, lostOn: on };
      case 'dependent_remove':
        return { ...common, symbol: '1234', number, branch: '01', lostOn: on };
      default:
        return { ...common, symbol: '1234', number, address: '東京都千代田区霞が関1-2-2' };
    }
  });

/** A valid notification with one field (maybe nested) replaced by anything, or left alone. */
const spoiledNotification = fc
  .tuple(validNotification, fc.option(fc.tuple(fc.nat(), fc.boolean(), anyValue), { nil: null, freq: 2 }))
  .map(([n, spoil]) => {
    if (spoil === null) return n;
    const [index, nested, value] = spoil;
    const target: Record<string, unknown> =
      nested && 'person' in n ? { ...(n.person as Record<string, unknown>) } : (n as Record<string, unknown>);
    const keys = Object.keys(target);
    const key = keys[index % keys.length] as string;
    const spoilt = { ...target, [key]: value };
    return nested && 'person' in n ? { ...n, person: spoilt } : spoilt;
  });

const notification = fc.oneof(wildNotification, spoiledNotification, spoiledNotification);

const verification = fc.record(
  {
    method: fc.oneof(fc.constantFrom('number', 'card'), anyValue),
    asOf: anyValue,
    document: fc.oneof(fc.constantFrom('certificate', 'legacy_card'), anyValue),
    insurerNumber: fc.oneof(fc.constant(INSURER), anyValue),
    symbol: anyValue,
    number: anyValue,
    branch: anyValue,
    birthDate: anyValue,
    card: fc.oneof(
      fc.record({ certificate: anyValue, challenge: anyValue, signature: anyValue }, { requiredKeys: [] }),
      anyValue,
    ),
    identityCheck: anyValue,
    consent: fc.oneof(fc.record({ medication: anyValue, limitInfo: anyValue }, { requiredKeys: [] }), anyValue),
  },
  { requiredKeys: [] },
);

/** Bodies: shaped ones, any JSON at all, or text that is not JSON. */
const body = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 4, arbitrary: shaped.map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: nastyString() },
  );

function expectCoded(response: LightMyRequestResponse, where: string): void {
  expect(response.statusCode, `${where}: ${response.body}`).toBeLessThan(500);
  if (response.statusCode < 400) return;
  const answer = response.json() as {
    code?: string;
    resourceType?: string;
    issue?: Array<{ details?: { coding?: Array<{ code?: string }> } }>;
  };
  const code = answer.resourceType === 'OperationOutcome' ? answer.issue?.[0]?.details?.coding?.[0]?.code : answer.code;
  expect(Object.keys(ERRORS), `${where}: ${response.body}`).toContain(code);
}

describe('the HTTP edge under arbitrary input (properties)', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await openTestContext('sqlite');
    app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    const operator = (await createToken(ctx, { role: 'operator' })).token;
    token.admin = (await createToken(ctx, { role: 'admin', insurerNumber: INSURER })).token;
    token.employer = (
      await createToken(ctx, { role: 'employer', insurerNumber: INSURER, employerSymbol: '1234' })
    ).token;
    token.provider = (await createToken(ctx, { role: 'provider', providerCode: '1311234566' })).token;
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/insurers',
      headers: { authorization: `Bearer ${operator}` },
      payload: {
        insurerNumber: INSURER,
        name: 'シカク健康保険組合',
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      },
    });
    expect(created.statusCode).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
  });

  const post = (url: string, who: string, payload: string, type = 'application/json') =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token[who]}`, 'content-type': type },
      payload,
    });

  it('POST /api/v1/notifications answers success or a coded 4xx, for admin and employer', async () => {
    await fc.assert(
      fc.asyncProperty(body(notification), fc.constantFrom('admin', 'employer'), async (payload, who) => {
        expectCoded(await post('/api/v1/notifications', who, payload), 'notification');
      }),
      RUNS,
    );
  });

  it('POST /api/v1/notifications:batch answers per row, never 500 and never an INTERNAL row', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(notification, { minLength: 1, maxLength: 4 }), async (rows) => {
        const response = await post('/api/v1/notifications:batch', 'admin', JSON.stringify(rows));
        expectCoded(response, 'batch');
        if (response.statusCode === 200) {
          for (const row of response.json().rows as Array<{ ok: boolean; error?: { code: string } }>) {
            if (!row.ok) expect(row.error?.code).not.toBe('INTERNAL');
          }
        }
      }),
      RUNS,
    );
  });

  it('POST /api/v1/verifications answers 200 or a coded 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(body(verification), async (payload) => {
        expectCoded(await post('/api/v1/verifications', 'provider', payload), 'verification');
      }),
      RUNS,
    );
  });

  it('GET /api/v1/members answers any query string with a page or a coded 4xx', async () => {
    const query = fc.dictionary(
      fc.oneof(
        fc.constantFrom('kana', 'symbol', 'number', 'birthDate', 'limit', 'cursor'),
        fc.constantFrom(...PROTOTYPE_KEYS),
      ),
      nastyString(),
      { maxKeys: 4 },
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const response = await app.inject({
          method: 'GET',
          url: '/api/v1/members',
          query: q,
          headers: { authorization: `Bearer ${token.admin}` },
        });
        expectCoded(response, 'members');
      }),
      RUNS,
    );
  });

  it('FHIR CoverageEligibilityRequest/$submit answers a resource or a coded OperationOutcome', async () => {
    const resource = fc.record(
      {
        resourceType: fc.oneof(fc.constantFrom('CoverageEligibilityRequest', 'Parameters', 'Bundle'), anyValue),
        status: anyValue,
        purpose: anyValue,
        patient: anyValue,
        servicedDate: anyValue,
        contained: anyValue,
        extension: anyValue,
        insurer: anyValue,
        insurance: anyValue,
        parameter: anyValue,
        entry: anyValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(body(resource), async (payload) => {
        const response = await post(
          '/fhir/R4/CoverageEligibilityRequest/$submit',
          'provider',
          payload,
          'application/fhir+json',
        );
        expectCoded(response, '$submit');
      }),
      RUNS,
    );
  });
});
