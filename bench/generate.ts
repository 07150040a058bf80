/**
 * Bench data: a deterministic (seeded) association of N members written straight into the store.
 *
 *   node bin/run-ts.js bench/generate.ts [--members 1000000] [--cards 20000] [--seed shikaku]
 *        [--as-of 2026-11-20] [--db ./bench/data/bench.db | postgres://…]   (or env DATABASE_URL)
 *
 * What it makes (docs/PERFORMANCE.md lists the proportions): households of an insured and 0–4
 * dependents under employer 記号, residents (the 基本4情報 the hub matches, 1 % with a variant kanji or
 * kana so their hub registration is a mismatch, 4 % of people without a My Number), legacy 健康保険証
 * for half the members acquired before 2024-12-02, losses with their dependents, changes (address,
 * remuneration), job changes from a second association (same My Number, lost there, acquired here),
 * registrations still pending at the hub, and `--cards` My Number cards with user certificates (some
 * expired and renewed), 健康保険証利用登録 and a few returned cards.
 *
 * It writes the rows the services would write — members, member_versions, notifications (payload with
 * the My Number masked), residents, legacy_cards, cards, card_certificates, card_registrations and the
 * hash-chained audit_log with its chains' heads — with batched inserts instead of one service call per row.
 * The row shapes mirror src/services/registry/record.ts (recordVersion, finish), residents.ts, legacy-cards.ts
 * and src/cards/simulator.ts (issue, renew, register); hub statuses come from the hub's own
 * `compareWithResident`, hub dates from `hubAvailableOn`, card dates from src/domain/card-life.ts, and
 * the audit chains from `chainAuditRecords`, so `verifyAuditChain` accepts the result.
 *
 * Shortcuts (bench only, documented in docs/PERFORMANCE.md): ids come from the seeded PRNG (same shape
 * as randomUUID); certificates are minted from a template (bench/fast-cert.ts); every card shares one
 * PIN hash (PIN 1234: one scrypt instead of 20,000); the keyring is derived from the seed, so the
 * blind indexes are reproducible (ciphertexts still differ run to run: AES-GCM uses random IVs).
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { sql } from 'kysely';
import { loadLocalCa } from '../src/cards/ca.js';
import { hashPin } from '../src/cards/pin.js';
import { hubAvailableOn } from '../src/domain/calendar.js';
import { canRegister, cardExpiresOn, certificateExpiresOn } from '../src/domain/card-life.js';
import { addDays, addYears, daysBetween, type IsoDate, maxDate, minDate } from '../src/domain/dates.js';
import { insurerNumberCheckDigit } from '../src/domain/insurer-number.js';
import type { MemberFacts, ResidentFacts } from '../src/domain/member.js';
import { maskMyNumber, myNumberCheckDigit, myNumberLast4 } from '../src/domain/mynumber.js';
import { normalizeKana, normalizeKanjiName } from '../src/domain/names.js';
import { certificateValidUntil } from '../src/domain/proofs.js';
import { type Keyring, keyringFromSecret } from '../src/security/keyring.js';
import { type Actor, systemActor } from '../src/services/actor.js';
import { type ChainHead, chainAuditRecords } from '../src/services/audit.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { compareWithResident, type HubCheck } from '../src/services/hub.js';
import { createInsurer } from '../src/services/insurers.js';
import { openStore, type Store } from '../src/store/db.js';
import type { AuditLogTable } from '../src/store/schema.js';
import { type BulkWriter, bulkWriter } from './bulk.js';
import { certificateMinter } from './fast-cert.js';
import { Prng } from './prng.js';

export interface GenerateOptions {
  /** Members (insured + dependents) of the main association; job changers add a few at the second. */
  members: number;
  /** My Number cards with user certificates (default min(20,000, members / 5)). */
  cards?: number | undefined;
  seed?: string | undefined;
  /** The bench's "today": every date of the data is on or before it. */
  asOf?: IsoDate | undefined;
  /** postgres://… selects PostgreSQL; otherwise the SQLite file. */
  databaseUrl?: string | undefined;
  file?: string | undefined;
  onProgress?: ((members: number) => void) | undefined;
}

export interface GenerateReport {
  seed: string;
  asOf: IsoDate;
  mainInsurer: string;
  otherInsurer: string;
  members: number;
  households: number;
  cards: number;
  certificates: number;
  rows: Record<string, number>;
  seconds: number;
}

export const DEFAULT_SEED = 'shikaku';
export const DEFAULT_AS_OF: IsoDate = '2026-11-20';
export const PIN = '1234';

function insurerNumber(first7: string): string {
  return `${first7}${insurerNumberCheckDigit(first7)}`;
}
/** The association the bench verifies against, and the one job changers come from. */
export const MAIN_INSURER = insurerNumber('0613999');
export const OTHER_INSURER = insurerNumber('0613888');

