/**
 * The world and the table of the access-control matrix (issue 6 item 1; DESIGN.md §1, §5): two
 * associations built through the API (A by the demo loader, B next to it), a principal of every role
 * inside A's scope, principals outside it, revoked and expired tokens, and for every guarded route:
 * how to call it in scope, and how each allowed role would reach someone it must not see.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { insertTestResident, testMyNumber } from '../../src/cards/testing.js';
import { challengeOperationDefinition } from '../../src/fhir/capability.js';
import { codeSystems } from '../../src/fhir/codesystems.js';
import { buildApp } from '../../src/http/app.js';
import { type Role, systemActor } from '../../src/services/actor.js';
import { issueCard, registerCard, signWithCard } from '../../src/services/cards.js';
import { issueChallenge } from '../../src/services/challenges.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { DEMO_INSURER, DEMO_PIN, DEMO_PROVIDER, DEMO_SECOND_INSURER, loadDemo } from '../../src/services/demo.js';
import { postBulk } from '../../src/services/oqs-bulk.js';
import { issuePortalChallenge, signPortalChallenge } from '../../src/services/portal-session.js';
import { createNotificationJob } from '../../src/services/registry.js';
import { createToken, revokeToken } from '../../src/services/tokens.js';
import { MISS_LIMIT } from '../../src/services/verification/probing.js';
import { verify } from '../../src/services/verification.js';
import { eligibilityByNumber } from '../support/fhir.js';
import { freshInsurerNumber } from '../support/registry.js';
import { openTestContext } from '../support/stores.js';

export const ROLES: readonly Role[] = ['operator', 'admin', 'employer', 'provider', 'member'];

/** The day the world lives on (the demo's stories are told for it). */
export const WORLD_CLOCK = '2026-11-23T01:00:00Z';
const A = DEMO_INSURER;
const B = DEMO_SECOND_INSURER;
const OTHER_PROVIDER = '1311234574';

export interface Person {
  key: string;
  memberId: string;
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  nameKana: string;
  birthDate: string;
}

export interface World {
  app: FastifyInstance;
  ctx: ServiceContext;
  /** The principal of each role inside association A: its admin, employer 1234, provider P1, member 太郎. */
  token: Record<Role, string>;
  /** Principals outside A's scope (or outside 1234's, or P1's, or 太郎's). */
  adminB: string;
  employerB: string;
  employerA5678: string;
  providerP2: string;
  memberIchiro: string;
  /** 花子, a dependent of 太郎: sees herself only, never the insured. */
  memberHanako: string;
  /** A revoked and an expired token of every role, each otherwise in scope. */
  revoked: Record<Role, string>;
  expired: Record<Role, string>;
  people: Record<'taro' | 'hanako' | 'ichiro' | 'nomynumber' | 'hisako' | 'mitodoke', Person>;
  cards: { taro: string; hisako: string };
  /** Audit records (seq) about 太郎 (A) and 秘子 (B). */
  audit: { taro: number; hisako: number };
  /** The idempotency key of A's admin's change to 一郎 (記号 5678). */
  replayKey: string;
  /** 資格確認書 (needs_assistance): 太郎's, 一郎's (A, 記号 5678), 未届's (B). */
  certs: { taro: string; ichiro: string; b: string };
  /** Ex-officio runs of A and of B. */
  runs: { a: string; b: string };
  /** Received applications (limit_certification) for 太郎 (A) and 秘子 (B). */
  apps: { taro: string; hisako: string };
  /** お知らせ of 太郎, 一郎 (A) and 秘子 (B). */
  notices: { taro: string; ichiro: string; hisako: string };
  serial(): number;
}

/**
 * The personal data of a person that must never reach someone out of scope: the names (and the given
 * names alone, as FHIR's HumanName carries them; not the family name, which a household shares) and
 * the birth date.
 */
export function secretsOf(p: Person): string[] {
  const given = [p.name, p.nameKana].map((n) => n.split(/\s+/u).at(-1) ?? '').filter((x) => x.length >= 2);
  return [p.name, p.nameKana, p.birthDate, ...given];
}

