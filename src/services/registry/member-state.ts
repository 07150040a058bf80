/**
 * A member as a notification changes it: loaded from the members row (the latest version; the row →
 * facts mapping is services/member-facts.ts) or new, with its encrypted My Number and last version.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { PersonInput } from '../../contract/notifications.js';
import type { IsoDate } from '../../domain/dates.js';
import type { MemberFacts } from '../../domain/member.js';
import { fastAll } from '../../store/fast.js';
import type { MembersTable } from '../../store/schema.js';
import { factsOfRow } from '../member-facts.js';
import type { Run, Secret } from './run.js';

export type MemberRow = Selectable<MembersTable>;

export interface MemberState {
  id: string;
  facts: MemberFacts;
  myNumberEnc: string | null;
  myNumberIndex: string | null;
  /** The last recorded version (0 for a new member) and its recordedOn. */
  version: number;
  recordedOn: IsoDate | null;
  isNew: boolean;
  /** The facts before this notification (null for a new member), for the documents hook. */
  before: MemberFacts | null;
}

export function newMember(facts: MemberFacts, secret: Secret | null): MemberState {
  return {
    // Random, not time-ordered (newId): a member id reaches medical institutions (FHIR Patient), and
    // a version 7 id would tell them the millisecond the association recorded the acquisition.
    id: randomUUID(),
    facts,
    myNumberEnc: secret?.enc ?? null,
    myNumberIndex: secret?.index ?? null,
    version: 0,
    recordedOn: null,
    isNew: true,
    before: null,
  };
}

export function existingMember(row: MemberRow): MemberState {
  return {
    id: row.id,
    facts: factsOfRow(row),
    myNumberEnc: row.my_number_enc,
    myNumberIndex: row.my_number_index,
    version: Number(row.version),
    recordedOn: row.recorded_on,
    isNew: false,
    before: factsOfRow(row),
  };
}

/** The person facts of an acquisition or a dependent's addition. */
export function personFacts(person: PersonInput) {
  return {
    name: person.name,
    nameKana: person.nameKana,
    birthDate: person.birthDate,
    sex: person.sex,
    address: person.address ?? null,
  };
}

const MEMBER_BY_KEY = 'select * from members where insurer_number = ? and symbol = ? and number = ?';
const withLock = (sql: string) => ({ plain: sql, locked: `${sql} for update` });
const MEMBER_INSURED = withLock(`${MEMBER_BY_KEY} and relationship = ?`);
const MEMBER_BY_BRANCH = withLock(`${MEMBER_BY_KEY} and branch = ?`);

/** A member by 記号・番号・枝番; without a branch, the insured of that 記号・番号. Row-locked on PostgreSQL. */
export async function findMember(
  run: Run,
  key: { insurerNumber: string; symbol: string; number: string; branch?: string | undefined },
): Promise<MemberRow | undefined> {
  const lock = run.ctx.store.dialect === 'postgres' ? 'locked' : 'plain';
  const [sqlText, last] =
    key.branch === undefined ? [MEMBER_INSURED[lock], 'insured'] : [MEMBER_BY_BRANCH[lock], key.branch];
  const [row] = await fastAll<MemberRow>(run.trx, sqlText, [key.insurerNumber, key.symbol, key.number, last]);
  return row;
}
