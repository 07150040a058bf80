import type { FastifyInstance } from 'fastify';
import { addDays, addYears, type IsoDate } from '../domain/dates.js';
import { CERTIFICATE_FIRST_ISSUE_DATE } from '../domain/issuance.js';
import { myNumberCheckDigit } from '../domain/mynumber.js';
import { type ServiceContext, today } from './context.js';
import { createToken, listTokens, revokeToken } from './tokens.js';

/**
 * The demo association (`shikaku serve --demo`): members in every interesting state, loaded through
 * the public HTTP API so the demo exercises the same validation as any client. Loading is skipped
 * when the association already exists; fresh tokens are printed either way.
 */
export const DEMO_INSURER = '06139992';
export const DEMO_SECOND_INSURER = '06131239';
export const DEMO_PROVIDER = '1311234566';
export const DEMO_PIN = '1234';
/** Demo tokens live a week: a demo left running is not a standing door into its data. */
export const DEMO_TOKEN_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

function demoMyNumber(serial: number): string {
  const first11 = String(40_000_000_000 + serial).padStart(11, '0');
  return first11 + myNumberCheckDigit(first11);
}

interface DemoPerson {
  key: string;
  story: string;
  myNumber?: string;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: 'male' | 'female';
  address: string;
}

export interface DemoResult {
  tokens: Record<'operator' | 'admin' | 'employer' | 'provider' | 'member', string>;
  members: Array<{ key: string; story: string; memberId: string; symbol: string; number: string; branch: string }>;
  cards: Record<string, string>;
  /** 資格確認書 issued by the demo's ex-officio run, by member key. */
  certificates: Record<string, string>;
  describe(baseUrl: string): string;
}

