/**
 * What the association knows about members for a 資格確認書 decision (RULES.md §1, §2): their cards,
 * the cards' user certificates and the person's 健康保険証利用登録 (the card stand-in's tables, read as in
 * src/cards/records.ts), legacy 健康保険証 and the 資格確認書 already issued. Loads many members at
 * once: a fixed handful of queries per batch whatever its size, so an ex-officio run over 100,000
 * members is a few hundred queries, not a few hundred thousand. What is kept by member is read as one
 * range of member ids of one association (the run's pages are such ranges), each from an index that
 * holds every column read (migration 0016).
 */
import type { Kysely, Selectable } from 'kysely';
import { type RegistrationEvent, registrationState, type UserCertificateLife } from '../domain/card-life.js';
import type { IsoDate } from '../domain/dates.js';
import type { CoverFacts } from '../domain/dependents.js';
import type {
  IssuanceCard,
  IssuanceEligibilityCertificate,
  IssuanceUserCertificate,
  MemberIssuanceFacts,
} from '../domain/issuance.js';
import type { LegacyCardFacts } from '../domain/legacy-card.js';
import type { CertificateValidityPolicy } from '../domain/proofs.js';
import { parseTransitionPolicy, type TransitionPolicyPeriod } from '../domain/transition-policy.js';
import { dialectOf, fastAll, placeholders } from '../store/fast.js';
import type { Database, EligibilityCertificatesTable, InsurersTable, MembersTable } from '../store/schema.js';
import { insurerOfRow } from './insurers.js';
import { LEGACY_CARD_LIFE_COLUMNS, type LegacyCardLifeRow, legacyCardFactsOfRow } from './legacy-card-facts.js';

export type MemberRow = Selectable<MembersTable>;

/** The member columns a decision reads (the covering index members_issuance holds exactly these). */
export const ISSUANCE_MEMBER_COLUMNS = [
  'id',
  'insurer_number',
  'acquired_on',
  'lost_on',
  'birth_date',
  'my_number_index',
  'insured_member_id',
] as const;
export type IssuanceMember = Pick<MemberRow, (typeof ISSUANCE_MEMBER_COLUMNS)[number]>;
export type CertificateRow = Selectable<EligibilityCertificatesTable>;

/** The facts of `MemberIssuanceFacts` without the association's policy. */
export interface GatheredFacts {
  facts: Omit<MemberIssuanceFacts, 'newMemberPolicy'>;
}

/** What the decision reads of a 資格確認書 (the covering index eligibility_certificates_issuance). */
type IssuanceCertificateRow = Pick<
  CertificateRow,
  'member_id' | 'issued_on' | 'valid_until' | 'collected_on' | 'reported_lost_on'
>;

/**
 * The first and last member id of `members`, which are of one association and in the store's id order
 * (a page of the run, or one member): the range the reads by member cover, compared by the store's
 * own collation as the page was.
 */
function idRange(members: readonly IssuanceMember[]): [string | undefined, string | undefined] {
  if (new Set(members.map((m) => m.insurer_number)).size > 1) {
    throw new Error('gatherIssuanceFacts takes the members of one association');
  }
  return [members[0]?.id, members[members.length - 1]?.id];
}

/** Ids per `IN (…)` list: far below SQLite's and PostgreSQL's bind-parameter limits. */
const IN_CHUNK = 500;

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The certificate as the domain sees it. */
export function certificateFacts(
  row: Pick<CertificateRow, 'issued_on' | 'valid_until' | 'collected_on' | 'reported_lost_on'>,
): IssuanceEligibilityCertificate {
  return {
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    collectedOn: row.collected_on,
    reportedLostOn: row.reported_lost_on,
  };
}

const CARD_COLUMNS = `cards.id, cards.my_number_index, cards.kind, cards.status, cards.ended_on, cards.expires_on,
    cards.issued_on, cc.issued_on as certificate_issued_on, cc.expires_on as certificate_expires_on, cc.revoked_on
  from cards left join card_certificates cc on cc.card_id = cards.id`;

interface CardOfPersonRow {
  id: string;
  my_number_index: string;
  kind: string;
  status: IssuanceCard['status'];
  ended_on: IsoDate | null;
  expires_on: IsoDate;
  issued_on: IsoDate;
  certificate_issued_on: IsoDate | null;
  certificate_expires_on: IsoDate | null;
  revoked_on: IsoDate | null;
}