/** The keyring of a bench seed: SHIKAKU_KEY for the server that serves the generated store. */
export function benchKeyHex(seed: string = DEFAULT_SEED): string {
  return createHash('sha256').update(`shikaku-bench-key\u0000${seed}`).digest('hex');
}
export function benchKeyring(seed: string = DEFAULT_SEED): Keyring {
  return keyringFromSecret(Buffer.from(benchKeyHex(seed), 'hex'));
}

// --- vocabulary ---------------------------------------------------------------------------------

const FAMILY: ReadonlyArray<readonly [string, string]> = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['吉田', 'ヨシダ'],
  ['山田', 'ヤマダ'],
  ['佐々木', 'ササキ'],
  ['山口', 'ヤマグチ'],
  ['松本', 'マツモト'],
  ['井上', 'イノウエ'],
  ['木村', 'キムラ'],
  ['林', 'ハヤシ'],
  ['斎藤', 'サイトウ'],
  ['清水', 'シミズ'],
  ['山崎', 'ヤマザキ'],
  ['森', 'モリ'],
  ['池田', 'イケダ'],
  ['橋本', 'ハシモト'],
];
const MALE: ReadonlyArray<readonly [string, string]> = [
  ['太郎', 'タロウ'],
  ['健太', 'ケンタ'],
  ['翔', 'ショウ'],
  ['大輔', 'ダイスケ'],
  ['誠', 'マコト'],
  ['拓也', 'タクヤ'],
  ['直樹', 'ナオキ'],
  ['蓮', 'レン'],
  ['悠真', 'ユウマ'],
  ['一郎', 'イチロウ'],
];
const FEMALE: ReadonlyArray<readonly [string, string]> = [
  ['花子', 'ハナコ'],
  ['陽子', 'ヨウコ'],
  ['美咲', 'ミサキ'],
  ['結衣', 'ユイ'],
  ['さくら', 'サクラ'],
  ['恵', 'メグミ'],
  ['愛', 'アイ'],
  ['葵', 'アオイ'],
  ['裕子', 'ユウコ'],
  ['由美', 'ユミ'],
];
const PLACES = [
  '東京都千代田区霞が関',
  '東京都新宿区西新宿',
  '東京都世田谷区三軒茶屋',
  '神奈川県横浜市中区本町',
  '神奈川県川崎市幸区堀川町',
  '埼玉県さいたま市浦和区高砂',
  '千葉県千葉市中央区市場町',
  '大阪府大阪市北区梅田',
  '愛知県名古屋市中区三の丸',
  '福岡県福岡市博多区博多駅前',
  '北海道札幌市中央区北一条西',
  '宮城県仙台市青葉区本町',
];
/** 標準報酬月額 (a selection of the health-insurance grades, yen). */
const REMUNERATION = [
  98_000, 150_000, 200_000, 240_000, 260_000, 280_000, 300_000, 320_000, 360_000, 410_000, 470_000, 530_000, 620_000,
  790_000, 980_000, 1_390_000,
];
/** Variant kanji a resident record may hold where the employer typed the common form (RULES.md §8). */
const VARIANTS: ReadonlyArray<readonly [string, string]> = [
  ['高', '髙'],
  ['崎', '﨑'],
  ['辺', '邊'],
  ['斎', '齋'],
];

// --- the generator --------------------------------------------------------------------------------

interface Person {
  index: number;
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: 'male' | 'female';
  address: string;
  myNumber: string | null;
  myNumberIndex: string | null;
  myNumberEnc: string | null;
  /** The resident record of the My Number (null without one). */
  resident: ResidentFacts | null;
  /** A move recorded at the resident register (the record then holds the new address). */
  movedOn: IsoDate | null;
}

interface Version {
  facts: MemberFacts;
  recordedOn: IsoDate;
  hub: HubCheck;
  hubAvailableOn: IsoDate;
  notificationId: string;
}

interface Member {
  id: string;
  person: Person;
  versions: Version[];
}

