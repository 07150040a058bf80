/**
 * The reads behind FHIR Patient and Coverage (src/fhir builds the resources from what these return).
 * A provider may read back only members a verification disclosed to that provider (a `verifications`
 * row with its 医療機関コード and a member id), shown as the hub knew them on that verification's
 * `as_of` — what the provider was told, not what the registry learnt since. Every read writes an
 * audit record, like any disclosure (DESIGN.md §3 (5)).
 *
 * The limit category is not part of it: consent was given for one answer and is not recorded.
 */
import type { Kysely, Selectable } from 'kysely';
import { burdenRatio } from '../domain/burden.js';
import { addDays, type IsoDate } from '../domain/dates.js';
import { elderlyIncomeFactsOf } from '../domain/elderly-income.js';
import type { MemberFacts } from '../domain/member.js';
import type { CoverageFacts, MemberKey } from '../fhir/coverage.js';
import type { VersionMeta } from '../fhir/history.js';
import type { InsurerFacts } from '../fhir/organization.js';
import type { PatientFacts } from '../fhir/patient.js';
import type { Database, MemberVersionsTable } from '../store/schema.js';
import type { Actor } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext } from './context.js';
import { hubEntryOn, qualificationOf } from './hub.js';
import { factsOfRow } from './member-facts.js';
import { ratioDateFor } from './verification.js';

/** The latest verification that disclosed a member to a provider. */
export interface Disclosure {
  memberId: string;
  asOf: IsoDate;
  verificationId: string;
}

/**
 * The members disclosed to `providerCode` (optionally only `memberIds`), each with its latest
 * disclosing verification, most recent first.
 */
export async function findDisclosures(
  db: Kysely<Database>,
  providerCode: string,
  memberIds?: readonly string[],
  upTo?: string,
): Promise<Disclosure[]> {
  if (memberIds && memberIds.length === 0) return [];
  let query = db
    .selectFrom('verifications')
    .select(['id', 'member_id', 'as_of', 'created_at'])
    .where('provider_code', '=', providerCode)
    .where('member_id', 'is not', null);
  if (memberIds) query = query.where('member_id', 'in', [...memberIds]);
  // A search's snapshot: what later verifications disclosed does not shift its pages.
  if (upTo !== undefined) query = query.where('created_at', '<=', upTo);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  const latest = new Map<string, Disclosure>();
  for (const r of rows) {
    if (r.member_id !== null && !latest.has(r.member_id)) {
      latest.set(r.member_id, { memberId: r.member_id, asOf: r.as_of, verificationId: r.id });
    }
  }
  return [...latest.values()];
}

/** Member ids under 保険者番号・記号・番号 (and 枝番 when given), for a Coverage search by identifier. */
export async function membersByKey(db: Kysely<Database>, key: MemberKey): Promise<string[]> {
  let query = db
    .selectFrom('members')
    .select('id')
    .where('insurer_number', '=', key.insurerNumber)
    .where('symbol', '=', key.symbol)
    .where('number', '=', key.number);
  if (key.branch !== undefined) query = query.where('branch', '=', key.branch);
  return (await query.execute()).map((r) => r.id);
}

/** A disclosed member as of its disclosure: the facts Patient, Coverage and Organization are built from. */
export interface DisclosedSnapshot {
  disclosure: Disclosure;
  patient: PatientFacts;
  coverage: CoverageFacts;
  insurer: InsurerFacts;
  /** The registry version shown (member_versions: number, recorded at); absent only for a member without versions. */
  version?: VersionMeta | undefined;
}

type VersionRow = Selectable<MemberVersionsTable>;

/** The versions the hub answered from by `asOf` (recorded and available by then), oldest first. */
async function versionsBy(db: Kysely<Database>, memberId: string, asOf: IsoDate): Promise<VersionRow[]> {
  const rows = await db
    .selectFrom('member_versions')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('recorded_on', '<=', asOf)
    .where('hub_available_on', '<=', asOf)
    .execute();
  return rows.sort((a, b) => Number(a.version) - Number(b.version));
}

async function factsOn(db: Kysely<Database>, memberId: string, asOf: IsoDate): Promise<MemberFacts | null> {
  const versions = await db.selectFrom('member_versions').selectAll().where('member_id', '=', memberId).execute();
  return hubEntryOn(memberId, versions, asOf)?.facts ?? null;
}

async function currentFacts(db: Kysely<Database>, memberId: string): Promise<MemberFacts | null> {
  const row = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirst();
  return row ? factsOfRow(row) : null;
}