export async function buildWorld(kind: 'sqlite' | 'postgres'): Promise<World> {
  const ctx = await openTestContext(kind, fixedClock(WORLD_CLOCK));
  // Rate limits are tested on their own (test/security/limits.test.ts); the matrix sends many calls.
  const app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
  const demo = await loadDemo(app, ctx);
  const call = async (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (response.statusCode >= 300)
      throw new Error(`world: ${method} ${url} → ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const adminB = (await createToken(ctx, { role: 'admin', insurerNumber: B })).token;
  const employerB = (await createToken(ctx, { role: 'employer', insurerNumber: B, employerSymbol: '77' })).token;
  const employerA5678 = (await createToken(ctx, { role: 'employer', insurerNumber: A, employerSymbol: '5678' })).token;
  const providerP2 = (await createToken(ctx, { role: 'provider', providerCode: OTHER_PROVIDER })).token;

  // Association B: 秘子 with a registered card, 未届 without a My Number (so B's dashboard lists her).
  const hisakoPerson = {
    myNumber: testMyNumber(77_001),
    name: '他組 秘子',
    nameKana: 'タクミ ヒミコ',
    birthDate: '1977-07-07',
    sex: 'female',
    address: '大阪府大阪市北区中之島1-3-20',
  };
  await call(demo.tokens.operator, 'POST', '/api/v1/residents', hisakoPerson);
  const hisako = await call(adminB, 'POST', '/api/v1/notifications', {
    kind: 'acquisition',
    insurerNumber: B,
    symbol: '77',
    acquiredOn: '2020-04-01',
    recordedOn: '2026-11-02',
    standardMonthlyRemuneration: 300_000,
    person: hisakoPerson,
  });
  const mitodoke = await call(adminB, 'POST', '/api/v1/notifications', {
    kind: 'acquisition',
    insurerNumber: B,
    symbol: '77',
    acquiredOn: '2021-04-01',
    recordedOn: '2026-11-02',
    person: { name: '他組 未届', nameKana: 'タクミ ミトドケ', birthDate: '1966-06-06', sex: 'male' },
  });
  const hisakoCard = await call(demo.tokens.operator, 'POST', '/api/v1/cards', {
    myNumber: hisakoPerson.myNumber,
    issuedOn: '2024-05-01',
    pin: DEMO_PIN,
  });
  await call(demo.tokens.operator, 'POST', `/api/v1/cards/${hisakoCard.cardId}/registration`, {
    recordedOn: '2024-05-10',
    channel: 'reader',
  });
  // 秘子's association looks at her record: an audit record of B about her.
  await call(adminB, 'GET', `/api/v1/members/${hisako.memberId}`);

  const personOf = async (key: string, memberId: string): Promise<Person> => {
    const row = await ctx.store.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', memberId)
      .executeTakeFirstOrThrow();
    return {
      key,
      memberId,
      insurerNumber: row.insurer_number,
      symbol: row.symbol,
      number: row.number,
      branch: row.branch,
      name: row.name,
      nameKana: row.name_kana,
      birthDate: row.birth_date,
    };
  };
  const demoMember = (key: string): string => {
    const m = demo.members.find((x) => x.key === key);
    if (!m) throw new Error(`no demo member ${key}`);
    return m.memberId;
  };
  const people = {
    taro: await personOf('taro', demoMember('taro')),
    hanako: await personOf('hanako', demoMember('hanako')),
    ichiro: await personOf('ichiro', demoMember('ichiro')),
    nomynumber: await personOf('nomynumber', demoMember('nomynumber')),
    hisako: await personOf('hisako', hisako.memberId),
    mitodoke: await personOf('mitodoke', mitodoke.memberId),
  };
  const memberIchiro = (await createToken(ctx, { role: 'member', memberId: people.ichiro.memberId })).token;
  const memberHanako = (await createToken(ctx, { role: 'member', memberId: people.hanako.memberId })).token;

  // Documents and applications of both associations (issue #3 routes).
  const certificate = async (token: string, p: Person) =>
    (
      await call(token, 'POST', '/api/v1/certificates', {
        memberId: p.memberId,
        reason: 'needs_assistance',
        recordedOn: '2026-11-20',
      })
    ).certificateId as string;
  const certs = {
    taro: await certificate(demo.tokens.admin, people.taro),
    ichiro: await certificate(demo.tokens.admin, people.ichiro),
    b: await certificate(adminB, people.mitodoke),
  };
  const application = async (token: string, p: Person) =>
    (
      await call(token, 'POST', '/api/v1/applications', {
        kind: 'limit_certification',
        memberId: p.memberId,
        recordedOn: '2026-11-20',
      })
    ).applicationId as string;
  const apps = {
    taro: await application(demo.tokens.admin, people.taro),
    hisako: await application(adminB, people.hisako),
  };
  const noticeOf = async (token: string, p: Person): Promise<string> => {
    await call(token, 'POST', '/api/v1/notices:issue', {
      insurerNumber: p.insurerNumber,
      asOf: '2026-11-20',
      memberIds: [p.memberId],
    });
    const row = await ctx.store.db
      .selectFrom('notices')
      .select('id')
      .where('member_id', '=', p.memberId)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const notices = {
    taro: await noticeOf(demo.tokens.admin, people.taro),
    ichiro: await noticeOf(demo.tokens.admin, people.ichiro),
    hisako: await noticeOf(adminB, people.hisako),
  };
  const run = async (token: string, insurerNumber: string) =>
    (await call(token, 'POST', '/api/v1/certificates:issue-ex-officio', { insurerNumber, asOf: '2026-11-23' }))
      .runId as string;
  const runs = { a: await run(demo.tokens.admin, A), b: await run(adminB, B) };

  // P1 verifies 太郎 by card: his Patient and Coverage are disclosed to P1, and to P1 only.
  const provider = demo.tokens.provider;
  const { challenge } = await call(provider, 'GET', '/api/v1/verifications/challenge');
  const signed = await call(provider, 'POST', `/api/v1/cards/${demo.cards.taro}:sign`, { challenge, pin: DEMO_PIN });
  const answer = await call(provider, 'POST', '/api/v1/verifications', {
    method: 'card',
    card: { certificate: signed.certificate, challenge, signature: signed.signature },
    identityCheck: 'pin',
    consent: { medication: true, healthCheckups: false, limitInfo: true },
  });
  if (answer.outcome !== 'eligible') throw new Error(`world: 太郎 is ${answer.outcome}`);

  // A's admin changes 一郎 (記号 5678) under an idempotency key employer 1234 will try to replay.
  const replayKey = 'matrix-replay-1';
  await call(demo.tokens.admin, 'POST', '/api/v1/notifications', {
    kind: 'change',
    insurerNumber: A,
    symbol: people.ichiro.symbol,
    number: people.ichiro.number,
    standardMonthlyRemuneration: 280_000,
    recordedOn: '2026-11-20',
    idempotencyKey: replayKey,
  });

  const auditAbout = async (p: Person): Promise<number> => {
    const row = await ctx.store.db
      .selectFrom('audit_log')
      .select('seq')
      .where('member_id', '=', p.memberId)
      .where('insurer_number', '=', p.insurerNumber)
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    return Number(row.seq);
  };

  const scoped: Record<Role, Parameters<typeof createToken>[1]> = {
    operator: { role: 'operator' },
    admin: { role: 'admin', insurerNumber: A },
    employer: { role: 'employer', insurerNumber: A, employerSymbol: '1234' },
    provider: { role: 'provider', providerCode: DEMO_PROVIDER },
    member: { role: 'member', memberId: people.taro.memberId },
  };
  const revoked = {} as Record<Role, string>;
  const expired = {} as Record<Role, string>;
  for (const role of ROLES) {
    const r = await createToken(ctx, scoped[role]);
    await revokeToken(ctx, r.id);
    revoked[role] = r.token;
    expired[role] = (await createToken(ctx, { ...scoped[role], expiresAt: '2026-11-22T00:00:00.000Z' })).token;
  }

  let serial = 0;
  return {
    app,
    ctx,
    token: demo.tokens,
    adminB,
    employerB,
    employerA5678,
    providerP2,
    memberIchiro,
    memberHanako,
    revoked,
    expired,
    people,
    cards: { taro: demo.cards.taro ?? '', hisako: hisakoCard.cardId },
    audit: { taro: await auditAbout(people.taro), hisako: await auditAbout(people.hisako) },
    replayKey,
    certs,
    runs,
    apps,
    notices,
    serial: () => ++serial,
  };
}

// ---------------------------------------------------------------------------------------------------
// The table

/** One request: the URL with its parameters filled, a body, and who sends it (default: the role's principal). */
export interface Call {
  url: string;
  payload?: unknown;
  contentType?: string;
  token?: string;
}

/**
 * How a reach outside the scope must be answered: `denied` 403/404 (or `status`), `empty` a 200
 * search with no hit, `rows` a per-row answer whose every row is refused, `undisclosed` an answer
 * (200) that names nobody, `clean` a 2xx answer about the caller's own scope (a route without a
 * target). In every case the body carries none of the target's data.
 */
export interface OutOfScope {
  label: string;
  call: Call;
  target: Person;
  expect?: 'denied' | 'empty' | 'rows' | 'undisclosed' | 'clean';
  status?: number[];
  /** More strings of the target that must not appear (ids where the answer has no reason to echo them). */
  secrets?: string[];
}

export interface RouteFixture {
  /** A request in scope for `role` (one of the route's roles); sent as is to the other roles. */
  request: (w: World, role: Role) => Call | Promise<Call>;
  /**
   * Either why the route has no target to scope, or the ways each allowed role (but the
   * platform-wide operator) could reach beyond its scope.
   */
  scope: { none: string } | { cases: (w: World, role: Role) => OutOfScope[] | Promise<OutOfScope[]> };
}

const base64Challenge = (): string => randomBytes(32).toString('base64');

async function freshResident(w: World): Promise<string> {
  const myNumber = testMyNumber(60_000 + w.serial());
  await insertTestResident(w.ctx, myNumber, '1990-01-01');
  return myNumber;
}

async function freshCard(w: World, registered = false): Promise<string> {
  const operator = systemActor('operator');
  const card = await issueCard(w.ctx, operator, {
    myNumber: await freshResident(w),
    issuedOn: '2026-11-01',
    pin: '1234',
  });
  if (registered) await registerCard(w.ctx, operator, card.cardId, { recordedOn: '2026-11-05', channel: 'reader' });
  return card.cardId;
}

/** A call that must succeed (fixture setup through the API). */
async function api(w: World, token: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await w.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  if (response.statusCode >= 300)
    throw new Error(`fixture: ${method} ${url} → ${response.statusCode} ${response.body}`);
  return response.json();
}

/** A new member of A (記号 1234 unless told), or a new dependent of `under`, through the API. */
async function freshMember(w: World, options: { symbol?: string; under?: Person } = {}): Promise<string> {
  const body = options.under
    ? {
        kind: 'dependent_add',
        insurerNumber: A,
        insured: { symbol: options.under.symbol, number: options.under.number },
        acquiredOn: '2026-11-01',
        recordedOn: '2026-11-20',
        person: newPerson(w),
      }
    : {
        kind: 'acquisition',
        insurerNumber: A,
        symbol: options.symbol ?? '1234',
        acquiredOn: '2026-11-01',
        recordedOn: '2026-11-20',
        person: newPerson(w),
      };
  return (await api(w, w.token.admin, 'POST', '/api/v1/notifications', body)).memberId;
}

/**
 * A member in scope of `role` on documents: a new member of A for the admin (and the employer, under
 * 1234), a new dependent of 太郎 for 太郎's member token (the insured acts for his household).
 */
async function memberInScope(w: World, role: Role): Promise<string> {
  return role === 'member' ? freshMember(w, { under: w.people.taro }) : freshMember(w);
}

/** A legacy card recorded (issued 2023-04-01) for a member, by that member's association's admin. */
async function freshLegacyCard(w: World, member: Person, token = w.token.admin): Promise<string> {
  return (await api(w, token, 'POST', `/api/v1/members/${member.memberId}/legacy-cards`, { issuedOn: '2023-04-01' }))
    .legacyCardId;
}

/** The fixture of `POST /api/v1/legacy-cards/{id}<action>` (admin only): its own card each call. */
function legacyCardAction(action: string, payload: Record<string, string>): Record<string, RouteFixture> {
  return {
    [`POST /api/v1/legacy-cards/:id([^:/]+):${action}`]: {
      request: async (w) => ({
        url: `/api/v1/legacy-cards/${await freshLegacyCard(w, w.people.ichiro)}${action}`,
        payload,
      }),
      scope: {
        cases: async (w) => [
          {
            label: `A's admin records ${action} on a legacy card of B's member`,
            call: {
              url: `/api/v1/legacy-cards/${await freshLegacyCard(w, w.people.hisako, w.adminB)}${action}`,
              payload,
            },
            target: w.people.hisako,
          },
          {
            label: `B's admin records ${action} on a legacy card of A's member`,
            call: {
              url: `/api/v1/legacy-cards/${await freshLegacyCard(w, w.people.taro)}${action}`,
              payload,
              token: w.adminB,
            },
            target: w.people.taro,
          },
        ],
      },
    },
  };
}

interface PaperOf {
  memberId: string;
  paperId: string;
}

/**
 * A 資格確認書 holder without a マイナ保険証 whose 限度額 区分 is known: a new member (standard monthly
 * remuneration on record) of A (記号 1234) or B (77), given a 資格確認書 on application.
 */
async function freshPaperHolder(w: World, insurer: 'A' | 'B'): Promise<Person> {
  const [insurerNumber, symbol, token] = insurer === 'A' ? [A, '1234', w.token.admin] : [B, '77', w.adminB];
  // Names no message contains (newPerson's 加入 is in 加入者が見つかりません), so a leak is a leak.
  const person = { ...newPerson(w), name: '認定 紙子', nameKana: 'ニンテイ カミコ' };
  const member = await api(w, token, 'POST', '/api/v1/notifications', {
    kind: 'acquisition',
    insurerNumber,
    symbol,
    acquiredOn: '2026-11-01',
    recordedOn: '2026-11-20',
    standardMonthlyRemuneration: 300_000,
    person,
  });
  await api(w, token, 'POST', '/api/v1/certificates', {
    memberId: member.memberId,
    reason: 'needs_assistance',
    recordedOn: '2026-11-20',
  });
  return { key: `paper-${member.number}`, insurerNumber, ...person, ...member };
}

/**
 * A 限度額適用認定証 on paper: a limit certification approved for a 資格確認書 holder without a
 * マイナ保険証 issues it. For a holder in scope of `role` (太郎's new dependent for his member token),
 * or for `holder`, by its association's admin.
 */
async function freshPaperCertificate(w: World, role: Role, holder?: Person): Promise<PaperOf> {
  const token = holder?.insurerNumber === B ? w.adminB : w.token.admin;
  let memberId = holder?.memberId;
  if (memberId === undefined && role === 'member') {
    memberId = await memberInScope(w, role);
    await api(w, token, 'POST', '/api/v1/certificates', {
      memberId,
      reason: 'needs_assistance',
      recordedOn: '2026-11-20',
    });
  }
  memberId ??= (await freshPaperHolder(w, 'A')).memberId;
  const application = await api(w, token, 'POST', '/api/v1/applications', {
    kind: 'limit_certification',
    memberId,
    recordedOn: '2026-11-20',
  });
  await api(w, token, 'POST', `/api/v1/applications/${application.applicationId}:approve`, {});
  const list = await api(w, token, 'GET', `/api/v1/members/${memberId}/paper-certificates`);
  const paperId = (list.paperCertificates as Array<{ paperCertificateId: string }>).at(-1)?.paperCertificateId;
  if (!paperId) throw new Error('fixture: no paper certificate was issued on approval');
  return { memberId, paperId };
}

/** Reaches to another association's paper, and for a member to another household's. */
async function paperCases(w: World, role: Role, url: (paper: PaperOf) => string): Promise<OutOfScope[]> {
  const reach = (paper: PaperOf, target: Person, label: string, token?: string): OutOfScope => ({
    label,
    call: { url: url(paper), ...(token ? { token } : {}) },
    target,
    secrets: [paper.memberId],
  });
  const inA = await freshPaperHolder(w, 'A');
  const ofA = await freshPaperCertificate(w, role, inA);
  if (role === 'member') return [reach(ofA, inA, "太郎 reads another household's paper certificate")];
  const inB = await freshPaperHolder(w, 'B');
  return [
    reach(await freshPaperCertificate(w, role, inB), inB, "A's admin reads B's paper certificate"),
    reach(ofA, inA, "B's admin reads A's paper certificate", w.adminB),
  ];
}

/** A new 資格確認書 (needs_assistance) of a member in scope of `role`. */
async function freshCertificate(w: World, role: Role): Promise<string> {
  const memberId = await memberInScope(w, role);
  return (
    await api(w, w.token.admin, 'POST', '/api/v1/certificates', {
      memberId,
      reason: 'needs_assistance',
      recordedOn: '2026-11-20',
    })
  ).certificateId;
}

/** A new received application (limit_certification) of a new member of A. */
async function freshApplication(w: World): Promise<string> {
  const memberId = await freshMember(w);
  return (
    await api(w, w.token.admin, 'POST', '/api/v1/applications', {
      kind: 'limit_certification',
      memberId,
      recordedOn: '2026-11-20',
    })
  ).applicationId;
}

/**
 * Reaches to documents by id: another association's admin, another household's member, a dependent
 * to the insured's. `url(id)` builds the request; `payload` goes with it.
 */
function documentCases(
  w: World,
  role: Role,
  ids: { a: string; aOwner: Person; other: string; otherOwner: Person; b: string; bOwner: Person },
  url: (id: string) => string,
  payload?: unknown,
): OutOfScope[] {
  const at = (id: string, token: string | undefined, target: Person, label: string): OutOfScope => ({
    label,
    call: { url: url(id), ...(payload === undefined ? {} : { payload }), ...(token ? { token } : {}) },
    target,
    secrets: [target.memberId],
  });
  if (role === 'admin') {
    return [
      at(ids.b, undefined, ids.bOwner, "A's admin, a document of B's member"),
      at(ids.a, w.adminB, ids.aOwner, "B's admin, a document of A's member"),
    ];
  }
  if (role === 'member') {
    return [
      at(ids.other, undefined, ids.otherOwner, '太郎, a document of another household'),
      at(ids.b, undefined, ids.bOwner, "太郎, a document of B's member"),
      at(ids.a, w.memberIchiro, ids.aOwner, "一郎, a document of 太郎's"),
      at(ids.a, w.memberHanako, ids.aOwner, "花子 (a dependent), a document of her insured's"),
    ];
  }
  return [];
}

const certificateIds = (w: World) => ({
  a: w.certs.taro,
  aOwner: w.people.taro,
  other: w.certs.ichiro,
  otherOwner: w.people.ichiro,
  b: w.certs.b,
  bOwner: w.people.mitodoke,
});

/** Reaches to members through a body `memberId` (applications, certificates on application). */
function memberBodyCases(w: World, role: Role, url: string, body: (memberId: string) => unknown): OutOfScope[] {
  const { taro, ichiro, hisako } = w.people;
  const at = (label: string, token: string | undefined, target: Person): OutOfScope => ({
    label,
    call: { url, payload: body(target.memberId), ...(token ? { token } : {}) },
    target,
  });
  switch (role) {
    case 'admin':
      return [at("A's admin, for B's member", undefined, hisako), at("B's admin, for A's member", w.adminB, taro)];
    case 'employer':
      return [
        at('employer 1234, for a member of 5678', undefined, ichiro),
        at("employer 1234, for B's member", undefined, hisako),
        at("B's employer, for A's member", w.employerB, taro),
      ];
    case 'member':
      return [
        at('太郎, for another household', undefined, ichiro),
        at("太郎, for B's member", undefined, hisako),
        at('一郎, for 太郎', w.memberIchiro, taro),
        at('花子 (a dependent), for her insured', w.memberHanako, taro),
      ];
    default:
      return [];
  }
}

/** Runs for the whole association: into the other one. */
function insurerRunCases(w: World, url: string, body: (insurerNumber: string) => unknown): OutOfScope[] {
  return [
    {
      label: "A's admin runs it for B",
      call: { url, payload: body(B) },
      target: w.people.mitodoke,
      secrets: [w.people.mitodoke.memberId, w.people.hisako.memberId],
    },
    {
      label: "B's admin runs it for A",
      call: { url, payload: body(A), token: w.adminB },
      target: w.people.taro,
      secrets: [w.people.taro.memberId],
    },
  ];
}

const CARD_NONE = 'operator only: the J-LIS stand-in is platform-wide (DESIGN.md §5.3), no tenant to scope';

function cardAction(action: string, payload: Record<string, unknown>, registered = false): RouteFixture {
  return {
    request: async (w) => ({ url: `/api/v1/cards/${await freshCard(w, registered)}${action}`, payload }),
    scope: { none: CARD_NONE },
  };
}

function newPerson(w: World) {
  const n = w.serial();
  return {
    name: '新規 加入',
    nameKana: 'シンキ カニュウ',
    birthDate: `1995-05-${String((n % 28) + 1).padStart(2, '0')}`,
    sex: 'female',
  };
}

/** An acquisition in scope: A's admin under 記号 5678, employer 1234 under its own. */
/** A job posted by `role`'s principal of A (a one-row batch through the job service). */
async function jobOf(w: World, role: Role): Promise<string> {
  const actor = systemActor(role, { insurerNumber: A, employerSymbol: role === 'employer' ? '1234' : null });
  return (await createNotificationJob(w.ctx, actor, [acquisition(w, role)])).jobId;
}

function acquisition(w: World, role: Role) {
  return {
    kind: 'acquisition',
    insurerNumber: A,
    symbol: role === 'employer' ? '1234' : '5678',
    acquiredOn: '2026-11-01',
    recordedOn: '2026-11-20',
    person: newPerson(w),
  };
}

const change = (p: Person, extra: Record<string, unknown> = {}) => ({
  kind: 'change',
  insurerNumber: p.insurerNumber,
  symbol: p.symbol,
  number: p.number,
  branch: p.branch,
  address: '東京都千代田区永田町1-7-1',
  recordedOn: '2026-11-20',
  ...extra,
});

/**
 * Notifications outside the scope: into the other association, about another employer's member,
 * and (employer) replaying the admin's idempotency key for another 記号 (409, never that answer).
 */
function notificationCases(w: World, role: Role): Array<Omit<OutOfScope, 'call'> & { token: string; body: unknown }> {
  const { taro, ichiro, hisako } = w.people;
  if (role === 'admin') {
    return [
      { label: "A's admin changes B's member", token: w.token.admin, body: change(hisako), target: hisako },
      {
        label: "A's admin files an acquisition into B",
        token: w.token.admin,
        body: { ...acquisition(w, 'admin'), insurerNumber: B, symbol: '77' },
        target: hisako,
      },
      { label: "B's admin changes A's member", token: w.adminB, body: change(taro), target: taro },
      {
        label: "B's admin ends A's member",
        token: w.adminB,
        body: { kind: 'loss', insurerNumber: A, symbol: taro.symbol, number: taro.number, lostOn: '2026-12-01' },
        target: taro,
      },
    ];
  }
  if (role === 'employer') {
    return [
      {
        label: 'employer 1234 changes a member of 5678',
        token: w.token.employer,
        body: change(ichiro),
        target: ichiro,
      },
      {
        label: 'employer 1234 ends a member of 5678',
        token: w.token.employer,
        body: { kind: 'loss', insurerNumber: A, symbol: ichiro.symbol, number: ichiro.number, lostOn: '2026-12-01' },
        target: ichiro,
      },
      {
        label: 'employer 1234 adds a dependent under a member of 5678',
        token: w.token.employer,
        body: {
          kind: 'dependent_add',
          insurerNumber: A,
          insured: { symbol: ichiro.symbol, number: ichiro.number },
          acquiredOn: '2026-11-01',
          recordedOn: '2026-11-20',
          person: newPerson(w),
        },
        target: ichiro,
      },
      { label: "employer 1234 changes B's member", token: w.token.employer, body: change(hisako), target: hisako },
      { label: 'employer 5678 changes a member of 1234', token: w.employerA5678, body: change(taro), target: taro },
      { label: "B's employer changes A's member", token: w.employerB, body: change(taro), target: taro },
      {
        label: "employer 1234 replays the admin's idempotency key for 一郎 (5678)",
        token: w.token.employer,
        body: change(taro, { idempotencyKey: w.replayKey, address: undefined, standardMonthlyRemuneration: 280_000 }),
        target: ichiro,
        status: [409],
        secrets: [ichiro.memberId],
      },
    ];
  }
  return [];
}

const CSV_HEADER = 'kind,insurerNumber,symbol,number,branch,address,recordedOn';
const csvChange = (p: Person) =>
  `${CSV_HEADER}\nchange,${p.insurerNumber},${p.symbol},${p.number},${p.branch},東京都千代田区永田町1-7-1,2026-11-20\n`;

function eligibilityRequest(p: Person) {
  return eligibilityByNumber({
    insurerNumber: p.insurerNumber,
    memberKey: `${p.insurerNumber}:${p.symbol}:${p.number}:${p.branch}`,
    birthDate: p.birthDate,
    servicedDate: '2025-12-01',
  });
}

/** A check by 記号・番号 of `p` with the birth date on record (the body of POST /api/v1/verifications). */
function numberCheckOf(p: Person) {
  return {
    method: 'number',
    asOf: '2025-12-01',
    document: 'legacy_card',
    insurerNumber: p.insurerNumber,
    symbol: p.symbol,
    number: p.number,
    branch: p.branch,
    birthDate: p.birthDate,
  };
}

const VERIFY_NONE =
  'a provider may verify anyone who presents a card or a document (DESIGN.md §1): the card signature, or ' +
  '記号・番号 with the birth date, is the proof; consent limits the answer. Challenge binding is a case below.';

/** Reads of what a verification disclosed: another provider, a person never verified, another association. */
function disclosedCases(w: World, url: (p: Person) => string, search: boolean): OutOfScope[] {
  // Not 一郎: the in-scope verification of POST /api/v1/verifications discloses him to P1.
  const { taro, hanako, hisako } = w.people;
  const expect = search ? ('empty' as const) : ('denied' as const);
  return [
    { label: 'P2 reads what only P1 was shown', call: { url: url(taro), token: w.providerP2 }, target: taro, expect },
    { label: 'P1 reads a person it never verified', call: { url: url(hanako) }, target: hanako, expect },
    { label: "P1 reads B's member it never verified", call: { url: url(hisako) }, target: hisako, expect },
  ];
}

/**
 * Every guarded route (`METHOD url-pattern` as registered) → its fixture. The matrix test fails for a
 * guarded route missing here, so a new route must be added (and its scope thought through).
 */
export const MATRIX: Record<string, RouteFixture> = {
  // --- cards: the J-LIS stand-in (operator), the chip's signature (operator, provider) ----------------
  'POST /api/v1/cards': {
    request: async (w) => ({
      url: '/api/v1/cards',
      payload: { myNumber: await freshResident(w), issuedOn: '2026-11-01', pin: '1234' },
    }),
    scope: { none: CARD_NONE },
  },
  'GET /api/v1/cards/:id([^:/]+)': {
    request: (w) => ({ url: `/api/v1/cards/${w.cards.taro}` }),
    scope: { none: CARD_NONE },
  },
  'POST /api/v1/cards/:id([^:/]+)::sign': {
    request: async (w, role) => ({
      url: `/api/v1/cards/${w.cards.taro}:sign`,
      payload: {
        challenge:
          role === 'provider'
            ? (await issueChallenge(w.ctx, systemActor('provider', { providerCode: DEMO_PROVIDER }))).challenge
            : base64Challenge(),
        pin: DEMO_PIN,
      },
    }),
    scope: {
      cases: async (w, role) => {
        const portal = async () => (await issuePortalChallenge(w.ctx)).challenge;
        const sign = (challenge: string, token?: string): Call => ({
          url: `/api/v1/cards/${w.cards.taro}:sign`,
          payload: { challenge },
          ...(token ? { token } : {}),
        });
        const cases: OutOfScope[] = [
          {
            label: `${role} signs a member-portal login challenge without the PIN`,
            call: sign(await portal(), w.token[role]),
            target: w.people.taro,
            status: [403],
          },
        ];
        if (role === 'provider') {
          const foreign = await issueChallenge(w.ctx, systemActor('provider', { providerCode: OTHER_PROVIDER }));
          cases.push(
            {
              label: "P1 signs a challenge issued to P2's terminal",
              call: sign(foreign.challenge),
              target: w.people.taro,
              status: [403],
            },
            {
              label: 'P1 signs bytes it was never issued',
              call: sign(base64Challenge()),
              target: w.people.taro,
              status: [403],
            },
          );
        }
        return cases;
      },
    },
  },
  'POST /api/v1/cards/:id([^:/]+)/registration': cardAction('/registration', {
    recordedOn: '2026-11-10',
    channel: 'reader',
  }),
  'DELETE /api/v1/cards/:id([^:/]+)/registration': cardAction('/registration', { recordedOn: '2026-11-15' }, true),
  'POST /api/v1/cards/:id([^:/]+)::renew-certificate': cardAction(':renew-certificate', { issuedOn: '2026-11-20' }),
  'POST /api/v1/cards/:id([^:/]+)::revoke-certificate': cardAction(':revoke-certificate', { revokedOn: '2026-11-20' }),
  'POST /api/v1/cards/:id([^:/]+)::return': cardAction(':return', { returnedOn: '2026-11-20' }),
  'POST /api/v1/cards/:id([^:/]+)::invalidate': cardAction(':invalidate', { invalidatedOn: '2026-11-20' }),

  // --- the platform (operator) ---------------------------------------------------------------------
  'POST /api/v1/insurers': {
    request: () => ({
      url: '/api/v1/insurers',
      payload: {
        insurerNumber: freshInsurerNumber(),
        name: 'マトリクス健康保険組合',
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      },
    }),
    scope: { none: 'operator only: creates an association, platform-wide by nature (DESIGN.md §5.0)' },
  },
  'POST /api/v1/residents': {
    request: (w) => ({
      url: '/api/v1/residents',
      payload: {
        myNumber: testMyNumber(70_000 + w.serial()),
        name: '住民 記録',
        nameKana: 'ジュウミン キロク',
        birthDate: '1980-01-01',
        sex: 'male',
        address: '東京都千代田区永田町1-7-1',
      },
    }),
    scope: { none: 'operator only: the resident register stand-in is platform-wide (DESIGN.md §5.3)' },
  },

  // --- the registry (admin of one association, employer of one 記号) --------------------------------
  'POST /api/v1/notifications': {
    request: (w, role) => ({ url: '/api/v1/notifications', payload: acquisition(w, role) }),
    scope: {
      cases: (w, role) =>
        notificationCases(w, role).map(({ token, body, ...c }) => ({
          ...c,
          call: { url: '/api/v1/notifications', payload: body, token },
        })),
    },
  },
  'POST /api/v1/notifications::batch': {
    request: (w, role) => ({ url: '/api/v1/notifications:batch', payload: [acquisition(w, role)] }),
    scope: {
      cases: (w, role) =>
        notificationCases(w, role).map(({ token, body, status: _status, ...c }) => ({
          ...c,
          expect: 'rows' as const,
          call: { url: '/api/v1/notifications:batch', payload: [body], token },
        })),
    },
  },
  'GET /api/v1/notifications/jobs/:id': {
    request: async (w, role) => ({ url: `/api/v1/notifications/jobs/${await jobOf(w, role)}` }),
    scope: {
      cases: async (w, role) => {
        const url = `/api/v1/notifications/jobs/${await jobOf(w, role)}`;
        return role === 'admin'
          ? [{ label: "B's admin polls A's admin's job", call: { url, token: w.adminB }, target: w.people.taro }]
          : [{ label: "A's admin's job polled by B's admin", call: { url, token: w.adminB }, target: w.people.taro }];
      },
    },
  },
  'POST /api/v1/notifications::import': {
    request: (w, role) => {
      const a = acquisition(w, role);
      const p = a.person;
      return {
        url: '/api/v1/notifications:import',
        contentType: 'text/csv',
        payload:
          'kind,insurerNumber,symbol,acquiredOn,recordedOn,name,nameKana,birthDate,sex\n' +
          `acquisition,${a.insurerNumber},${a.symbol},${a.acquiredOn},${a.recordedOn},${p.name},${p.nameKana},${p.birthDate},${p.sex}\n`,
      };
    },
    scope: {
      cases: (w, role) => {
        const { taro, ichiro, hisako } = w.people;
        const csv = (label: string, token: string, target: Person): OutOfScope => ({
          label,
          call: { url: '/api/v1/notifications:import', contentType: 'text/csv', payload: csvChange(target), token },
          target,
          expect: 'rows',
        });
        if (role === 'admin') {
          return [
            csv("A's admin uploads a change of B's member", w.token.admin, hisako),
            csv("B's admin uploads a change of A's member", w.adminB, taro),
          ];
        }
        return [
          csv('employer 1234 uploads a change of a member of 5678', w.token.employer, ichiro),
          csv("employer 1234 uploads a change of B's member", w.token.employer, hisako),
          csv("B's employer uploads a change of A's member", w.employerB, taro),
        ];
      },
    },
  },
  'GET /api/v1/members': {
    request: () => ({ url: `/api/v1/members?kana=${encodeURIComponent('キョウカイ')}` }),
    scope: {
      cases: (w, role) => {
        const { taro, ichiro, hisako } = w.people;
        const search = (label: string, query: string, token: string, target: Person): OutOfScope => ({
          label,
          call: { url: `/api/v1/members?${query}`, token },
          target,
          expect: 'empty',
        });
        const kana = (p: Person) => `kana=${encodeURIComponent(p.nameKana.split(' ')[0] ?? '')}`;
        if (role === 'admin') {
          return [
            search("A's admin searches B's member by kana", kana(hisako), w.token.admin, hisako),
            search(
              "A's admin searches B's member by birth date",
              `birthDate=${hisako.birthDate}`,
              w.token.admin,
              hisako,
            ),
            search("B's admin searches A's member by kana", kana(taro), w.adminB, taro),
          ];
        }
        return [
          search('employer 1234 asks for 記号 5678', `symbol=${ichiro.symbol}`, w.token.employer, ichiro),
          search('employer 1234 searches a member of 5678 by kana', kana(ichiro), w.token.employer, ichiro),
          search("employer 1234 searches B's member by kana", kana(hisako), w.token.employer, hisako),
          search("B's employer searches A's member by birth date", `birthDate=${taro.birthDate}`, w.employerB, taro),
        ];
      },
    },
  },
  'GET /api/v1/members/:id': {
    request: (w) => ({ url: `/api/v1/members/${w.people.taro.memberId}` }),
    scope: {
      cases: (w, role) => {
        const { taro, hanako, ichiro, hisako } = w.people;
        const view = (label: string, token: string, target: Person): OutOfScope => ({
          label,
          call: { url: `/api/v1/members/${target.memberId}`, token },
          target,
        });
        if (role === 'admin') {
          return [
            view("A's admin views B's member", w.token.admin, hisako),
            view("B's admin views A's member", w.adminB, taro),
            view("B's admin views A's dependent", w.adminB, hanako),
          ];
        }
        return [
          view('employer 1234 views a member of 5678', w.token.employer, ichiro),
          view("employer 1234 views B's member", w.token.employer, hisako),
          view('employer 5678 views a member of 1234', w.employerA5678, taro),
          view('employer 5678 views a dependent under 1234', w.employerA5678, hanako),
          view("B's employer views A's member", w.employerB, taro),
        ];
      },
    },
  },
  'POST /api/v1/members/:id/legacy-cards': {
    request: (w) => ({
      url: `/api/v1/members/${w.people.ichiro.memberId}/legacy-cards`,
      payload: { issuedOn: '2023-04-01' },
    }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin records a legacy card for B's member",
          call: {
            url: `/api/v1/members/${w.people.hisako.memberId}/legacy-cards`,
            payload: { issuedOn: '2023-04-01' },
          },
          target: w.people.hisako,
        },
        {
          label: "B's admin records a legacy card for A's member",
          call: {
            url: `/api/v1/members/${w.people.taro.memberId}/legacy-cards`,
            payload: { issuedOn: '2023-04-01' },
            token: w.adminB,
          },
          target: w.people.taro,
        },
      ],
    },
  },

  // A legacy card's life (issue #16 point 5): each action on a card of its own, one end per card.
  ...legacyCardAction(':return', { returnedOn: '2025-11-20' }),
  ...legacyCardAction(':dispose', { disposedOn: '2026-11-20' }),
  ...legacyCardAction(':report-lost', { reportedLostOn: '2026-11-20' }),

  // Paper certificates issued on approval to 資格確認書 holders (issue #16 point 8).
  'GET /api/v1/members/:id/paper-certificates': {
    request: async (w, role) => ({
      url: `/api/v1/members/${(await freshPaperCertificate(w, role)).memberId}/paper-certificates`,
    }),
    scope: {
      cases: (w, role) => paperCases(w, role, (paper) => `/api/v1/members/${paper.memberId}/paper-certificates`),
    },
  },
  'GET /api/v1/paper-certificates/:id([^:/.]+).pdf': {
    request: async (w, role) => ({
      url: `/api/v1/paper-certificates/${(await freshPaperCertificate(w, role)).paperId}.pdf`,
    }),
    scope: { cases: (w, role) => paperCases(w, role, (paper) => `/api/v1/paper-certificates/${paper.paperId}.pdf`) },
  },

  // --- 資格確認書, applications, お知らせ, the portal screen (issue #3) --------------------------------
  'POST /api/v1/certificates::issue-ex-officio': {
    request: () => ({
      url: '/api/v1/certificates:issue-ex-officio',
      payload: { insurerNumber: A, asOf: '2026-11-23', dryRun: true },
    }),
    scope: {
      cases: (w) =>
        insurerRunCases(w, '/api/v1/certificates:issue-ex-officio', (insurerNumber) => ({
          insurerNumber,
          asOf: '2026-11-23',
          dryRun: true,
        })),
    },
  },
  'GET /api/v1/certificate-runs/:id': {
    request: (w) => ({ url: `/api/v1/certificate-runs/${w.runs.a}` }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin reads B's run",
          call: { url: `/api/v1/certificate-runs/${w.runs.b}` },
          target: w.people.mitodoke,
          secrets: [w.people.mitodoke.memberId, w.people.hisako.memberId],
        },
        {
          label: "B's admin reads A's run",
          call: { url: `/api/v1/certificate-runs/${w.runs.a}`, token: w.adminB },
          target: w.people.ichiro,
          secrets: [w.people.ichiro.memberId, w.people.nomynumber.memberId],
        },
      ],
    },
  },
  'POST /api/v1/certificates': {
    request: async (w, role) => ({
      url: '/api/v1/certificates',
      payload: { memberId: await memberInScope(w, role), reason: 'needs_assistance', recordedOn: '2026-11-20' },
    }),
    scope: {
      cases: (w, role) =>
        memberBodyCases(w, role, '/api/v1/certificates', (memberId) => ({
          memberId,
          reason: 'needs_assistance',
          recordedOn: '2026-11-20',
        })),
    },
  },
  'GET /api/v1/certificates/:id([^:/.]+)': {
    request: (w) => ({ url: `/api/v1/certificates/${w.certs.taro}` }),
    scope: { cases: (w, role) => documentCases(w, role, certificateIds(w), (id) => `/api/v1/certificates/${id}`) },
  },
  'GET /api/v1/certificates/:id([^:/.]+).pdf': {
    request: (w) => ({ url: `/api/v1/certificates/${w.certs.taro}.pdf` }),
    scope: { cases: (w, role) => documentCases(w, role, certificateIds(w), (id) => `/api/v1/certificates/${id}.pdf`) },
  },
  'POST /api/v1/certificates/:id([^:/.]+)::reissue': {
    request: async (w, role) => ({
      url: `/api/v1/certificates/${await freshCertificate(w, role)}:reissue`,
      payload: {},
    }),
    scope: {
      cases: (w, role) => documentCases(w, role, certificateIds(w), (id) => `/api/v1/certificates/${id}:reissue`, {}),
    },
  },
  'POST /api/v1/certificates/:id([^:/.]+)::collect': {
    request: async (w, role) => ({
      url: `/api/v1/certificates/${await freshCertificate(w, role)}:collect`,
      payload: {},
    }),
    scope: {
      cases: (w, role) => documentCases(w, role, certificateIds(w), (id) => `/api/v1/certificates/${id}:collect`, {}),
    },
  },
  'POST /api/v1/certificates/:id([^:/.]+)::report-lost': {
    request: async (w, role) => ({
      url: `/api/v1/certificates/${await freshCertificate(w, role)}:report-lost`,
      payload: {},
    }),
    scope: {
      cases: (w, role) =>
        documentCases(w, role, certificateIds(w), (id) => `/api/v1/certificates/${id}:report-lost`, {}),
    },
  },
  'POST /api/v1/applications': {
    request: async (w, role) => ({
      url: '/api/v1/applications',
      payload: { kind: 'limit_certification', memberId: await memberInScope(w, role), recordedOn: '2026-11-20' },
    }),
    scope: {
      cases: (w, role) =>
        memberBodyCases(w, role, '/api/v1/applications', (memberId) => ({
          kind: 'limit_certification',
          memberId,
          recordedOn: '2026-11-20',
        })),
    },
  },
  'GET /api/v1/applications': {
    request: () => ({ url: '/api/v1/applications' }),
    scope: {
      cases: (w) => [
        {
          label: "A's queue holds nothing of B",
          call: { url: '/api/v1/applications' },
          target: w.people.hisako,
          expect: 'clean',
          secrets: [w.people.hisako.memberId],
        },
        {
          label: "B's queue holds nothing of A",
          call: { url: '/api/v1/applications', token: w.adminB },
          target: w.people.taro,
          expect: 'clean',
          secrets: [w.people.taro.memberId],
        },
      ],
    },
  },
  'GET /api/v1/applications/:id([^:/]+)': {
    request: (w) => ({ url: `/api/v1/applications/${w.apps.taro}` }),
    scope: {
      cases: (w, role) => {
        const { taro, hisako } = w.people;
        const at = (label: string, id: string, token: string | undefined, target: Person): OutOfScope => ({
          label,
          call: { url: `/api/v1/applications/${id}`, ...(token ? { token } : {}) },
          target,
          secrets: [target.memberId],
        });
        if (role === 'admin') {
          return [
            at("A's admin, B's application", w.apps.hisako, undefined, hisako),
            at("B's admin, A's application", w.apps.taro, w.adminB, taro),
          ];
        }
        return [
          at("太郎, B's application", w.apps.hisako, undefined, hisako),
          at("一郎, 太郎's application", w.apps.taro, w.memberIchiro, taro),
          at("花子 (a dependent), her insured's application", w.apps.taro, w.memberHanako, taro),
        ];
      },
    },
  },
  'POST /api/v1/applications/:id([^:/]+)::approve': {
    request: async (w) => ({ url: `/api/v1/applications/${await freshApplication(w)}:approve`, payload: {} }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin approves B's application",
          call: { url: `/api/v1/applications/${w.apps.hisako}:approve`, payload: {} },
          target: w.people.hisako,
          secrets: [w.people.hisako.memberId],
        },
        {
          label: "B's admin approves A's application",
          call: { url: `/api/v1/applications/${w.apps.taro}:approve`, payload: {}, token: w.adminB },
          target: w.people.taro,
          secrets: [w.people.taro.memberId],
        },
      ],
    },
  },
  'POST /api/v1/applications/:id([^:/]+)::refuse': {
    request: async (w) => ({ url: `/api/v1/applications/${await freshApplication(w)}:refuse`, payload: {} }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin refuses B's application",
          call: { url: `/api/v1/applications/${w.apps.hisako}:refuse`, payload: {} },
          target: w.people.hisako,
          secrets: [w.people.hisako.memberId],
        },
        {
          label: "B's admin refuses A's application",
          call: { url: `/api/v1/applications/${w.apps.taro}:refuse`, payload: {}, token: w.adminB },
          target: w.people.taro,
          secrets: [w.people.taro.memberId],
        },
      ],
    },
  },
  'POST /api/v1/notices::issue': {
    request: async (w) => ({
      url: '/api/v1/notices:issue',
      payload: { insurerNumber: A, asOf: '2026-11-20', memberIds: [await freshMember(w)] },
    }),
    scope: {
      cases: (w) =>
        insurerRunCases(w, '/api/v1/notices:issue', (insurerNumber) => ({ insurerNumber, asOf: '2026-11-20' })),
    },
  },
  'GET /api/v1/notices/:id([^:/.]+).pdf': {
    request: (w) => ({ url: `/api/v1/notices/${w.notices.taro}.pdf` }),
    scope: {
      cases: (w, role) =>
        documentCases(
          w,
          role,
          {
            a: w.notices.taro,
            aOwner: w.people.taro,
            other: w.notices.ichiro,
            otherOwner: w.people.ichiro,
            b: w.notices.hisako,
            bOwner: w.people.hisako,
          },
          (id) => `/api/v1/notices/${id}.pdf`,
        ),
    },
  },
  'GET /api/v1/me/qualification': {
    request: () => ({ url: '/api/v1/me/qualification' }),
    scope: {
      cases: (w) => [
        {
          label: "一郎's screen shows nobody of 太郎's household",
          call: { url: '/api/v1/me/qualification', token: w.memberIchiro },
          target: w.people.taro,
          expect: 'clean',
          secrets: [w.people.taro.memberId],
        },
        {
          label: "花子's screen (a dependent) does not show her insured",
          call: { url: '/api/v1/me/qualification', token: w.memberHanako },
          target: w.people.taro,
          expect: 'clean',
          secrets: [w.people.taro.memberId],
        },
        {
          label: "太郎's screen shows nobody of B",
          call: { url: '/api/v1/me/qualification' },
          target: w.people.hisako,
          expect: 'clean',
          secrets: [w.people.hisako.memberId],
        },
      ],
    },
  },
  'GET /api/v1/me/qualification.pdf': {
    request: () => ({ url: '/api/v1/me/qualification.pdf' }),
    scope: {
      none:
        "the token's own household only: built by the very function of GET /api/v1/me/qualification, whose " +
        'entry checks the content (a PDF does not carry names as searchable text)',
    },
  },

  // --- the screens' routes (issue #4) ---------------------------------------------------------------
  'GET /api/v1/whoami': {
    request: () => ({ url: '/api/v1/whoami' }),
    scope: { none: "the caller's own token only: no target" },
  },
  'GET /api/v1/insurers/:insurerNumber/dashboard': {
    request: () => ({ url: `/api/v1/insurers/${A}/dashboard` }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin opens B's dashboard (B's member without a My Number would be listed)",
          call: { url: `/api/v1/insurers/${B}/dashboard` },
          target: w.people.mitodoke,
        },
        {
          label: "B's admin opens A's dashboard",
          call: { url: `/api/v1/insurers/${A}/dashboard`, token: w.adminB },
          target: w.people.nomynumber,
        },
      ],
    },
  },
  'GET /api/v1/insurers/:insurerNumber/dependents-losing-cover': {
    request: () => ({ url: `/api/v1/insurers/${A}/dependents-losing-cover` }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin lists B's dependents losing cover",
          call: { url: `/api/v1/insurers/${B}/dependents-losing-cover` },
          target: w.people.mitodoke,
        },
        {
          label: "B's admin lists A's dependents losing cover",
          call: { url: `/api/v1/insurers/${A}/dependents-losing-cover`, token: w.adminB },
          target: w.people.nomynumber,
        },
      ],
    },
  },
  'GET /api/v1/members/:id/timeline': {
    request: (w) => ({ url: `/api/v1/members/${w.people.taro.memberId}/timeline` }),
    scope: {
      cases: (w) => [
        {
          label: "A's admin opens the timeline of B's member",
          call: { url: `/api/v1/members/${w.people.hisako.memberId}/timeline` },
          target: w.people.hisako,
        },
        {
          label: "B's admin opens the timeline of A's member",
          call: { url: `/api/v1/members/${w.people.taro.memberId}/timeline`, token: w.adminB },
          target: w.people.taro,
        },
      ],
    },
  },

  // --- verification (provider) -----------------------------------------------------------------------
  'GET /api/v1/verifications/challenge': {
    request: () => ({ url: '/api/v1/verifications/challenge' }),
    scope: { none: 'a fresh challenge bound to the caller: no target' },
  },
  'POST /api/v1/verifications': {
    request: (w) => ({ url: '/api/v1/verifications', payload: numberCheckOf(w.people.ichiro) }),
    scope: {
      cases: async (w) => {
        // P2's terminal had the card sign P2's challenge; P1 presents that signature as its own.
        const p2 = systemActor('provider', { providerCode: OTHER_PROVIDER });
        const { challenge } = await issueChallenge(w.ctx, p2);
        const signed = await signWithCard(w.ctx, p2, w.cards.hisako, { challenge, pin: DEMO_PIN });
        return [
          {
            label: "P1 presents a card signature over P2's challenge",
            call: {
              url: '/api/v1/verifications',
              payload: {
                method: 'card',
                card: { certificate: signed.certificate, challenge, signature: signed.signature },
                identityCheck: 'pin',
              },
            },
            target: w.people.hisako,
            expect: 'undisclosed',
          },
        ];
      },
    },
  },

  'POST /api/v1/verifications::batch': {
    request: (w) => ({
      url: '/api/v1/verifications:batch',
      payload: { items: [{ ref: 'a', ...numberCheckOf(w.people.ichiro) }] },
    }),
    scope: { none: `checks by 記号・番号 as POST /api/v1/verifications, no card: ${VERIFY_NONE}` },
  },
  'GET /api/v1/verification-alerts': {
    request: () => ({ url: '/api/v1/verification-alerts' }),
    scope: {
      cases: async (w) => {
        // P2 misses five times on a 記号・番号 of A: the lock is an alert for A's admin alone.
        const p2 = systemActor('provider', { providerCode: OTHER_PROVIDER });
        const { taro } = w.people;
        for (let i = 0; i < MISS_LIMIT; i++) {
          await verify(w.ctx, p2, {
            method: 'number',
            asOf: '2025-12-01',
            document: 'legacy_card',
            insurerNumber: taro.insurerNumber,
            symbol: taro.symbol,
            number: '9876543',
            birthDate: '1990-01-01',
          }).catch(() => undefined);
        }
        return [
          {
            label: "B's admin lists the alerts: none of A's",
            call: { url: '/api/v1/verification-alerts', token: w.adminB },
            target: taro,
            expect: 'clean',
            secrets: ['9876543', OTHER_PROVIDER],
          },
        ];
      },
    },
  },

  // --- operations ----------------------------------------------------------------------------------
  'GET /metrics': {
    request: () => ({ url: '/metrics' }),
    scope: { none: 'operator only: Prometheus counters without personal data (docs/OPERATIONS.md)' },
  },

  // --- FHIR ------------------------------------------------------------------------------------------
  'GET /fhir/R4/Organization/:id': {
    request: () => ({ url: `/fhir/R4/Organization/${A}` }),
    scope: { none: 'associations are public bodies: 保険者番号 and name only, no personal data' },
  },
  'GET /fhir/R4/Organization': {
    request: () => ({ url: `/fhir/R4/Organization?identifier=${A}` }),
    scope: { none: 'associations are public bodies: 保険者番号 and name only, no personal data' },
  },
  'GET /fhir/R4/Patient/:id': {
    request: (w) => ({ url: `/fhir/R4/Patient/${w.people.taro.memberId}` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Patient/${p.memberId}`, false) },
  },
  'GET /fhir/R4/Patient/:id/_history': {
    request: (w) => ({ url: `/fhir/R4/Patient/${w.people.taro.memberId}/_history` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Patient/${p.memberId}/_history`, false) },
  },
  'GET /fhir/R4/Patient/:id/_history/:vid': {
    request: (w) => ({ url: `/fhir/R4/Patient/${w.people.taro.memberId}/_history/1` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Patient/${p.memberId}/_history/1`, false) },
  },
  'GET /fhir/R4/Patient': {
    request: (w) => ({ url: `/fhir/R4/Patient?_id=${w.people.taro.memberId}` }),
    scope: {
      cases: (w) => [
        ...disclosedCases(w, (p) => `/fhir/R4/Patient?_id=${p.memberId}`, true),
        {
          label: 'P1 searches by the birth date of a person it never verified',
          call: { url: `/fhir/R4/Patient?birthdate=${w.people.hanako.birthDate}` },
          target: w.people.hanako,
          expect: 'empty',
        },
      ],
    },
  },
  'GET /fhir/R4/Coverage/:id': {
    request: (w) => ({ url: `/fhir/R4/Coverage/${w.people.taro.memberId}` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Coverage/${p.memberId}`, false) },
  },
  'GET /fhir/R4/Coverage/:id/_history': {
    request: (w) => ({ url: `/fhir/R4/Coverage/${w.people.taro.memberId}/_history` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Coverage/${p.memberId}/_history`, false) },
  },
  'GET /fhir/R4/Coverage/:id/_history/:vid': {
    request: (w) => ({ url: `/fhir/R4/Coverage/${w.people.taro.memberId}/_history/1` }),
    scope: { cases: (w) => disclosedCases(w, (p) => `/fhir/R4/Coverage/${p.memberId}/_history/1`, false) },
  },
  'GET /fhir/R4/Coverage': {
    request: (w) => ({ url: `/fhir/R4/Coverage?beneficiary=Patient/${w.people.taro.memberId}` }),
    scope: {
      cases: (w) => [
        ...disclosedCases(w, (p) => `/fhir/R4/Coverage?beneficiary=Patient/${p.memberId}`, true),
        ...[w.people.hanako, w.people.hisako].map(
          (p): OutOfScope => ({
            label: `P1 searches the 記号・番号 of ${p.key}, never verified`,
            call: {
              url: `/fhir/R4/Coverage?identifier=${encodeURIComponent(`${p.insurerNumber}:${p.symbol}:${p.number}:${p.branch}`)}`,
            },
            target: p,
            expect: 'empty',
          }),
        ),
      ],
    },
  },
  'POST /fhir/R4/CoverageEligibilityRequest/$submit': {
    request: (w) => ({
      url: '/fhir/R4/CoverageEligibilityRequest/$submit',
      payload: eligibilityRequest(w.people.ichiro),
    }),
    scope: { none: VERIFY_NONE },
  },
  'POST /fhir/R4/CoverageEligibilityRequest/$challenge': {
    request: () => ({ url: '/fhir/R4/CoverageEligibilityRequest/$challenge' }),
    scope: { none: 'a fresh challenge bound to the caller: no target' },
  },
  'GET /fhir/R4/AuditEvent/:id': {
    request: (w) => ({ url: `/fhir/R4/AuditEvent/${w.audit.taro}` }),
    scope: {
      cases: (w, role) =>
        role === 'operator'
          ? []
          : [
              {
                label: "A's admin reads an audit record of B about its member",
                call: { url: `/fhir/R4/AuditEvent/${w.audit.hisako}` },
                target: w.people.hisako,
                secrets: [w.people.hisako.memberId],
              },
              {
                label: "B's admin reads an audit record of A about its member",
                call: { url: `/fhir/R4/AuditEvent/${w.audit.taro}`, token: w.adminB },
                target: w.people.taro,
                secrets: [w.people.taro.memberId],
              },
            ],
    },
  },
  'GET /fhir/R4/AuditEvent': {
    request: (w) => ({ url: `/fhir/R4/AuditEvent?patient=Patient/${w.people.taro.memberId}` }),
    scope: {
      cases: (w, role) =>
        role === 'operator'
          ? []
          : [
              {
                label: "A's admin searches the audit trail of B's member",
                call: { url: `/fhir/R4/AuditEvent?patient=Patient/${w.people.hisako.memberId}` },
                target: w.people.hisako,
                expect: 'empty',
              },
              {
                label: "B's admin searches the audit trail of A's member",
                call: { url: `/fhir/R4/AuditEvent?patient=Patient/${w.people.taro.memberId}`, token: w.adminB },
                target: w.people.taro,
                expect: 'empty',
              },
            ],
    },
  },
  // OQS-compatible interface (issue #15): the provider's code is the token's, and must be the
  // envelope's MedicalInstitutionCode; a bulk request is visible only to the provider that posted it.
  'POST /oqs-api-pro/MSA01030/ILI01030SV01/search': {
    request: (w) => ({ url: '/oqs-api-pro/MSA01030/ILI01030SV01/search', payload: oqsSearch(w.people.ichiro) }),
    scope: {
      cases: (w) => [
        {
          label: "P1 sends P2's 医療機関コード as MedicalInstitutionCode",
          call: {
            url: '/oqs-api-pro/MSA01030/ILI01030SV01/search',
            payload: oqsSearch(w.people.ichiro, OTHER_PROVIDER),
          },
          target: w.people.ichiro,
          status: [403],
        },
      ],
    },
  },
  'POST /oqs-api-pro/bulk': {
    request: (w) => ({ url: '/oqs-api-pro/bulk', payload: oqsBulk(w.people.ichiro) }),
    scope: {
      cases: (w) => [
        {
          label: "P1 queues a bulk request under P2's 医療機関コード",
          call: { url: '/oqs-api-pro/bulk', payload: oqsBulk(w.people.ichiro, OTHER_PROVIDER) },
          target: w.people.ichiro,
          status: [403],
        },
      ],
    },
  },
  'GET /oqs-api-pro/bulk/:receptionNumber': {
    request: async (w) => ({ url: `/oqs-api-pro/bulk/${await receptionOf(w, DEMO_PROVIDER)}` }),
    scope: {
      cases: async (w) => [
        {
          label: "P2 fetches P1's bulk results",
          call: { url: `/oqs-api-pro/bulk/${await receptionOf(w, DEMO_PROVIDER)}`, token: w.providerP2 },
          target: w.people.ichiro,
          status: [404],
        },
      ],
    },
  },
  'POST /api/v1/verifications::oqs': {
    request: (w) => {
      const p = w.people.ichiro;
      return {
        url: '/api/v1/verifications:oqs',
        payload: {
          method: 'number',
          asOf: '2025-12-01',
          document: 'legacy_card',
          insurerNumber: p.insurerNumber,
          symbol: p.symbol,
          number: p.number,
          branch: p.branch,
          birthDate: p.birthDate,
        },
      };
    },
    scope: { none: VERIFY_NONE },
  },
};

