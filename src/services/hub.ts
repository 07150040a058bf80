/**
 * Hub registration (中間サーバー → オンライン資格確認等システム, RULES.md §5) and what the hub answered
 * on a day (DESIGN.md §3.1).
 *
 * Every member version is checked against the resident record of its My Number (住民票の基本4情報):
 * no My Number → 'no_my_number'; no resident record or any basic fact different → 'mismatch' with
 * the field names; all equal → 'registered'. A version becomes visible to the hub on its
 * `hub_available_on` (the 2nd business day after `recorded_on`).
 */
import type { Kysely } from 'kysely';
import type { IsoDate } from '../domain/dates.js';
import type { MemberFacts, ResidentFacts, ResidentField, Sex } from '../domain/member.js';
import { compareNames, normalizeKana, normalizeKanjiName } from '../domain/names.js';
import type { HubRecord, QualificationFacts } from '../domain/verification.js';
import { fastAll } from '../store/fast.js';
import type { Database, HubStatus } from '../store/schema.js';
import { findResident } from './residents.js';

/** A resident-record field that differs, or 'residentRecord' when the My Number has no record at all. */
export type MismatchField = ResidentField | 'residentRecord';

/**
 * The staff hint for a name that differs only by variant kanji, small kana, a space…: the position
 * and the characters given vs recorded (RULES.md §8: never rewritten, a person decides).
 */
export interface NearMatch {
  field: 'name' | 'nameKana';
  /** Position in the normalised given name, in characters. */
  index: number;
  given: string;
  recorded: string;
}

export interface HubCheck {
  status: HubStatus;
  /** Resident-record fields that differ, in a fixed order (empty unless 'mismatch'). */
  fields: MismatchField[];
  nearMatch: NearMatch[];
}

/** The facts of a registration that the hub matches against the resident record. */
export interface RegisteredPerson {
  name: string;
  nameKana: string;
  birthDate: IsoDate;
  sex: Sex;
  address: string | null;
}

const DASHES = /[\u2010-\u2015\u2212\uFE63\uFF0D]/gu;

/**
 * Addresses compare after width normalisation, with spaces removed and dash look-alikes (incl. ー
 * between digits, as IMEs type it in 1ー2ー3) read as '-'. Comparison only: the stored text is kept.
 */
export function addressKey(address: string): string {
  return normalizeKanjiName(address)
    .replace(/\s+/gu, '')
    .replace(DASHES, '-')
    .replace(/(?<=\d)ー(?=\d)/gu, '-');
}

/**
 * Compares a registration with the resident record (RULES.md §5, §8). Names must match exactly after
 * width/space normalisation (kana also hiragana → katakana); a near-match (髙 vs 高) still counts as a
 * mismatch, with a hint for the staff. Pure.
 */
export function compareWithResident(person: RegisteredPerson, resident: ResidentFacts | null): HubCheck {
  if (resident === null) return { status: 'mismatch', fields: ['residentRecord'], nearMatch: [] };
  const fields: MismatchField[] = [];
  const nearMatch: NearMatch[] = [];
  const name = compareNames(person.name, resident.name, 'kanji');
  if (name.match !== 'exact') {
    fields.push('name');
    if (name.match === 'near') for (const d of name.differences) nearMatch.push({ field: 'name', ...d });
  }
  if (normalizeKana(person.nameKana) !== normalizeKana(resident.nameKana)) {
    fields.push('nameKana');
    const kana = compareNames(person.nameKana, resident.nameKana, 'kana');
    if (kana.match === 'near') for (const d of kana.differences) nearMatch.push({ field: 'nameKana', ...d });
  }
  if (person.birthDate !== resident.birthDate) fields.push('birthDate');
  if (person.sex !== resident.sex) fields.push('sex');
  if (person.address === null || addressKey(person.address) !== addressKey(resident.address)) fields.push('address');
  return fields.length === 0
    ? { status: 'registered', fields: [], nearMatch: [] }
    : { status: 'mismatch', fields, nearMatch };
}

/** The hub registration of one member version: looks up the resident record by blind index. */
export async function checkHubRegistration(
  db: Kysely<Database>,
  myNumberIndex: string | null,
  person: RegisteredPerson,
): Promise<HubCheck> {
  if (myNumberIndex === null) return { status: 'no_my_number', fields: [], nearMatch: [] };
  const resident = await findResident(db, myNumberIndex);
  return compareWithResident(person, resident);
}

