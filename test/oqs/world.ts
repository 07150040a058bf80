/**
 * The people OQS tests ask about, at two associations, as of 2026-12-01 (each query's
 * QualificationConfirmationDate). Built through the registry services, as an association would.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createToken } from '../../src/services/tokens.js';
import { makeInsurer, makeResident, notify, type PersonSeed, person } from '../support/registry.js';

export const AS_OF = '20261201';
export const PROVIDER = '1311234566';
export const OTHER_PROVIDER = '1311234574';

export interface OqsWorld {
  app: FastifyInstance;
  insurer: string;
  insurerB: string;
  provider: string;
  otherProvider: string;
  admin: string;
  people: Record<
    'taro' | 'hanako' | 'ume' | 'matsu' | 'jiro' | 'saburo' | 'twinA' | 'twinB',
    PersonSeed & { number: string; branch: string; symbol: string; memberId: string }
  >;
}

export async function buildOqsWorld(ctx: ServiceContext): Promise<OqsWorld> {
  const insurer = await makeInsurer(ctx);
  const insurerB = await makeInsurer(ctx);
  const people = {} as OqsWorld['people'];

  async function insured(
    key: keyof OqsWorld['people'],
    seed: Partial<PersonSeed>,
    number: string,
    extra: Record<string, unknown> = {},
    at = insurer,
  ) {
    const p = person(seed);
    await makeResident(ctx, p);
    const { memberId } = await notify(ctx, {
      kind: 'acquisition',
      insurerNumber: at,
      recordedOn: '2024-10-01',
      symbol: '1234',
      number,
      branch: '00',
      acquiredOn: '2012-04-01',
      standardMonthlyRemuneration: 300_000,
      person: p,
      ...extra,
    });
    people[key] = { ...p, symbol: '1234', number, branch: '00', memberId: memberId as string };
  }
  async function dependent(key: keyof OqsWorld['people'], seed: Partial<PersonSeed>, of: string, branch: string) {
    const p = person(seed);
    await makeResident(ctx, p);
    const { memberId } = await notify(ctx, {
      kind: 'dependent_add',
      insurerNumber: insurer,
      recordedOn: '2024-10-01',
      insured: { symbol: '1234', number: of },
      branch,
      acquiredOn: '2024-10-01',
      person: p,
    });
    people[key] = { ...p, symbol: '1234', number: of, branch, memberId: memberId as string };
  }

  await insured(
    'taro',
    { name: '協会 太郎', nameKana: 'キョウカイ タロウ', address: '〒100-0013 東京都千代田区霞が関1-2-2' },
    '1',
  );
  await dependent(
    'hanako',
    { name: '協会 花子', nameKana: 'キョウカイ ハナコ', birthDate: '2022-05-10', sex: 'female' },
    '1',
    '01',
  );
  await dependent('twinA', { name: '協会 一郎', nameKana: 'キョウカイ イチロウ', birthDate: '2015-07-07' }, '1', '02');
  await dependent('twinB', { name: '協会 二郎', nameKana: 'キョウカイ ジロウ', birthDate: '2015-07-07' }, '1', '03');
  // 71 on the day: 高齢受給者 since 2025-04-01; 現役並み (30 %) and 一般 (20 %).
  await insured('ume', { name: '梅田 梅子', nameKana: 'ウメダ ウメコ', birthDate: '1955-03-15', sex: 'female' }, '2');
  await insured('matsu', { name: '松田 松男', nameKana: 'マツダ マツオ', birthDate: '1955-08-02' }, '3', {
    standardMonthlyRemuneration: 200_000,
  });
  // Lost on 2026-06-01, nowhere else.
  await insured('jiro', { name: '退職 次郎', nameKana: 'タイショク ジロウ', birthDate: '1980-01-20' }, '4');
  await notify(ctx, {
    kind: 'loss',
    insurerNumber: insurer,
    recordedOn: '2026-06-02',
    symbol: '1234',
    number: '4',
    lostOn: '2026-06-01',
  });
  // Changed jobs: lost at the first association on 2026-04-01, insured at the second from that day.
  await insured('saburo', { name: '転職 三郎', nameKana: 'テンショク サブロウ', birthDate: '1985-11-30' }, '5');
  await notify(ctx, {
    kind: 'loss',
    insurerNumber: insurer,
    recordedOn: '2026-04-02',
    symbol: '1234',
    number: '5',
    lostOn: '2026-04-01',
  });
  const saburo = people.saburo;
  await notify(ctx, {
    kind: 'acquisition',
    insurerNumber: insurerB,
    recordedOn: '2026-04-02',
    symbol: '77',
    number: '9',
    branch: '00',
    acquiredOn: '2026-04-01',
    standardMonthlyRemuneration: 410_000,
    person: {
      myNumber: saburo.myNumber,
      name: saburo.name,
      nameKana: saburo.nameKana,
      birthDate: saburo.birthDate,
      sex: saburo.sex,
      address: saburo.address,
    },
  });

  const app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
  return {
    app,
    insurer,
    insurerB,
    provider: (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token,
    otherProvider: (await createToken(ctx, { role: 'provider', providerCode: OTHER_PROVIDER })).token,
    admin: (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token,
    people,
  };
}

/** A search request in JSON, as a clinic system builds it. */
export function searchJson(
  info: Record<string, string | undefined>,
  header: Record<string, string | undefined> = {},
): Record<string, unknown> {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: AS_OF, MedicalInstitutionCode: PROVIDER, ...header },
      MessageBody: { QualificationConfirmSearchInfo: info },
    },
  };
}

/** The same request as XML text, written by hand (no library of ours). */
export function searchXml(
  info: Record<string, string | undefined>,
  header: Record<string, string | undefined> = {},
  encoding = 'UTF-8',
): string {
  const el = (o: Record<string, string | undefined>) =>
    Object.entries(o)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<${k}>${v}</${k}>`)
      .join('');
  return `<?xml version="1.0" encoding="${encoding}"?>\n<XmlMsg><MessageHeader>${el({
    QualificationConfirmationDate: AS_OF,
    MedicalInstitutionCode: PROVIDER,
    ...header,
  })}</MessageHeader><MessageBody><QualificationConfirmSearchInfo>${el(info)}</QualificationConfirmSearchInfo></MessageBody></XmlMsg>`;
}

export function infoOf(
  p: { symbol: string; number: string; branch: string; birthDate: string },
  insurer: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    InsurerNumber: insurer,
    InsuredCardSymbol: p.symbol,
    InsuredIdentificationNumber: p.number,
    InsuredBranchNumber: p.branch,
    Birthdate: p.birthDate.replaceAll('-', ''),
    LimitApplicationCertificateRelatedConsFlg: '1',
    ...overrides,
  };
}
