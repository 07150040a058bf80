/**
 * Secrets never in logs (issue #6 item 4): the server log of a broad run — the demo, verifications by
 * number and by card (right and wrong PINs), notifications one by one and in a batch, a CSV import,
 * searches by kana, validation errors full of personal data, a 404 with a My Number in its path and
 * unhandled errors (500) whose messages quote personal data — is scanned for every My Number, name,
 * kana, address, token and PIN the run used. Whatever the services print to the console is scanned too.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testMyNumber } from '../src/cards/testing.js';
import { buildApp, LOGGER_OPTIONS } from '../src/http/app.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { importCsv } from '../src/services/csv-import.js';
import { DEMO_INSURER, DEMO_PIN, type DemoResult, loadDemo } from '../src/services/demo.js';
import { createToken } from '../src/services/tokens.js';
import { wrongCheckDigit } from './support/registry.js';
import { openTestContext } from './support/stores.js';

/** People only this run uses: distinctive names, so a hit cannot be a coincidence. */
const PEOPLE = [
  {
    myNumber: testMyNumber(66_001),
    name: '秘匿 一花',
    nameKana: 'ヒトク イチカ',
    address: '北海道札幌市中央区北1条西2丁目',
  },
  {
    myNumber: testMyNumber(66_002),
    name: '機密 大和',
    nameKana: 'キミツ ヤマト',
    address: '福岡県福岡市中央区天神1-8-1',
  },
  { myNumber: testMyNumber(66_003), name: '内緒 柚子', nameKana: 'ナイショ ユズ', address: '沖縄県那覇市泉崎1-2-2' },
];
const CARD_PIN = '8642';
const WRONG_PIN = '9753';