// --- what the hub answered on a day -----------------------------------------------------------------

/** One registration as the hub knew it on `asOf` (for the verification service). */
export interface HubEntry {
  memberId: string;
  record: HubRecord;
  /** The visible version's facts; null when pending. */
  facts: MemberFacts | null;
}

/** A member_versions row as the hub reads it. */
export interface VersionRow {
  member_id: string;
  version: number;
  recorded_on: string;
  hub_available_on: string;
  hub_status: HubStatus;
  hub_mismatch_fields: string;
  facts: string;
}

export function qualificationOf(memberId: string, facts: MemberFacts): QualificationFacts {
  return {
    memberId,
    insurerNumber: facts.insurerNumber,
    symbol: facts.symbol,
    number: facts.number,
    branch: facts.branch,
    relationship: facts.relationship,
    birthDate: facts.birthDate,
    acquiredOn: facts.acquiredOn,
    lostOn: facts.lostOn,
  };
}

/**
 * What the hub answered on `asOf` for one member, from its versions (any order): the latest version
 * with hub_available_on <= asOf decides; with none visible but one recorded by asOf → pending from
 * the first hub_available_on; nothing recorded by asOf → null (the hub did not know the member).
 * DESIGN.md §3.1. Pure.
 */
export function hubEntryOn(memberId: string, versions: readonly VersionRow[], asOf: IsoDate): HubEntry | null {
  let visible: VersionRow | undefined;
  let pendingFrom: IsoDate | undefined;
  for (const v of versions) {
    if (v.recorded_on > asOf) continue;
    if (v.hub_available_on <= asOf) {
      if (!visible || Number(v.version) > Number(visible.version)) visible = v;
    } else if (pendingFrom === undefined || v.hub_available_on < pendingFrom) {
      pendingFrom = v.hub_available_on;
    }
  }
  if (visible) {
    const facts = JSON.parse(visible.facts) as MemberFacts;
    return { memberId, record: recordOf(memberId, visible, facts), facts };
  }
  if (pendingFrom !== undefined)
    return { memberId, record: { state: 'pending', hubAvailableOn: pendingFrom }, facts: null };
  return null;
}

function recordOf(memberId: string, v: VersionRow, facts: MemberFacts): HubRecord {
  switch (v.hub_status) {
    case 'registered':
      return { state: 'registered', qualification: qualificationOf(memberId, facts) };
    case 'mismatch':
      return { state: 'mismatch', fields: JSON.parse(v.hub_mismatch_fields) as string[] };
    case 'no_my_number':
      return { state: 'no_my_number' };
  }
}