export async function generate(options: GenerateOptions): Promise<GenerateReport> {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const asOf = options.asOf ?? DEFAULT_AS_OF;
  const target = options.members;
  const cardTarget = options.cards ?? Math.min(20_000, Math.floor(target / 5));
  const rng = new Prng(seed);
  const keyring = benchKeyring(seed);
  const store = await openStore({ databaseUrl: options.databaseUrl, file: options.file });
  const ctx: ServiceContext = { store, keyring, clock: fixedClock(`${asOf}T00:00:00Z`) };
  try {
    await assertEmpty(store);
    const operator = systemActor('operator');
    for (const [number, name] of [
      [MAIN_INSURER, 'シカク健康保険組合 (bench)'],
      [OTHER_INSURER, 'テンショク健康保険組合 (bench)'],
    ] as const) {
      await createInsurer(ctx, operator, {
        insurerNumber: number,
        name,
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'ex_officio',
      });
    }
    const ca = await loadLocalCa(ctx);
    const caRow = await store.db.selectFrom('ca').select('private_key_enc').executeTakeFirstOrThrow();
    const minter = await certificateMinter(ca, createPrivateKey(keyring.decrypt(caRow.private_key_enc)));
    const pinHash = await hashPin(keyring, PIN);
    const heads = await store.db.selectFrom('audit_chains').select(['chain', 'seq', 'hash']).execute();
    const top = await store.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirstOrThrow();

    const writer = await bulkWriter(store, options.databaseUrl);
    const audit = auditChain(
      writer,
      Number(top.seq ?? 0),
      new Map(heads.map((h) => [h.chain, { seq: Number(h.seq), hash: h.hash }])),
    );
    const world = new World(
      rng,
      keyring,
      writer,
      audit,
      asOf,
      minter,
      pinHash,
      cardTarget / Math.max(1, target * 0.96),
    );

    let households = 0;
    let nextProgress = 100_000;
    while (world.mainMembers < target) {
      world.household(target - world.mainMembers);
      households++;
      if (world.mainMembers >= nextProgress) {
        options.onProgress?.(world.mainMembers);
        nextProgress += 100_000;
      }
      if ((households & 63) === 0) await writer.ready();
    }
    await writer.close();
    await moveAuditHeads(store, audit.moved());
    return {
      seed,
      asOf,
      mainInsurer: MAIN_INSURER,
      otherInsurer: OTHER_INSURER,
      members: world.mainMembers,
      households,
      cards: world.cards,
      certificates: world.certificates,
      rows: Object.fromEntries(writer.counts),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await store.close();
  }
}

/** Writes the chains' heads; on PostgreSQL also moves audit_log_seq past the rows written directly. */
async function moveAuditHeads(store: Store, moved: ReadonlyMap<string, ChainHead>): Promise<void> {
  for (const [chain, head] of moved) {
    await store.db
      .insertInto('audit_chains')
      .values({ chain, ...head })
      .onConflict((oc) => oc.column('chain').doUpdateSet(head))
      .execute();
  }
  if (store.dialect === 'postgres') {
    await sql`select setval('audit_log_seq', (select max(seq) from audit_log))`.execute(store.db);
  }
}

async function assertEmpty(store: Store): Promise<void> {
  const row = await store.db.selectFrom('members').select('id').limit(1).executeTakeFirst();
  if (row) throw new Error('the store already holds members: generate into a new database');
}

interface AuditChain {
  append(
    at: string,
    actor: Actor,
    action: string,
    insurerNumber: string | null,
    memberId: string | null,
    detail: Record<string, unknown>,
  ): void;
  /** The heads the chains moved to (written once at the end). */
  moved(): ReadonlyMap<string, ChainHead>;
}

/** The audit chains (src/services/audit.ts) continued from `heads` after seq `top`, as the services chain them. */
function auditChain(writer: BulkWriter, top: number, heads: ReadonlyMap<string, ChainHead>): AuditChain {
  const current = new Map(heads);
  const moved = new Map<string, ChainHead>();
  let seq = top;
  return {
    append(at, actor, action, insurerNumber, memberId, detail) {
      const { rows, moved: head } = chainAuditRecords(
        current,
        [++seq],
        [{ actor, at, entry: { action, insurerNumber, memberId, detail } }],
      );
      const [chain, next] = [...head][0] as [string, ChainHead];
      current.set(chain, next);
      moved.set(chain, next);
      writer.add('audit_log', { ...(rows[0] as AuditLogTable) });
    },
    moved: () => moved,
  };
}

const ADMIN = systemActor('admin');
const OPERATOR = systemActor('operator');
const HOUSEHOLDS_PER_SYMBOL = 110;
/** The day the legacy 健康保険証 ended and 資格確認書 were issued ex officio (RULES.md §1). */
const CERTIFICATES_FROM: IsoDate = '2025-12-02';

class World {
  mainMembers = 0;
  cards = 0;
  certificates = 0;
  private persons = 0;
  private householdIndex = 0;
  private otherNumber = 0;
  private readonly numbers = new Map<string, number>();
  private readonly newPersons: Person[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly keyring: Keyring,
    private readonly writer: BulkWriter,
    private readonly audit: AuditChain,
    private readonly asOf: IsoDate,
    private readonly minter: Awaited<ReturnType<typeof certificateMinter>>,
    private readonly pinHash: string,
    private readonly cardChance: number,
  ) {}

  private date(from: IsoDate, to: IsoDate): IsoDate {
    if (to <= from) return from;
    return addDays(from, this.rng.int(0, daysBetween(from, to)));
  }

  private person(
    family: readonly [string, string],
    sex: 'male' | 'female',
    birthDate: IsoDate,
    address: string,
  ): Person {
    const index = ++this.persons;
    const [given, givenKana] = this.rng.pick(sex === 'male' ? MALE : FEMALE);
    const hasMyNumber = !this.rng.chance(0.04);
    let myNumber: string | null = null;
    if (hasMyNumber) {
      const first11 = String(30_000_000_000 + index * 7).padStart(11, '0');
      myNumber = `${first11}${myNumberCheckDigit(first11)}`;
    }
    const person: Person = {
      index,
      name: normalizeKanjiName(`${family[0]} ${given}`),
      nameKana: normalizeKana(`${family[1]} ${givenKana}`),
      birthDate,
      sex,
      address,
      myNumber,
      myNumberIndex: myNumber ? this.keyring.blindIndex(myNumber) : null,
      myNumberEnc: myNumber ? this.keyring.encrypt(myNumber) : null,
      resident: null,
      movedOn: null,
    };
    if (myNumber) person.resident = this.residentOf(person);
    this.newPersons.push(person);
    return person;
  }

  /** The resident record (住民票); 1 % differ from what the employer will type (variant kanji, kana, address). */
  private residentOf(p: Person): ResidentFacts {
    let { name, nameKana, address } = p;
    if (this.rng.chance(0.01)) {
      const variant = VARIANTS.find(([common]) => name.includes(common));
      const roll = this.rng.int(0, 2);
      if (variant && roll === 0) name = name.replace(variant[0], variant[1]);
      else if (roll === 1) nameKana = `${nameKana}ー`;
      else address = `${address}号`;
    }
    return { name, nameKana, birthDate: p.birthDate, sex: p.sex, address };
  }

  /** Writes the resident records of the household as they stand at the end (after any move). */
  private writeResidents(): void {
    for (const p of this.newPersons) {
      const r = p.resident;
      if (r === null) continue;
      const at = `${maxDate('2016-01-01', addDays(p.birthDate, 30))}T00:00:00.000Z`;
      this.writer.add('residents', {
        my_number_index: p.myNumberIndex,
        my_number_enc: p.myNumberEnc,
        name: r.name,
        name_kana: r.nameKana,
        birth_date: r.birthDate,
        sex: r.sex,
        address: r.address,
        updated_at: p.movedOn ? `${p.movedOn}T00:00:00.000Z` : at,
      });
      this.audit.append(at, OPERATOR, 'resident.upsert', null, null, { created: true });
      if (p.movedOn)
        this.audit.append(`${p.movedOn}T00:00:00.000Z`, OPERATOR, 'resident.upsert', null, null, { created: false });
    }
    this.newPersons.length = 0;
  }

  private hubCheck(p: Person, facts: MemberFacts): HubCheck {
    if (p.myNumberIndex === null) return { status: 'no_my_number', fields: [], nearMatch: [] };
    return compareWithResident(facts, p.resident);
  }

  private nextNumber(insurer: string, symbol: string): string {
    const key = `${insurer}:${symbol}`;
    const n = (this.numbers.get(key) ?? 0) + 1;
    this.numbers.set(key, n);
    return String(n);
  }

  /** A recorded date for something that happened on `on`: a few days later, never after asOf. */
  private recordedFor(on: IsoDate, floor: IsoDate): IsoDate {
    return minDate(this.asOf, maxDate(floor, addDays(on, this.rng.int(0, 10))));
  }

  private version(member: Member, facts: MemberFacts, recordedOn: IsoDate): Version {
    const v: Version = {
      facts: { ...facts },
      recordedOn,
      hub: this.hubCheck(member.person, facts),
      hubAvailableOn: hubAvailableOn(recordedOn),
      notificationId: this.rng.uuid(),
    };
    member.versions.push(v);
    return v;
  }

  /** One household: an insured and 0–4 dependents, then what happened to them. */
  household(room: number): void {
    const rng = this.rng;
    const h = this.householdIndex++;
    const symbol = String(1001 + Math.floor(h / HOUSEHOLDS_PER_SYMBOL));
    const family = rng.pick(FAMILY);
    const address = `${rng.pick(PLACES)}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)}`;
    const asOf = this.asOf;

    // The insured: 20–69, with 3 % aged 70–74 (高齢受給者).
    const age = rng.chance(0.03) ? rng.int(70, 74) : rng.int(20, 69);
    const insuredBirth = addDays(addYears(asOf, -age - 1), rng.int(1, 365));
    const insuredSex = rng.chance(0.6) ? 'male' : 'female';
    const insuredPerson = this.person(family, insuredSex, insuredBirth, address);
    const earliest = maxDate('1995-04-01', addYears(insuredBirth, 18));
    const acquiredOn = this.date(earliest, addDays(asOf, -20));
    const pending = rng.chance(0.003);
    const recordedOn = pending ? addDays(asOf, -rng.int(0, 1)) : this.recordedFor(acquiredOn, acquiredOn);
    const remuneration = rng.pick(REMUNERATION);

    // A job change: the same person was insured at the other association until acquiredOn.
    if (!pending && rng.chance(0.03) && acquiredOn > '2000-01-01') this.formerJob(insuredPerson, acquiredOn);

    const insured: Member = { id: rng.uuid(), person: insuredPerson, versions: [] };
    const number = this.nextNumber(MAIN_INSURER, symbol);
    const insuredFacts: MemberFacts = {
      insurerNumber: MAIN_INSURER,
      symbol,
      number,
      branch: '00',
      relationship: 'insured',
      insuredMemberId: null,
      name: insuredPerson.name,
      nameKana: insuredPerson.nameKana,
      birthDate: insuredPerson.birthDate,
      sex: insuredPerson.sex,
      address: insuredPerson.address,
      acquiredOn,
      lostOn: null,
      standardMonthlyRemuneration: remuneration,
      myNumberLast4: insuredPerson.myNumber ? myNumberLast4(insuredPerson.myNumber) : null,
    };
    this.version(insured, insuredFacts, recordedOn);

    // Dependents: 0 (50 %), 1 (22 %), 2 (15 %), 3 (10 %), 4 (3 %), never beyond the target.
    const roll = rng.float();
    let count = roll < 0.5 ? 0 : roll < 0.72 ? 1 : roll < 0.87 ? 2 : roll < 0.97 ? 3 : 4;
    count = Math.min(count, room - 1);
    const dependents: Member[] = [];
    let lastRecorded = recordedOn;
    for (let i = 0; i < count; i++) {
      let birth: IsoDate;
      let sex: 'male' | 'female';
      if (i === 0 && age >= 24) {
        // A spouse, within a few years of the insured's age.
        sex = insuredSex === 'male' ? 'female' : 'male';
        birth = minDate(addDays(addYears(asOf, -19), 0), addDays(insuredBirth, rng.int(-5 * 365, 5 * 365)));
      } else {
        sex = rng.chance(0.5) ? 'male' : 'female';
        birth = this.date(maxDate(addYears(insuredBirth, 20), addYears(asOf, -22)), addDays(asOf, -30));
      }
      const p = this.person(family, sex, birth, address);
      const depAcquired = maxDate(acquiredOn, birth);
      if (depAcquired > addDays(asOf, -1)) continue;
      const depRecorded = pending ? recordedOn : this.recordedFor(depAcquired, recordedOn);
      const member: Member = { id: rng.uuid(), person: p, versions: [] };
      this.version(
        member,
        {
          insurerNumber: MAIN_INSURER,
          symbol,
          number,
          branch: String(i + 1).padStart(2, '0'),
          relationship: 'dependent',
          insuredMemberId: insured.id,
          name: p.name,
          nameKana: p.nameKana,
          birthDate: p.birthDate,
          sex: p.sex,
          address: p.address,
          acquiredOn: depAcquired,
          lostOn: null,
          standardMonthlyRemuneration: null,
          myNumberLast4: p.myNumber ? myNumberLast4(p.myNumber) : null,
        },
        depRecorded,
      );
      if (depRecorded > lastRecorded) lastRecorded = depRecorded;
      dependents.push(member);
    }

    // What happened later: a loss (3 %, the dependents end with the insured) or a change (6 %).
    const lossRoll = rng.float();
    if (!pending && lossRoll < 0.03) {
      const lostOn = this.date(addDays(lastRecorded, 1), addDays(asOf, -10));
      const lossRecorded = this.recordedFor(lostOn, lastRecorded);
      if (lostOn > acquiredOn) {
        const v = this.version(insured, { ...lastFacts(insured), lostOn }, lossRecorded);
        for (const d of dependents) {
          const dv = this.version(
            d,
            { ...lastFacts(d), lostOn: maxDate(lostOn, lastFacts(d).acquiredOn) },
            lossRecorded,
          );
          dv.notificationId = v.notificationId;
        }
        (v as Version & { ended: string[] }).ended = dependents.map((d) => d.id);
      }
    } else if (!pending && lossRoll < 0.09) {
      const changedOn = this.date(addDays(lastRecorded, 1), addDays(asOf, -3));
      if (changedOn > lastRecorded) {
        const facts = lastFacts(insured);
        let change: Record<string, unknown>;
        if (rng.chance(0.5)) {
          change = { standardMonthlyRemuneration: rng.pick(REMUNERATION) };
        } else {
          // A move: the resident register learns it first, then the employer's change notification.
          const moved = `${rng.pick(PLACES)}${rng.int(1, 5)}-${rng.int(1, 30)}-${rng.int(1, 20)}`;
          change = { address: moved };
          const p = insured.person;
          p.address = moved;
          p.movedOn = changedOn;
          if (p.resident) p.resident = { ...p.resident, address: moved };
        }
        const v = this.version(insured, { ...facts, ...change }, changedOn);
        (v as Version & { change: object }).change = change;
      }
    }

    for (const m of [insured, ...dependents]) this.write(m);
    this.writeResidents();
    this.mainMembers += 1 + dependents.length;
    for (const m of [insured, ...dependents]) {
      this.legacyCard(m);
      if (m.person.myNumberIndex !== null && rng.chance(this.cardChance)) this.card(m.person);
      else this.eligibilityCertificate(m);
    }
  }

  /** The insured's former qualification at the other association, lost on the day they joined here. */
  private formerJob(p: Person, lostOn: IsoDate): void {
    const rng = this.rng;
    const acquiredOn = this.date(maxDate('1995-04-01', addYears(p.birthDate, 18)), addDays(lostOn, -30));
    if (acquiredOn >= lostOn) return;
    const member: Member = { id: rng.uuid(), person: p, versions: [] };
    const facts: MemberFacts = {
      insurerNumber: OTHER_INSURER,
      symbol: '5001',
      number: String(++this.otherNumber),
      branch: '00',
      relationship: 'insured',
      insuredMemberId: null,
      name: p.name,
      nameKana: p.nameKana,
      birthDate: p.birthDate,
      sex: p.sex,
      address: p.address,
      acquiredOn,
      lostOn: null,
      standardMonthlyRemuneration: rng.pick(REMUNERATION),
      myNumberLast4: p.myNumber ? myNumberLast4(p.myNumber) : null,
    };
    const recorded = this.recordedFor(acquiredOn, acquiredOn);
    this.version(member, facts, recorded);
    const v = this.version(member, { ...facts, lostOn }, maxDate(recorded, this.recordedFor(lostOn, lostOn)));
    (v as Version & { ended: string[] }).ended = [];
    this.write(member);
  }

  /** The members row (latest version), every version, its notification and audit record. */
  private write(m: Member): void {
    const latest = m.versions.at(-1);
    if (!latest) return;
    const f = latest.facts;
    const p = m.person;
    const createdAt = `${m.versions[0]?.recordedOn}T01:00:00.000Z`;
    this.writer.add('members', {
      id: m.id,
      insurer_number: f.insurerNumber,
      symbol: f.symbol,
      number: f.number,
      branch: f.branch,
      relationship: f.relationship,
      insured_member_id: f.insuredMemberId,
      name: f.name,
      name_kana: f.nameKana,
      birth_date: f.birthDate,
      sex: f.sex,
      address: f.address,
      my_number_enc: p.myNumberEnc,
      my_number_index: p.myNumberIndex,
      my_number_last4: f.myNumberLast4,
      acquired_on: f.acquiredOn,
      lost_on: f.lostOn,
      standard_monthly_remuneration: f.standardMonthlyRemuneration,
      version: m.versions.length,
      recorded_on: latest.recordedOn,
      hub_available_on: latest.hubAvailableOn,
      hub_status: latest.hub.status,
      hub_mismatch_fields: JSON.stringify(latest.hub.fields),
      created_at: createdAt,
    });
    m.versions.forEach((v, i) => {
      const at = `${v.recordedOn}T01:00:00.000Z`;
      this.writer.add('member_versions', {
        member_id: m.id,
        insurer_number: f.insurerNumber,
        version: i + 1,
        notification_id: v.notificationId,
        recorded_on: v.recordedOn,
        hub_available_on: v.hubAvailableOn,
        hub_status: v.hub.status,
        hub_mismatch_fields: JSON.stringify(v.hub.fields),
        facts: JSON.stringify(v.facts),
        created_at: at,
      });
      const extra = v as Version & { ended?: string[]; change?: Record<string, unknown> };
      const cascaded = i > 0 && f.relationship === 'dependent' && extra.ended === undefined && v.facts.lostOn !== null;
      if (cascaded) {
        // Ended with the insured: the insured's loss notification carries it; only an audit record here.
        this.audit.append(at, ADMIN, 'notification.loss', f.insurerNumber, m.id, {
          kind: 'loss',
          recordedOn: v.recordedOn,
          notificationId: v.notificationId,
          withInsured: f.insuredMemberId,
        });
        return;
      }
      const kind =
        i === 0
          ? f.relationship === 'insured'
            ? 'acquisition'
            : 'dependent_add'
          : extra.ended !== undefined
            ? 'loss'
            : 'change';
      const notification = this.notificationOf(kind, v, p, extra.change);
      const result = {
        notificationId: v.notificationId,
        memberId: m.id,
        symbol: v.facts.symbol,
        number: v.facts.number,
        branch: v.facts.branch,
        hubStatus: v.hub.status,
        hubAvailableOn: v.hubAvailableOn,
        ...(v.hub.status === 'mismatch' ? { mismatch: { fields: v.hub.fields, nearMatch: v.hub.nearMatch } } : {}),
        ...(kind === 'loss' ? { endedDependents: extra.ended ?? [] } : {}),
      };
      this.writer.add('notifications', {
        id: v.notificationId,
        insurer_number: v.facts.insurerNumber,
        kind,
        idempotency_key: null,
        member_id: m.id,
        recorded_on: v.recordedOn,
        source: 'batch',
        payload: JSON.stringify({ notification, result }),
        created_at: at,
      });
      this.audit.append(at, ADMIN, `notification.${kind}`, v.facts.insurerNumber, m.id, {
        kind,
        recordedOn: v.recordedOn,
        notificationId: v.notificationId,
        source: 'batch',
      });
    });
  }

  /** The notification as the registry stores it (My Number masked, recordedOn filled in). */
  private notificationOf(
    kind: string,
    v: Version,
    p: Person,
    change?: Record<string, unknown>,
  ): Record<string, unknown> {
    const f = v.facts;
    const base = { kind, insurerNumber: f.insurerNumber, recordedOn: v.recordedOn };
    const person = {
      ...(p.myNumber ? { myNumber: maskMyNumber(p.myNumber) } : {}),
      name: f.name,
      nameKana: f.nameKana,
      birthDate: f.birthDate,
      sex: f.sex,
      ...(f.address !== null ? { address: f.address } : {}),
    };
    switch (kind) {
      case 'acquisition':
        return {
          ...base,
          symbol: f.symbol,
          number: f.number,
          acquiredOn: f.acquiredOn,
          standardMonthlyRemuneration: f.standardMonthlyRemuneration,
          person,
        };
      case 'dependent_add':
        return { ...base, insured: { symbol: f.symbol, number: f.number }, acquiredOn: f.acquiredOn, person };
      case 'loss':
        return { ...base, symbol: f.symbol, number: f.number, lostOn: f.lostOn };
      default:
        return { ...base, symbol: f.symbol, number: f.number, ...change };
    }
  }

  /** Half the members acquired before 2024-12-02 still hold a legacy 健康保険証 (recorded for migration). */
  private legacyCard(m: Member): void {
    const first = m.versions[0];
    if (!first || first.facts.acquiredOn >= '2024-12-02' || !this.rng.chance(0.5)) return;
    const issuedOn = this.date(first.facts.acquiredOn, minDate('2024-12-01', addDays(first.facts.acquiredOn, 2000)));
    const id = this.rng.uuid();
    const at = `${maxDate(issuedOn, first.recordedOn)}T02:00:00.000Z`;
    this.writer.add('legacy_cards', {
      id,
      member_id: m.id,
      insurer_number: first.facts.insurerNumber,
      issued_on: issuedOn,
      created_at: at,
    });
    this.audit.append(at, ADMIN, 'legacy_card.issue', first.facts.insurerNumber, m.id, { legacyCardId: id, issuedOn });
  }

  /**
   * The 資格確認書 an active member without a My Number card received ex officio when the legacy
   * cards ended (or on joining after that), as src/services/certificates.ts writes it: so a number
   * verification of the bench finds what a reception desk is shown (mostly eligible), not nothing.
   */
  private eligibilityCertificate(m: Member): void {
    const latest = m.versions.at(-1);
    if (!latest || latest.facts.insurerNumber !== MAIN_INSURER) return;
    const f = latest.facts;
    if (f.acquiredOn > this.asOf || (f.lostOn !== null && f.lostOn <= this.asOf)) return;
    const issuedOn = maxDate(CERTIFICATES_FROM, maxDate(f.acquiredOn, m.versions[0]?.recordedOn ?? f.acquiredOn));
    if (issuedOn > this.asOf) return;
    const id = this.rng.uuid();
    const validUntil = certificateValidUntil({ validYears: 5 }, issuedOn);
    const reason = m.person.myNumberIndex === null ? 'no_card' : 'not_registered';
    const at = `${issuedOn}T03:00:00.000Z`;
    this.writer.add('eligibility_certificates', {
      id,
      member_id: m.id,
      insurer_number: f.insurerNumber,
      issued_on: issuedOn,
      valid_until: validUntil,
      reason,
      kind: 'ex_officio',
      fee_yen: 0,
      supersedes_id: null,
      collected_on: null,
      collection_reason: null,
      collection_recorded_on: null,
      reported_lost_on: null,
      run_id: null,
      application_id: null,
      created_at: at,
    });
    this.audit.append(at, ADMIN, 'certificate.issue', f.insurerNumber, m.id, {
      certificateId: id,
      kind: 'ex_officio',
      reason,
      issuedOn,
      validUntil,
      feeYen: 0,
    });
  }

  /**
   * A My Number card with its user certificate, as the simulator issues it; expired certificates
   * are mostly renewed (the old one revoked on the renewal day); 85 % registered for health
   * insurance; 1 % returned.
   */
  private card(p: Person): void {
    const rng = this.rng;
    const index = p.myNumberIndex;
    if (index === null) return;
    const issuedOn = this.date(maxDate('2016-01-04', addDays(p.birthDate, 1)), addDays(this.asOf, -30));
    const cardEnd = cardExpiresOn(p.birthDate, issuedOn);
    const certEnd = certificateExpiresOn(p.birthDate, issuedOn, cardEnd);
    if (cardEnd >= '2049-12-31') return;
    const cardId = rng.uuid();
    const at = `${issuedOn}T03:00:00.000Z`;
    const first = this.minter.mint({ issuedOn, expiresOn: certEnd });
    let current = first;
    const certificates: Array<{ cert: typeof first; revokedOn: IsoDate | null; at: string }> = [
      { cert: first, revokedOn: null, at },
    ];
    this.audit.append(at, OPERATOR, 'card.issue', null, null, {
      cardId,
      kind: 'card',
      issuedOn,
      cardExpiresOn: cardEnd,
      certificateExpiresOn: certEnd,
      serial: first.serial,
    });
    // An expired certificate is renewed in 80 % of cases, up to 60 days before it expired.
    if (certEnd < this.asOf && certEnd < cardEnd && rng.chance(0.8)) {
      const renewedOn = maxDate(issuedOn, addDays(certEnd, -rng.int(0, 60)));
      const renewedEnd = certificateExpiresOn(p.birthDate, renewedOn, cardEnd);
      const renewed = this.minter.mint({ issuedOn: renewedOn, expiresOn: renewedEnd });
      const renewedAt = `${renewedOn}T03:00:00.000Z`;
      const prior = certificates[0];
      if (prior) prior.revokedOn = renewedOn;
      certificates.push({ cert: renewed, revokedOn: null, at: renewedAt });
      current = renewed;
      this.audit.append(renewedAt, OPERATOR, 'card.renew-certificate', null, null, {
        cardId,
        issuedOn: renewedOn,
        certificateExpiresOn: renewedEnd,
        serial: renewed.serial,
        revokedSerials: [first.serial],
      });
    }
    const returned = rng.chance(0.01);
    const endedOn = returned ? this.date(addDays(issuedOn, 30), addDays(this.asOf, -1)) : null;
    this.writer.add('cards', {
      id: cardId,
      my_number_index: index,
      kind: 'card',
      issued_on: issuedOn,
      expires_on: cardEnd,
      status: returned ? 'returned' : 'active',
      ended_on: endedOn,
      pin_hash: this.pinHash,
      pin_failures: 0,
      pin_locked: 0,
      private_key_enc: this.keyring.encrypt(current.privateKeyPem),
      created_at: at,
    });
    for (const c of certificates) {
      this.writer.add('card_certificates', {
        serial: c.cert.serial,
        card_id: cardId,
        certificate_pem: c.cert.certificatePem,
        fingerprint: c.cert.fingerprint,
        public_key_jwk: c.cert.publicKeyJwk,
        issued_on: c.cert.issuedOn,
        expires_on: c.cert.expiresOn,
        revoked_on: c.revokedOn,
        created_at: c.at,
      });
    }
    this.cards++;
    this.certificates += certificates.length;
    if (returned) {
      this.audit.append(`${endedOn}T03:00:00.000Z`, OPERATOR, 'card.return', null, null, { cardId, endedOn });
    }
    // 健康保険証利用登録: within ~400 days of issue, refused within 5 days of the certificate's expiry.
    if (rng.chance(0.85)) {
      const recordedOn = minDate(addDays(this.asOf, -1), addDays(issuedOn, rng.int(0, 400)));
      if (recordedOn >= issuedOn && (endedOn === null || recordedOn < endedOn) && canRegister(certEnd, recordedOn)) {
        const registrationId = `${Date.parse(`${recordedOn}T04:00:00Z`).toString(36).padStart(9, '0')}${(this.cards % 36 ** 6).toString(36).padStart(6, '0')}${rng.next32().toString(16).padStart(10, '0')}`;
        const channel = rng.pick(['reader', 'portal', 'atm'] as const);
        const regAt = `${recordedOn}T04:00:00.000Z`;
        this.writer.add('card_registrations', {
          id: registrationId,
          my_number_index: index,
          card_id: cardId,
          kind: 'registered',
          channel,
          recorded_on: recordedOn,
          created_at: regAt,
        });
        this.audit.append(regAt, OPERATOR, 'card.register', null, null, {
          cardId,
          registrationId,
          recordedOn,
          channel,
        });
      }
    }
  }
}

function lastFacts(m: Member): MemberFacts {
  const v = m.versions.at(-1);
  if (!v) throw new Error('member without a version');
  return v.facts;
}

// --- command line ---------------------------------------------------------------------------------

export function parseArgs(argv: readonly string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const next = argv[i + 1];
    if (inline !== undefined) out[key] = inline;
    else if (next !== undefined && !next.startsWith('--')) {
      out[key] = next;
      i++;
    } else out[key] = true;
  }
  return out;
}

export function storeTarget(
  db: string | true | undefined,
  fallbackFile: string,
): { databaseUrl?: string; file?: string } {
  const value = typeof db === 'string' ? db : process.env.DATABASE_URL;
  if (value?.startsWith('postgres')) return { databaseUrl: value };
  return { file: typeof db === 'string' ? db : fallbackFile };
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));
if (isMain) {
  const args = parseArgs(process.argv.slice(2));
  const members = Number(args.members ?? 1_000_000);
  const target = storeTarget(args.db, `./bench/data/bench-${members}.db`);
  const report = await generate({
    members,
    cards: args.cards === undefined ? undefined : Number(args.cards),
    seed: typeof args.seed === 'string' ? args.seed : undefined,
    asOf: typeof args['as-of'] === 'string' ? args['as-of'] : undefined,
    ...target,
    onProgress: (n) => process.stderr.write(`  ${n.toLocaleString('en')} members…\n`),
  });
  console.log(JSON.stringify(report, null, 2));
  console.log(`SHIKAKU_KEY for this store: ${benchKeyHex(report.seed)}`);
}