describe('no personal data or secret in the logs of a full run', () => {
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let demo: DemoResult;
  const lines: string[] = [];
  const consoleOutput: string[] = [];
  const used = new Set<string>();
  /** `METHOD url → status` of every request the scenario made (after the demo). */
  const answered: string[] = [];
  let csvReport = { accepted: 0, rejected: 0 };

  beforeAll(async () => {
    ctx = await openTestContext('sqlite', fixedClock('2026-11-23T01:00:00Z'));
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleOutput.push(args.map(String).join(' '));
      });
    }
    app = await buildApp({ ctx, logger: { ...LOGGER_OPTIONS, level: 'trace', stream } });
    // Unhandled errors that quote what they were handed, as a careless library would.
    const boomPerson = PEOPLE[0]!;
    app.post('/__test/boom', async () => {
      throw new Error(
        `insert failed for "${boomPerson.name}" (${boomPerson.nameKana}) ${boomPerson.myNumber} pin=${CARD_PIN}`,
      );
    });
    app.get('/__test/parse', async () => JSON.parse(`{"name": ${boomPerson.name}}`));
    app.get('/__test/type', async () => {
      const error = new TypeError(`cannot read 'x' of ${boomPerson.address} at ${boomPerson.myNumber}`) as Error & {
        code?: string;
      };
      error.code = 'ERR_TEST';
      throw error;
    });

    demo = await loadDemo(app, ctx);
    const admin = { authorization: `Bearer ${demo.tokens.admin}` };
    const operator = { authorization: `Bearer ${demo.tokens.operator}` };
    const provider = { authorization: `Bearer ${demo.tokens.provider}` };
    const inject = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) => {
      const response = await app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      answered.push(`${method} ${url.split('?')[0]} ${response.statusCode}`);
      return response;
    };

    // Residents and members of our own, one by one and in a batch.
    for (const p of PEOPLE) {
      await inject('POST', '/api/v1/residents', operator, { ...p, birthDate: '1990-01-02', sex: 'female' });
    }
    const first = (
      await inject('POST', '/api/v1/notifications', admin, {
        kind: 'acquisition',
        insurerNumber: DEMO_INSURER,
        symbol: '4321',
        acquiredOn: '2026-04-01',
        recordedOn: '2026-04-01',
        standardMonthlyRemuneration: 300_000,
        person: { ...PEOPLE[0], birthDate: '1990-01-02', sex: 'female' },
      })
    ).json();
    await inject('POST', '/api/v1/notifications:batch', admin, [
      {
        kind: 'acquisition',
        insurerNumber: DEMO_INSURER,
        symbol: '4321',
        acquiredOn: '2026-04-01',
        recordedOn: '2026-04-01',
        standardMonthlyRemuneration: 280_000,
        person: { ...PEOPLE[1], birthDate: '1990-01-02', sex: 'female' },
      },
      {
        kind: 'acquisition',
        insurerNumber: DEMO_INSURER,
        person: { myNumber: wrongCheckDigit(PEOPLE[2]!.myNumber), name: PEOPLE[2]!.name },
      },
    ]);
    used.add(wrongCheckDigit(PEOPLE[2]!.myNumber));

    // A CSV import, through the service the CLI uses.
    const csv = [
      '種別,記号,資格取得日,個人番号,氏名,フリガナ,生年月日,性別,住所',
      `取得,4321,2026-04-01,${PEOPLE[2]!.myNumber},${PEOPLE[2]!.name},${PEOPLE[2]!.nameKana},1990-01-02,女,${PEOPLE[2]!.address}`,
      `取得,4321,2026-04-01,${wrongCheckDigit(testMyNumber(66_004))},誤記 花子,ゴキ ハナコ,1990-01-02,女,東京都`,
    ].join('\n');
    used.add(wrongCheckDigit(testMyNumber(66_004)));
    csvReport = await importCsv(ctx, csv, { insurerNumber: DEMO_INSURER, recordedOn: '2026-04-01' });

    // Searches and views: a kana search is a name in the query string.
    await inject('GET', `/api/v1/members?kana=${encodeURIComponent('ヒトク')}`, admin);
    await inject('GET', `/api/v1/members/${first.memberId}`, admin);
    // Verifications by number, then by a card of our own with the right and a wrong PIN.
    for (const asOf of ['2025-12-01', '2026-11-23']) {
      await inject('POST', '/api/v1/verifications', provider, {
        method: 'number',
        asOf,
        document: 'certificate',
        insurerNumber: DEMO_INSURER,
        symbol: first.symbol,
        number: first.number,
        birthDate: '1990-01-02',
      });
    }
    const card = (
      await inject('POST', '/api/v1/cards', operator, {
        myNumber: PEOPLE[0]!.myNumber,
        issuedOn: '2026-01-05',
        pin: CARD_PIN,
      })
    ).json();
    for (const pin of [WRONG_PIN, CARD_PIN, DEMO_PIN]) {
      const { challenge } = (await inject('GET', '/api/v1/verifications/challenge', provider)).json();
      const signed = await inject('POST', `/api/v1/cards/${card.cardId}:sign`, provider, { challenge, pin });
      if (signed.statusCode !== 200) continue;
      const { certificate, signature } = signed.json();
      await inject('POST', '/api/v1/verifications', provider, {
        method: 'card',
        card: { certificate, challenge, signature },
        identityCheck: 'pin',
      });
    }
    const { challenge } = (await inject('GET', '/api/v1/verifications/challenge', provider)).json();
    await inject('POST', `/api/v1/cards/${demo.cards.taro}:sign`, provider, { challenge, pin: DEMO_PIN });
    // FHIR: patients disclosed to this provider, searched by name.
    await inject('GET', `/fhir/R4/Patient?name=${encodeURIComponent('秘匿')}`, provider);

    // Errors full of personal data: validation, unknown fields, malformed JSON, 404s, 401s, 500s.
    await inject('POST', '/api/v1/residents', operator, {
      ...PEOPLE[1],
      myNumber: wrongCheckDigit(PEOPLE[1]!.myNumber),
    });
    used.add(wrongCheckDigit(PEOPLE[1]!.myNumber));
    await inject('POST', '/api/v1/notifications', admin, {
      kind: 'acquisition',
      person: { ...PEOPLE[1], nickname: PEOPLE[1]!.name },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/notifications',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: `{"person": {"name": "${PEOPLE[2]!.name}", "myNumber": ${PEOPLE[2]!.myNumber}`,
    });
    await inject('GET', `/api/v1/residents/${PEOPLE[0]!.myNumber}`, operator);
    await inject('GET', `/api/v1/members/${encodeURIComponent(PEOPLE[0]!.name)}`, admin);
    await inject('GET', '/api/v1/verifications/challenge', { authorization: `Bearer ${demo.tokens.provider}x` });
    const expired = await createToken(ctx, {
      role: 'provider',
      providerCode: '1311234566',
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
    used.add(expired.token);
    await inject('GET', '/api/v1/verifications/challenge', { authorization: `Bearer ${expired.token}` });
    await inject('POST', '/__test/boom', admin, { note: PEOPLE[0]!.name });
    await inject('GET', '/__test/parse', admin);
    await inject('GET', '/__test/type', admin);
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await app.close();
    await ctx.store.close();
  });

  /** Every secret of the run: My Numbers, names and their parts, kana, addresses, tokens, PINs. */
  async function secrets(): Promise<string[]> {
    const out = new Set<string>(used);
    const people = [
      ...(await ctx.store.db
        .selectFrom('residents')
        .select(['my_number_enc', 'name', 'name_kana', 'address'])
        .execute()),
      ...(await ctx.store.db.selectFrom('members').select(['my_number_enc', 'name', 'name_kana', 'address']).execute()),
    ];
    for (const p of people) {
      if (p.my_number_enc) out.add(ctx.keyring.decrypt(p.my_number_enc));
      for (const text of [p.name, p.name_kana, p.address ?? '']) {
        if (!text) continue;
        out.add(text);
        for (const part of text.split(/[\s\u3000]+/)) if (part.length >= 2) out.add(part);
        out.add(encodeURIComponent(text));
      }
    }
    for (const token of Object.values(demo.tokens)) out.add(token);
    const tokens = await ctx.store.db.selectFrom('tokens').select('token_hash').execute();
    for (const t of tokens) out.add(t.token_hash);
    return [...out];
  }

  it('ran the scenario: requests, a 500 per synthetic failure, and the import', () => {
    expect(lines.length).toBeGreaterThan(100);
    expect(csvReport).toMatchObject({ accepted: 1, rejected: 1 });
    const statuses = answered.map((a) => a.replace(/[0-9a-f-]{36}/g, ':id'));
    for (const expected of [
      'POST /api/v1/residents 201',
      'POST /api/v1/notifications 201',
      'POST /api/v1/notifications:batch 200',
      'GET /api/v1/members 200',
      'POST /api/v1/cards 201',
      'POST /api/v1/cards/:id:sign 401',
      'POST /api/v1/cards/:id:sign 200',
      'POST /api/v1/verifications 200',
      'POST /api/v1/residents 400',
      'POST /api/v1/notifications 400',
      'GET /api/v1/verifications/challenge 401',
      'POST /__test/boom 500',
    ]) {
      expect(statuses, statuses.join('\n')).toContain(expected);
    }
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    const unhandled = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'unhandled error');
    expect(unhandled).toHaveLength(3);
    for (const entry of unhandled) {
      expect(entry.error.frames.length).toBeGreaterThan(0);
      expect(Object.keys(entry.error).sort()).toEqual(
        ['code', 'frames', 'message', 'type'].filter((k) => k in entry.error).sort(),
      );
    }
    expect(unhandled.map((u) => u.error.type).sort()).toEqual(['Error', 'SyntaxError', 'TypeError']);
    expect(lines.some((l) => l.includes('"statusCode":500'))).toBe(true);
  });

  it('never logs a My Number, a name, a kana, an address, a token or its hash', async () => {
    const text = `${lines.join('\n')}\n${consoleOutput.join('\n')}`;
    const all = await secrets();
    expect(all.length).toBeGreaterThan(60);
    const found = all.filter((secret) => text.includes(secret));
    expect(found).toEqual([]);
    // Any 12-digit run at all (fractions such as responseTime are preceded by a dot).
    expect(text).not.toMatch(/(?<![\d.])\d{12}(?!\d)/);
  });

  it('never logs a PIN or a request body', () => {
    const text = lines.join('\n');
    for (const pin of [CARD_PIN, WRONG_PIN, DEMO_PIN])
      expect(text).not.toMatch(new RegExp(`(?<![\\w.-])${pin}(?!\\d)`));
    expect(text.toLowerCase()).not.toContain('"pin"');
    expect(text).not.toContain('"body"');
    expect(text).not.toContain('"myNumber"');
    expect(text).not.toContain('authorization');
  });
});