function oqsInfo(p: Person) {
  return {
    InsurerNumber: p.insurerNumber,
    InsuredCardSymbol: p.symbol,
    InsuredIdentificationNumber: p.number,
    InsuredBranchNumber: p.branch,
    Birthdate: p.birthDate.replaceAll('-', ''),
    LimitApplicationCertificateRelatedConsFlg: '1',
  };
}

function oqsSearch(p: Person, provider = DEMO_PROVIDER) {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: '20261123', MedicalInstitutionCode: provider },
      MessageBody: { QualificationConfirmSearchInfo: oqsInfo(p) },
    },
  };
}

function oqsBulk(p: Person, provider = DEMO_PROVIDER) {
  return {
    XmlMsg: {
      MessageHeader: { QualificationConfirmationDate: '20261124', MedicalInstitutionCode: provider },
      MessageBody: { QualificationConfirmSearchInfo: [oqsInfo(p)] },
    },
  };
}

/** A bulk request queued by `provider` (about 一郎). */
async function receptionOf(w: World, provider: string): Promise<string> {
  const actor = systemActor('provider', { providerCode: provider });
  const reply = await postBulk(w.ctx, actor, { format: 'json', body: oqsBulk(w.people.ichiro, provider) });
  const body = (reply.message.XmlMsg as { MessageBody: { ReceptionNumber: string } }).MessageBody;
  return body.ReceptionNumber;
}