export async function loadDemo(app: FastifyInstance, ctx: ServiceContext): Promise<DemoResult> {
  // Each start prints fresh tokens and retires the previous start's, so they do not pile up.
  for (const old of await listTokens(ctx)) if (old.label === 'demo') await revokeToken(ctx, old.id);
  const expiresAt = new Date(ctx.clock.now().getTime() + DEMO_TOKEN_LIFETIME_MS).toISOString();
  const operator = (await createToken(ctx, { role: 'operator', label: 'demo', expiresAt })).token;
  const admin = (await createToken(ctx, { role: 'admin', insurerNumber: DEMO_INSURER, label: 'demo', expiresAt }))
    .token;
  const adminB = (
    await createToken(ctx, { role: 'admin', insurerNumber: DEMO_SECOND_INSURER, label: 'demo', expiresAt })
  ).token;
  const employer = (
    await createToken(ctx, {
      role: 'employer',
      insurerNumber: DEMO_INSURER,
      employerSymbol: '1234',
      label: 'demo',
      expiresAt,
    })
  ).token;
  const provider = (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER, label: 'demo', expiresAt }))
    .token;

  const call = async (token: string, method: 'POST' | 'GET' | 'DELETE', url: string, payload?: unknown) => {
    const response = await app.inject({
      method,
      url,
      payload: payload as object,
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.statusCode >= 400) {
      throw new Error(`demo: ${method} ${url} answered ${response.statusCode}: ${response.body}`);
    }
    return response.json();
  };

  const exists = await ctx.store.db
    .selectFrom('insurers')
    .select('insurer_number')
    .where('insurer_number', '=', DEMO_INSURER)
    .executeTakeFirst();

  const members: DemoResult['members'] = [];
  const cards: Record<string, string> = {};
  const certificates: Record<string, string> = {};
  const now = today(ctx);

  // The certificate of 猶予 三郎 expired about six weeks ago: in grace today.
  const graceExpiry = addDays(now, -40);
  const people: DemoPerson[] = [
    {
      key: 'taro',
      story: 'マイナ保険証（登録済み）/ registered card',
      myNumber: demoMyNumber(1),
      name: '協会 太郎',
      nameKana: 'キョウカイ タロウ',
      birthDate: '1989-10-01',
      sex: 'male',
      address: '東京都千代田区霞が関1-2-2',
    },
    {
      key: 'hanako',
      story: '未就学（2026-03-31まで2割）/ preschool until 2026-03-31',
      myNumber: demoMyNumber(2),
      name: '協会 花子',
      nameKana: 'キョウカイ ハナコ',
      birthDate: '2020-04-01',
      sex: 'female',
      address: '東京都千代田区霞が関1-2-2',
    },
    {
      key: 'jiro',
      story: '未就学（2027-03-31まで2割）/ preschool until 2027-03-31',
      myNumber: demoMyNumber(3),
      name: '協会 次郎',
      nameKana: 'キョウカイ ジロウ',
      birthDate: '2020-04-02',
      sex: 'male',
      address: '東京都千代田区霞が関1-2-2',
    },
    {
      key: 'ichiro',
      story: '従来の健康保険証のみ / legacy card only',
      myNumber: demoMyNumber(4),
      name: '保険 一郎',
      nameKana: 'ホケン イチロウ',
      birthDate: '1975-06-15',
      sex: 'male',
      address: '東京都港区芝公園4-2-8',
    },
    {
      key: 'saburo',
      story: '電子証明書の期限切れ（猶予期間中）/ certificate expired, in grace',
      myNumber: demoMyNumber(5),
      name: '猶予 三郎',
      nameKana: 'ユウヨ サブロウ',
      birthDate: `1981-${graceExpiry.slice(5)}`,
      sex: 'male',
      address: '神奈川県横浜市中区日本大通1',
    },
    {
      key: 'sakiko',
      story: '住民票と不一致（髙/高）/ resident-record mismatch',
      myNumber: demoMyNumber(6),
      name: '髙橋 﨑子',
      nameKana: 'タカハシ サキコ',
      birthDate: '1992-02-29',
      sex: 'female',
      address: '大阪府大阪市中央区大手前2-1-22',
    },
    {
      key: 'kourei',
      story: '70〜74歳・現役並み（3割）/ 70–74, high income',
      myNumber: demoMyNumber(7),
      name: '高齢 一',
      nameKana: 'コウレイ ハジメ',
      birthDate: '1954-05-10',
      sex: 'male',
      address: '東京都新宿区西新宿2-8-1',
    },
    {
      key: 'fumiko',
      story: '70〜74歳・一般（2割）/ 70–74, general',
      myNumber: demoMyNumber(8),
      name: '長寿 文子',
      nameKana: 'チョウジュ フミコ',
      birthDate: '1955-01-20',
      sex: 'female',
      address: '東京都新宿区西新宿2-8-1',
    },
    {
      key: 'ken',
      story: '転職（A → B）/ job change to another association',
      myNumber: demoMyNumber(9),
      name: '転職 健',
      nameKana: 'テンショク ケン',
      birthDate: '1985-12-24',
      sex: 'male',
      address: '埼玉県さいたま市浦和区高砂3-15-1',
    },
    {
      key: 'nomynumber',
      story: 'マイナンバー未提出 / no My Number',
      name: '未届 四郎',
      nameKana: 'ミトドケ シロウ',
      birthDate: '1999-09-09',
      sex: 'male',
      address: '千葉県千葉市中央区市場町1-1',
    },
  ];

  if (!exists) {
    await call(operator, 'POST', '/api/v1/insurers', {
      insurerNumber: DEMO_INSURER,
      name: 'シカク健康保険組合',
      certificatePolicy: { validYears: 5 },
      reissueFeeYen: 500,
      newMemberCertificate: 'ex_officio',
    });
    await call(operator, 'POST', '/api/v1/insurers', {
      insurerNumber: DEMO_SECOND_INSURER,
      name: 'テンショク健康保険組合',
      certificatePolicy: { validUntil: '2029-11-30' },
      reissueFeeYen: 300,
      newMemberCertificate: 'on_application',
    });

    for (const p of people) {
      if (!p.myNumber) continue;
      // The resident record is the truth; 﨑子's employer will notify 高橋 崎子 instead.
      await call(operator, 'POST', '/api/v1/residents', {
        myNumber: p.myNumber,
        name: p.name,
        nameKana: p.nameKana,
        birthDate: p.birthDate,
        sex: p.sex,
        address: p.address,
      });
    }
    const person = (p: DemoPerson, override: Partial<DemoPerson> = {}) => {
      const q = { ...p, ...override };
      return {
        ...(q.myNumber ? { myNumber: q.myNumber } : {}),
        name: q.name,
        nameKana: q.nameKana,
        birthDate: q.birthDate,
        sex: q.sex,
        address: q.address,
      };
    };
    const byKey = new Map(people.map((p) => [p.key, p]));
    const get = (key: string): DemoPerson => byKey.get(key)!;
    const remember = (key: string, result: { memberId: string; symbol: string; number: string; branch: string }) => {
      const { memberId, symbol, number, branch } = result;
      members.push({ key, story: get(key).story, memberId, symbol, number, branch });
    };
    const acquire = async (
      token: string,
      key: string,
      body: Record<string, unknown>,
      override: Partial<DemoPerson> = {},
    ) => {
      const result = await call(token, 'POST', '/api/v1/notifications', {
        kind: 'acquisition',
        insurerNumber: DEMO_INSURER,
        ...body,
        person: person(get(key), override),
      });
      remember(key, result);
      return result;
    };

    const taro = await acquire(employer, 'taro', {
      symbol: '1234',
      acquiredOn: '2012-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 300_000,
    });
    for (const key of ['hanako', 'jiro']) {
      const result = await call(employer, 'POST', '/api/v1/notifications', {
        kind: 'dependent_add',
        insurerNumber: DEMO_INSURER,
        recordedOn: '2023-06-01',
        insured: { symbol: taro.symbol, number: taro.number },
        acquiredOn: get(key).birthDate,
        person: person(get(key)),
      });
      remember(key, result);
    }
    const ichiro = await acquire(admin, 'ichiro', {
      symbol: '5678',
      acquiredOn: '2015-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 260_000,
    });
    await call(admin, 'POST', `/api/v1/members/${ichiro.memberId}/legacy-cards`, { issuedOn: '2023-04-01' });
    await acquire(admin, 'saburo', {
      symbol: '5678',
      acquiredOn: '2010-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 380_000,
    });
    await acquire(
      employer,
      'sakiko',
      { symbol: '1234', acquiredOn: '2024-10-01', recordedOn: '2024-10-02', standardMonthlyRemuneration: 240_000 },
      { name: '高橋 崎子' },
    );
    await acquire(admin, 'kourei', {
      symbol: '9012',
      acquiredOn: '2000-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 410_000,
    });
    await acquire(admin, 'fumiko', {
      symbol: '9012',
      acquiredOn: '2001-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 220_000,
    });
    const ken = await acquire(admin, 'ken', {
      symbol: '5678',
      acquiredOn: '2018-04-01',
      recordedOn: '2023-06-01',
      standardMonthlyRemuneration: 340_000,
    });
    await call(admin, 'POST', '/api/v1/notifications', {
      kind: 'loss',
      insurerNumber: DEMO_INSURER,
      symbol: ken.symbol,
      number: ken.number,
      lostOn: '2026-10-01',
      recordedOn: '2026-10-02',
    });
    const kenB = await call(adminB, 'POST', '/api/v1/notifications', {
      kind: 'acquisition',
      insurerNumber: DEMO_SECOND_INSURER,
      symbol: '77',
      acquiredOn: '2026-10-01',
      recordedOn: '2026-10-02',
      standardMonthlyRemuneration: 360_000,
      person: person(get('ken')),
    });
    members.push({
      key: 'ken@B',
      story: '転職先 / the new association',
      memberId: kenB.memberId,
      symbol: kenB.symbol,
      number: kenB.number,
      branch: kenB.branch,
    });
    await acquire(employer, 'nomynumber', {
      symbol: '1234',
      acquiredOn: '2026-04-01',
      recordedOn: '2026-04-01',
      standardMonthlyRemuneration: 200_000,
    });

    // Cards: issued through the J-LIS stand-in, registered for health-insurance use.
    const issue = async (key: string, issuedOn: IsoDate, registeredOn: IsoDate | null) => {
      const card = await call(operator, 'POST', '/api/v1/cards', {
        myNumber: get(key).myNumber,
        issuedOn,
        pin: DEMO_PIN,
      });
      cards[key] = card.cardId;
      if (registeredOn) {
        await call(operator, 'POST', `/api/v1/cards/${card.cardId}/registration`, {
          recordedOn: registeredOn,
          channel: 'reader',
        });
      }
    };
    await issue('taro', '2023-03-01', '2023-05-01');
    await issue('hanako', '2024-01-10', '2024-02-01');
    await issue('saburo', addDays(addYears(graceExpiry, -5), 1), '2022-01-10');
    await issue('sakiko', '2023-07-01', '2023-08-01');
    await issue('kourei', '2022-06-01', '2022-07-01');
    await issue('fumiko', '2024-11-01', null);
    await issue('ken', '2023-09-01', '2023-10-01');

    // 職権交付 as of today: whoever cannot use a マイナ保険証 gets a 資格確認書 (no card, card not
    // registered, legacy card only after 2025-12-01); お知らせ went out at acquisition, the run
    // covers anyone without one.
    if (now >= CERTIFICATE_FIRST_ISSUE_DATE) {
      const run = await call(admin, 'POST', '/api/v1/certificates:issue-ex-officio', {
        insurerNumber: DEMO_INSURER,
        asOf: now,
      });
      const keyOf = new Map(members.map((m) => [m.memberId, m.key]));
      for (const i of run.issued as Array<{ memberId: string; certificateId: string }>) {
        certificates[keyOf.get(i.memberId) ?? i.memberId] = i.certificateId;
      }
    }
    await call(admin, 'POST', '/api/v1/notices:issue', { insurerNumber: DEMO_INSURER, asOf: now });
  } else {
    // A restart: the same people, found by name, so the printed requests name real members and cards.
    const keyOf = new Map(people.map((p) => [p.name, p]));
    for (const row of await ctx.store.db
      .selectFrom('members')
      .select(['id', 'symbol', 'number', 'branch', 'name'])
      .where('insurer_number', 'in', [DEMO_INSURER, DEMO_SECOND_INSURER])
      .orderBy('symbol')
      .orderBy('number')
      .orderBy('branch')
      .execute()) {
      const who = keyOf.get(row.name);
      members.push({
        key: who?.key ?? row.id,
        story: who?.story ?? '',
        memberId: row.id,
        symbol: row.symbol,
        number: row.number,
        branch: row.branch,
      });
    }
    for (const row of await ctx.store.db
      .selectFrom('cards')
      .innerJoin('members', 'members.my_number_index', 'cards.my_number_index')
      .select(['cards.id as card_id', 'members.name'])
      .where('members.insurer_number', '=', DEMO_INSURER)
      .where('cards.status', '=', 'active')
      .execute()) {
      cards[keyOf.get(row.name)?.key ?? row.name] = row.card_id;
    }
    for (const row of await ctx.store.db
      .selectFrom('eligibility_certificates')
      .select(['id', 'member_id'])
      .where('insurer_number', '=', DEMO_INSURER)
      .where('collected_on', 'is', null)
      .orderBy('issued_on')
      .execute()) {
      const holder = members.find((m) => m.memberId === row.member_id);
      certificates[holder?.key ?? row.member_id] = row.id;
    }
  }

  const taroId = members.find((m) => m.key === 'taro')?.memberId ?? members[0]?.memberId ?? 'unknown';
  const member = (await createToken(ctx, { role: 'member', memberId: taroId, label: 'demo', expiresAt })).token;
  const tokens = { operator, admin, employer, provider, member };

  return {
    tokens,
    members,
    cards,
    certificates,
    describe(baseUrl: string): string {
      const ichiro = members.find((m) => m.key === 'ichiro');
      const fumiko = members.find((m) => m.key === 'fumiko');
      const taroCard = cards.taro ?? '<cardId>';
      const lines = [
        '',
        '=== Shikaku demo / デモデータ ===',
        `保険者 / associations: ${DEMO_INSURER} シカク健康保険組合, ${DEMO_SECOND_INSURER} テンショク健康保険組合`,
        '',
        'Members / 加入者:',
        ...members
          .filter((m) => m.story)
          .map((m) => `  ${m.symbol}-${m.number}-${m.branch}  ${m.story}  (id ${m.memberId})`),
        '',
        'Tokens / トークン:',
        ...Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(8)} ${token}`),
        '',
        `Card PIN for every demo card / 暗証番号: ${DEMO_PIN}`,
        // The screens' card reader stand-in takes a card id: the reception terminal and the portal.
        ...(Object.keys(cards).length > 0
          ? [
              'Cards / カードID (reception: マイナ保険証, portal: login):',
              ...Object.entries(cards).map(([key, id]) => {
                const m = members.find((x) => x.key === key);
                return `  ${key.padEnd(8)} ${id}  ${m?.story ?? ''}`;
              }),
            ]
          : []),
        '',
        `Screens / 画面: ${baseUrl}/  (reception ${baseUrl}/reception, console ${baseUrl}/console, portal ${baseUrl}/portal, employer ${baseUrl}/employer)`,
        '',
        'Try / 試してみる:',
        `  # legacy card by number, on 2025-12-01 (usable) — change asOf to 2025-12-02 or today`,
        `  curl -s ${baseUrl}/api/v1/verifications -H 'authorization: Bearer ${provider}' -H 'content-type: application/json' \\`,
        `    -d '{"method":"number","asOf":"2025-12-01","document":"legacy_card","insurerNumber":"${DEMO_INSURER}","symbol":"${ichiro?.symbol ?? '5678'}","number":"${ichiro?.number ?? '1'}","branch":"${ichiro?.branch ?? '00'}","birthDate":"1975-06-15"}'`,
        '',
        '  # 資格確認書 by number (70–74: the separate certificates must be shown too)',
        `  curl -s ${baseUrl}/api/v1/verifications -H 'authorization: Bearer ${provider}' -H 'content-type: application/json' \\`,
        `    -d '{"method":"number","document":"certificate","insurerNumber":"${DEMO_INSURER}","symbol":"${fumiko?.symbol ?? '9012'}","number":"${fumiko?.number ?? '2'}","branch":"${fumiko?.branch ?? '00'}","birthDate":"1955-01-20"}'`,
        ...(certificates.fumiko !== undefined
          ? [
              '  # the card-size 資格確認書 as a PDF',
              `  curl -s ${baseUrl}/api/v1/certificates/${certificates.fumiko}.pdf -H 'authorization: Bearer ${admin}' -o kakuninsho.pdf`,
            ]
          : []),
        '  # the same query as a clinic system asks オンライン資格確認 (OQS XmlMsg; Accept: application/xml for XML)',
        `  curl -s ${baseUrl}/oqs-api-pro/MSA01030/ILI01030SV01/search -H 'authorization: Bearer ${provider}' -H 'content-type: application/json' \\`,
        `    -d '{"XmlMsg":{"MessageHeader":{"QualificationConfirmationDate":"20251201","MedicalInstitutionCode":"${DEMO_PROVIDER}"},"MessageBody":{"QualificationConfirmSearchInfo":{"InsurerNumber":"${DEMO_INSURER}","InsuredCardSymbol":"${ichiro?.symbol ?? '5678'}","InsuredIdentificationNumber":"${ichiro?.number ?? '1'}","InsuredBranchNumber":"${ichiro?.branch ?? '00'}","Birthdate":"19750615","LimitApplicationCertificateRelatedConsFlg":"1"}}}}'`,
        '  # the member portal: the eligibility screen (…/qualification.pdf for its PDF)',
        `  curl -s ${baseUrl}/api/v1/me/qualification -H 'authorization: Bearer ${member}'`,
        '',
        '  # by card: challenge → the card signs (PIN) → verify',
        `  C=$(curl -s ${baseUrl}/api/v1/verifications/challenge -H 'authorization: Bearer ${provider}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).challenge')`,
        `  S=$(curl -s ${baseUrl}/api/v1/cards/${taroCard}:sign -H 'authorization: Bearer ${operator}' -H 'content-type: application/json' -d "{\\"challenge\\":\\"$C\\",\\"pin\\":\\"${DEMO_PIN}\\"}")`,
        `  curl -s ${baseUrl}/api/v1/verifications -H 'authorization: Bearer ${provider}' -H 'content-type: application/json' \\`,
        `    -d "$(node -e 'const s=JSON.parse(process.argv[1]);console.log(JSON.stringify({method:"card",card:{certificate:s.certificate,challenge:process.argv[2],signature:s.signature},identityCheck:"pin",consent:{medication:true,healthCheckups:false,limitInfo:true}}))' "$S" "$C")"`,
        '',
        `API docs / APIドキュメント: ${baseUrl}/docs`,
        '',
      ];
      return lines.join('\n');
    },
  };
}