function entriesFrom(rows: readonly VersionRow[], asOf: IsoDate): HubEntry[] {
  const byMember = new Map<string, VersionRow[]>();
  for (const row of rows) {
    const list = byMember.get(row.member_id);
    if (list) list.push(row);
    else byMember.set(row.member_id, [row]);
  }
  const entries: HubEntry[] = [];
  for (const [memberId, versions] of byMember) {
    const entry = hubEntryOn(memberId, versions, asOf);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The versions of the members a WHERE clause picks, known by asOf (hand-written: src/store/fast.ts). */
const VERSIONS_OF = `select mv.member_id, mv.version, mv.recorded_on, mv.hub_available_on, mv.hub_status,
    mv.hub_mismatch_fields, mv.facts
  from members inner join member_versions mv on mv.member_id = members.id`;
const BY_PERSON = `${VERSIONS_OF}
  where members.my_number_index = ? and mv.recorded_on <= ? order by mv.member_id`;
const BY_NUMBER = `${VERSIONS_OF}
  where members.insurer_number = ? and members.symbol = ? and members.number = ? and mv.recorded_on <= ?
  order by mv.member_id`;
const BY_NUMBER_BRANCH = `${VERSIONS_OF}
  where members.insurer_number = ? and members.symbol = ? and members.number = ? and members.branch = ?
    and mv.recorded_on <= ? order by mv.member_id`;

/**
 * Every registration of a person (by My Number blind index, across all hosted associations) as the
 * hub answered on `asOf`. One query, on members_person. DESIGN.md §3.1.
 */
export async function hubEntriesByPerson(
  db: Kysely<Database>,
  myNumberIndex: string,
  asOf: IsoDate,
): Promise<HubEntry[]> {
  const rows = await fastAll<VersionRow>(db, BY_PERSON, [myNumberIndex, asOf]);
  return entriesFrom(rows, asOf);
}

/** What a query by 記号・番号 needs from the hub, read at once (hubLookupByNumber). */
export interface NumberLookup {
  /** Everyone under 保険者番号・記号・番号, any 枝番 (the household). */
  household: HubEntry[];
  /** Those the 枝番 picks: the household without one. */
  entries: HubEntry[];
  /** The other registrations, anywhere, of the household's persons (by My Number blind index). */
  elsewhere: HubEntry[];
  /** Member id → blind index of every entry above that has one (never leaves the service). */
  personOf: ReadonlyMap<string, string>;
}

/** The household's versions, then the other members' of the same persons (hand-written: src/store/fast.ts). */
const LOOKUP_BY_NUMBER = `select mv.member_id, mv.version, mv.recorded_on, mv.hub_available_on, mv.hub_status,
    mv.hub_mismatch_fields, mv.facts, members.branch, members.my_number_index as person, 1 as in_key
  from members inner join member_versions mv on mv.member_id = members.id
  where members.insurer_number = ? and members.symbol = ? and members.number = ? and mv.recorded_on <= ?
  union all
  select mv.member_id, mv.version, mv.recorded_on, mv.hub_available_on, mv.hub_status,
    mv.hub_mismatch_fields, mv.facts, members.branch, members.my_number_index as person, 0 as in_key
  from members inner join member_versions mv on mv.member_id = members.id
  where members.my_number_index in (select m2.my_number_index from members m2
      where m2.insurer_number = ? and m2.symbol = ? and m2.number = ?)
    and not (members.insurer_number = ? and members.symbol = ? and members.number = ?)
    and mv.recorded_on <= ?
  order by member_id`;

/**
 * One query for a verification by 記号・番号 on `asOf`: the household under 保険者番号・記号・番号, the
 * members the 枝番 picks, and where else the same persons are registered (for NEWER_QUALIFICATION_EXISTS
 * and a dependent's insured, without reading again). DESIGN.md §3.1.
 */
export async function hubLookupByNumber(
  db: Kysely<Database>,
  key: { insurerNumber: string; symbol: string; number: string; branch?: string | undefined },
  asOf: IsoDate,
): Promise<NumberLookup> {
  const { insurerNumber: i, symbol: s, number: n } = key;
  const rows = await fastAll<VersionRow & { branch: string; person: string | null; in_key: number | string }>(
    db,
    LOOKUP_BY_NUMBER,
    [i, s, n, asOf, i, s, n, i, s, n, asOf],
  );
  const inKey: VersionRow[] = [];
  const others: VersionRow[] = [];
  const branchOf = new Map<string, string>();
  const personOf = new Map<string, string>();
  for (const row of rows) {
    if (Number(row.in_key) === 1) {
      inKey.push(row);
      branchOf.set(row.member_id, row.branch);
    } else others.push(row);
    if (row.person !== null) personOf.set(row.member_id, row.person);
  }
  const household = entriesFrom(inKey, asOf);
  return {
    household,
    entries: key.branch === undefined ? household : household.filter((e) => branchOf.get(e.memberId) === key.branch),
    elsewhere: entriesFrom(others, asOf),
    personOf,
  };
}

/**
 * The registrations under 保険者番号・記号・番号 (and 枝番 when given) as the hub answered on `asOf`.
 * One query, on members_identity. DESIGN.md §3.1.
 */
export async function hubEntriesByNumber(
  db: Kysely<Database>,
  key: { insurerNumber: string; symbol: string; number: string; branch?: string | undefined },
  asOf: IsoDate,
): Promise<HubEntry[]> {
  const rows =
    key.branch === undefined
      ? await fastAll<VersionRow>(db, BY_NUMBER, [key.insurerNumber, key.symbol, key.number, asOf])
      : await fastAll<VersionRow>(db, BY_NUMBER_BRANCH, [key.insurerNumber, key.symbol, key.number, key.branch, asOf]);
  return entriesFrom(rows, asOf);
}