/** A public route (no roles) under /api/ or /fhir/: why it is public, and a request it must answer. */
export interface PublicRoute {
  reason: string;
  request: (w: World) => Call | Promise<Call>;
}

export const PUBLIC: Record<string, PublicRoute> = {
  'GET /fhir/R4/metadata': {
    reason: 'the CapabilityStatement is public by the FHIR spec; no data',
    request: () => ({ url: '/fhir/R4/metadata' }),
  },
  'GET /fhir/R4/CodeSystem/:id': {
    reason: 'our code systems (reason, fallback, error codes) are public definitions',
    request: () => ({ url: `/fhir/R4/CodeSystem/${codeSystems()[0]?.id ?? ''}` }),
  },
  'GET /fhir/R4/CodeSystem': {
    reason: 'our code systems (reason, fallback, error codes) are public definitions',
    request: () => ({ url: '/fhir/R4/CodeSystem' }),
  },
  'GET /fhir/R4/OperationDefinition/:id': {
    reason: 'the definition of $challenge: public, no data',
    request: () => ({ url: `/fhir/R4/OperationDefinition/${challengeOperationDefinition().id ?? ''}` }),
  },
  'GET /api/v1/me/challenge': {
    reason: 'portal login step 1: the card is the credential; a challenge names nobody (rate-limited per IP)',
    request: () => ({ url: '/api/v1/me/challenge' }),
  },
  'POST /api/v1/me/card::sign': {
    reason: "the member's own reader: signs only portal challenges, always with the PIN (3 wrong tries lock)",
    request: async (w) => ({
      url: '/api/v1/me/card:sign',
      payload: { cardId: w.cards.taro, challenge: (await issuePortalChallenge(w.ctx)).challenge, pin: DEMO_PIN },
    }),
  },
  'POST /api/v1/me/session': {
    reason: "portal login: a card signature over a portal challenge is the credential (the holder's session only)",
    request: async (w) => {
      const { challenge } = await issuePortalChallenge(w.ctx);
      const signed = await signPortalChallenge(w.ctx, { cardId: w.cards.taro, challenge, pin: DEMO_PIN });
      return {
        url: '/api/v1/me/session',
        payload: { challenge, certificate: signed.certificate, signature: signed.signature },
      };
    },
  },
};

/**
 * Table entries whose route is not registered yet (another issue is adding it), with the issue.
 * The matrix asserts that the entries without a route are exactly these, so the table stays honest.
 */
export const AWAITED: Record<string, string> = {};

/** Paths outside /api/ and /fhir/ that may be served (all public: no roles), and why. */
export const OUTSIDE_API: ReadonlyArray<{ prefix: string; reason: string }> = [
  { prefix: '/healthz', reason: 'liveness: the store answers or not, no data' },
  { prefix: '/docs', reason: 'the OpenAPI description and its UI: no data' },
  { prefix: '/assets/', reason: 'the built screens (web/dist): code, no data' },
];