/**
 * The cards of `people` (blind indexes) with their certificates. On PostgreSQL one probe a person:
 * given an IN list of 500, the planner reckons most of them hold a card and reads every card instead
 * (9 ms a page at 20,000 cards, 17 of the 33 s of a run over 1,000,000 members), when 2 % do.
 */
function cardsOfPeople(db: Kysely<Database>, people: readonly string[]): Promise<CardOfPersonRow[]> {
  if (dialectOf(db) === 'postgres') {
    return fastAll<CardOfPersonRow>(
      db,
      `select c.* from unnest(?::text[]) as person(index) cross join lateral (
        select ${CARD_COLUMNS} where cards.my_number_index = person.index offset 0) c`,
      [people],
    );
  }
  return fastAll<CardOfPersonRow>(
    db,
    `select ${CARD_COLUMNS} where cards.my_number_index in (${placeholders(people.length)})`,
    people,
    { oneOff: true },
  );
}

/**
 * The issuance facts of `members` on `asOf`, by member id. Cards and user certificates issued after
 * `asOf` and registration events recorded after it are not known yet; a revocation after `asOf` had
 * not happened. Only physical cards count as cards (the domain's `IssuanceCard`); the user certificates
 * of smartphone credentials still take part in the registration's lapse, as in `personRecords`.
 * Certificates and legacy cards are read as known now (a collection is a fact whatever its date).
 * `members` are of one association and in the store's id order: a page of the run, or one member.
 */