/**
 * The member with `facts` as shown on `day`, with the burden ratio a verification that day showed
 * (the same rule: ratioDateFor, the insured's age, 標準報酬月額 and 基準収入額適用 as known that day).
 */
async function snapshotFrom(
  db: Kysely<Database>,
  disclosure: Disclosure,
  facts: MemberFacts,
  day: IsoDate,
  version: VersionRow | undefined,
): Promise<DisclosedSnapshot> {
  const { memberId } = disclosure;
  const insured =
    facts.relationship === 'insured'
      ? facts
      : facts.insuredMemberId
        ? await factsOn(db, facts.insuredMemberId, day)
        : null;
  const q = qualificationOf(memberId, facts);
  // A 70–74 dependent is 現役並み only while the insured is 70–74 too; a 基準収入額適用 undoes it.
  const ratio = burdenRatio({
    birthDate: q.birthDate,
    asOf: ratioDateFor(q, day),
    ...elderlyIncomeFactsOf(insured),
  }).ratio;
  const insurer = await db
    .selectFrom('insurers')
    .select('name')
    .where('insurer_number', '=', facts.insurerNumber)
    .executeTakeFirst();
  return {
    disclosure,
    patient: { memberId, name: facts.name, nameKana: facts.nameKana, birthDate: facts.birthDate, sex: facts.sex },
    coverage: {
      insurerNumber: facts.insurerNumber,
      symbol: facts.symbol,
      number: facts.number,
      branch: facts.branch,
      relationship: facts.relationship,
      acquiredOn: facts.acquiredOn,
      lostOn: facts.lostOn,
      burdenRatio: ratio,
    },
    insurer: { insurerNumber: facts.insurerNumber, name: insurer?.name ?? '' },
    ...(version ? { version: { versionId: String(version.version), lastUpdated: version.created_at } } : {}),
  };
}

/** The member as the hub knew it on the disclosure's day: the latest version answered from by then. */
export async function snapshotOf(db: Kysely<Database>, disclosure: Disclosure): Promise<DisclosedSnapshot | null> {
  const { memberId, asOf } = disclosure;
  const latest = (await versionsBy(db, memberId, asOf)).at(-1);
  const facts = latest ? (JSON.parse(latest.facts) as MemberFacts) : await currentFacts(db, memberId);
  return facts ? snapshotFrom(db, disclosure, facts, asOf, latest) : null;
}

/**
 * The member's history as disclosed: one entry per version the association recorded that the hub
 * answered from by the disclosure's day, newest first (the first is what `snapshotOf` shows). Each
 * version is shown as on the last day it was the hub's answer.
 */
export async function historyOf(db: Kysely<Database>, disclosure: Disclosure): Promise<DisclosedSnapshot[]> {
  const versions = await versionsBy(db, disclosure.memberId, disclosure.asOf);
  const out: DisclosedSnapshot[] = [];
  for (const [i, v] of versions.entries()) {
    const next = versions[i + 1];
    const lastDay = next ? addDays(next.hub_available_on, -1) : disclosure.asOf;
    const day = lastDay < v.hub_available_on ? v.hub_available_on : lastDay;
    out.push(await snapshotFrom(db, disclosure, JSON.parse(v.facts) as MemberFacts, day, v));
  }
  return out.reverse();
}

/** One audit record per member shown, in one transaction: ids and codes only. */
export async function auditDisclosures(
  ctx: ServiceContext,
  actor: Actor,
  shown: readonly DisclosedSnapshot[],
  what: { resourceType: 'Patient' | 'Coverage'; interaction: 'read' | 'vread' | 'history-instance' | 'search-type' },
): Promise<void> {
  if (shown.length === 0) return;
  const at = nowIso(ctx);
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const s of shown) {
      await appendAudit(trx, ctx.store.dialect, actor, at, {
        action: 'fhir.read',
        insurerNumber: s.insurer.insurerNumber,
        memberId: s.disclosure.memberId,
        detail: {
          resourceType: what.resourceType,
          interaction: what.interaction,
          providerCode: actor.providerCode,
          verificationId: s.disclosure.verificationId,
          asOf: s.disclosure.asOf,
        },
      });
    }
  });
}

/** The record of one answered verification: who was disclosed, and the day answered for. */
export async function verificationRecord(
  db: Kysely<Database>,
  verificationId: string,
): Promise<{ memberId: string | null; asOf: IsoDate }> {
  const row = await db
    .selectFrom('verifications')
    .select(['member_id', 'as_of'])
    .where('id', '=', verificationId)
    .executeTakeFirstOrThrow();
  return { memberId: row.member_id, asOf: row.as_of };
}