export async function gatherIssuanceFacts(
  db: Kysely<Database>,
  members: readonly IssuanceMember[],
  asOf: IsoDate,
): Promise<Map<string, GatheredFacts>> {
  const indexes = [...new Set(members.map((m) => m.my_number_index).filter((i): i is string => i !== null))];

  const cardsByPerson = new Map<string, IssuanceCard[]>();
  const userCertsByPerson = new Map<string, IssuanceUserCertificate[]>();
  const allCertsByPerson = new Map<string, UserCertificateLife[]>();
  const eventsByPerson = new Map<string, Array<RegistrationEvent & { ord: string }>>();
  const legacyByMember = new Map<string, LegacyCardFacts[]>();
  const insuredById = new Map<string, CoverFacts>();
  const requested = new Set<string>();
  const certificatesByMember = new Map<string, IssuanceCertificateRow[]>();

  // Three independent reads: on PostgreSQL outside a transaction (the dry run) they overlap on the
  // pool's connections; in a transaction, and on SQLite, they run one after another.
  const readCards = async () => {
    // A person's cards with their certificates in one read; registrations only for people with a card,
    // as a registration is always made with one (src/cards/simulator.ts) and cards are never deleted.
    for (const part of chunks(indexes)) {
      const rows = await cardsOfPeople(db, part);
      const holders = new Set<string>();
      const cardsSeen = new Set<string>();
      for (const c of rows) {
        holders.add(c.my_number_index);
        if (c.kind === 'card' && c.issued_on <= asOf && !cardsSeen.has(c.id)) {
          cardsSeen.add(c.id);
          push(cardsByPerson, c.my_number_index, { status: c.status, endedOn: c.ended_on, expiresOn: c.expires_on });
        }
        if (c.certificate_issued_on === null || c.certificate_expires_on === null || c.certificate_issued_on > asOf) {
          continue;
        }
        const revokedOn = c.revoked_on !== null && c.revoked_on <= asOf ? c.revoked_on : null;
        const life = { issuedOn: c.certificate_issued_on, expiresOn: c.certificate_expires_on, revokedOn };
        push(allCertsByPerson, c.my_number_index, life);
        if (c.kind === 'card') push(userCertsByPerson, c.my_number_index, life);
      }
      if (holders.size === 0) continue;
      const events = await db
        .selectFrom('card_registrations')
        .select(['my_number_index', 'kind', 'recorded_on', 'id'])
        .where('my_number_index', 'in', [...holders])
        .where('recorded_on', '<=', asOf)
        .execute();
      for (const e of events) {
        push(eventsByPerson, e.my_number_index, {
          kind: e.kind === 'cancelled' ? 'cancelled' : 'registered',
          recordedOn: e.recorded_on,
          ord: e.id,
        });
      }
    }
  };
  const [first, last] = idRange(members);
  const insurer = members[0]?.insurer_number;
  const readRanges = async () => {
    if (insurer !== undefined && first !== undefined && last !== undefined) {
      const inRange = [insurer, first, last];
      const [legacy, certificates, requests] = await Promise.all([
        fastAll<LegacyCardLifeRow & { member_id: string }>(
          db,
          `select member_id, ${LEGACY_CARD_LIFE_COLUMNS.join(', ')} from legacy_cards
            where insurer_number = ? and member_id between ? and ?`,
          inRange,
        ),
        fastAll<IssuanceCertificateRow>(
          db,
          `select member_id, issued_on, valid_until, collected_on, reported_lost_on from eligibility_certificates
            where insurer_number = ? and member_id between ? and ? order by member_id, issued_on, created_at, id`,
          inRange,
        ),
        // The "資格確認書の交付希望" box of the member's 資格取得届 / 被扶養者異動届 (seed 002). The literals
        // match the partial index's predicate, so SQLite can use it.
        fastAll<{ member_id: string }>(
          db,
          `select member_id from notifications where insurer_number = ? and member_id between ? and ?
            and certificate_requested = 1 and kind in ('acquisition', 'dependent_add')`,
          inRange,
        ),
      ]);
      for (const l of legacy) push(legacyByMember, l.member_id, legacyCardFactsOfRow(l));
      for (const r of requests) requested.add(r.member_id);
      for (const c of certificates) push(certificatesByMember, c.member_id, c);
    }
  };
  const readInsureds = async () => {
    // A dependent's cover ends with the insured's (domain/dependents.ts): the insured's dates.
    const insuredIds = [
      ...new Set(members.flatMap((m) => (m.insured_member_id === null ? [] : [m.insured_member_id]))),
    ];
    for (const part of chunks(insuredIds)) {
      const insureds = await fastAll<{
        id: string;
        birth_date: IsoDate;
        acquired_on: IsoDate;
        lost_on: IsoDate | null;
      }>(
        db,
        // An insured is of the dependent's association: members_issuance answers it alone.
        `select id, birth_date, acquired_on, lost_on from members where insurer_number = ? and id in (${placeholders(part.length)})`,
        [insurer, ...part],
        { oneOff: true },
      );
      for (const i of insureds) {
        insuredById.set(i.id, { birthDate: i.birth_date, acquiredOn: i.acquired_on, lostOn: i.lost_on });
      }
    }
  };
  await Promise.all([readCards(), readRanges(), readInsureds()]);

  const out = new Map<string, GatheredFacts>();
  for (const m of members) {
    const index = m.my_number_index;
    const events = (index === null ? [] : (eventsByPerson.get(index) ?? [])).sort((x, y) =>
      x.recordedOn < y.recordedOn ? -1 : x.recordedOn > y.recordedOn ? 1 : x.ord < y.ord ? -1 : 1,
    );
    out.set(m.id, {
      facts: {
        acquiredOn: m.acquired_on,
        lostOn: m.lost_on,
        birthDate: m.birth_date,
        cards: index === null ? [] : (cardsByPerson.get(index) ?? []),
        certificates: index === null ? [] : (userCertsByPerson.get(index) ?? []),
        registration:
          index === null
            ? 'never'
            : registrationState({ events, certificates: allCertsByPerson.get(index) ?? [], asOf }),
        legacyCards: legacyByMember.get(m.id) ?? [],
        eligibilityCertificates: (certificatesByMember.get(m.id) ?? []).map(certificateFacts),
        insured: m.insured_member_id === null ? null : (insuredById.get(m.insured_member_id) ?? null),
        certificateRequested: requested.has(m.id),
      },
    });
  }
  return out;
}

/** The facts of one member (see `gatherIssuanceFacts`). */
export async function gatherMemberFacts(
  db: Kysely<Database>,
  member: IssuanceMember,
  asOf: IsoDate,
): Promise<GatheredFacts> {
  const gathered = (await gatherIssuanceFacts(db, [member], asOf)).get(member.id);
  if (!gathered) throw new Error(`no facts gathered for member ${member.id}`);
  return gathered;
}

/** The association's settings that issuance needs. */
export interface IssuancePolicy {
  insurerNumber: string;
  insurerName: string;
  certificatePolicy: CertificateValidityPolicy;
  reissueFeeYen: number;
  newMemberCertificate: 'on_application' | 'ex_officio';
  /** When legacy-card holders get a 資格確認書 ex officio, as dated periods; null: the default. */
  transitionPolicy: TransitionPolicyPeriod[] | null;
}

export function policyOfRow(row: Selectable<InsurersTable>): IssuancePolicy {
  const { name, ...settings } = insurerOfRow(row);
  return {
    ...settings,
    insurerName: name,
    transitionPolicy: row.transition_policy ? parseTransitionPolicy(JSON.parse(row.transition_policy)) : null,
  };
}
