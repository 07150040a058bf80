/**
 * Members as the registry knows them now, judged on a date, with their history (DESIGN.md §5.2).
 * Reads are scoped: an admin sees their association, an employer its own 記号; anything else is
 * MEMBER_NOT_FOUND, so existence is never revealed across associations. Every view and search writes
 * an audit record (DESIGN.md §3.5).
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { MemberPage, MemberSearch, MemberStatus, MemberSummary, MemberView } from '../contract/members.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import type { MemberFacts } from '../domain/member.js';
import { normalizeKana } from '../domain/names.js';
import type { Database, MembersTable } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext, today } from './context.js';
import { hubEntryOn, type VersionRow } from './hub.js';
import { factsOfRow } from './member-facts.js';

type MemberRow = Selectable<MembersTable>;

/**
 * The member row if the actor may see it: admin of its association, employer of its 記号.
 * Otherwise MEMBER_NOT_FOUND, exactly as for an unknown id.
 */
export async function loadMemberInScope(
  db: Kysely<Database>,
  actor: Actor,
  memberId: string,
  roles: Array<'admin' | 'employer'> = ['admin', 'employer'],
): Promise<MemberRow> {
  requireRole(actor, ...roles);
  const row = await db.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirst();
  if (!row || !inScope(actor, row)) throw new ShikakuError('MEMBER_NOT_FOUND');
  return row;
}

function inScope(actor: Actor, row: { insurer_number: string; symbol: string }): boolean {
  if (actor.insurerNumber === null || actor.insurerNumber !== row.insurer_number) return false;
  return actor.role !== 'employer' || actor.employerSymbol === row.symbol;
}

// --- search -------------------------------------------------------------------------------------------

function encodeCursor(row: { symbol: string; number: string; branch: string }): string {
  return Buffer.from(JSON.stringify([row.symbol, row.number, row.branch])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')) {
      return value as [string, string, string];
    }
  } catch {
    // fall through
  }
  throw new ShikakuError(
    'VALIDATION_FAILED',
    { field: 'cursor' },
    { ja: 'cursor が不正です', en: 'the cursor is not valid' },
  );
}

/** Escaped for LIKE … ESCAPE with a backslash, the same on both stores (SQLite has no default escape). */
const LIKE_SPECIAL = /[\\%_]/g;

/**
 * Members of the actor's association (an employer: its 記号 only) by kana prefix, 記号, 番号 and
 * birth date, in 記号・番号・枝番 order (text order), keyset-paged. Audited with the count only.
 */
export async function searchMembers(ctx: ServiceContext, actor: Actor, query: MemberSearch): Promise<MemberPage> {
  requireRole(actor, 'admin', 'employer');
  const insurerNumber = actor.insurerNumber;
  if (insurerNumber === null) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  const employerSymbol = actor.role === 'employer' ? actor.employerSymbol : null;
  let items: MemberSummary[] = [];
  let nextCursor: string | null = null;
  // An employer asking for another 記号 simply finds nothing.
  if (employerSymbol === null || query.symbol === undefined || query.symbol === employerSymbol) {
    let q = ctx.store.db.selectFrom('members').selectAll().where('insurer_number', '=', insurerNumber);
    const wantedSymbol = employerSymbol ?? query.symbol;
    if (wantedSymbol !== undefined) q = q.where('symbol', '=', wantedSymbol);
    if (query.number !== undefined) q = q.where('number', '=', query.number);
    if (query.birthDate !== undefined) q = q.where('birth_date', '=', query.birthDate);
    if (query.kana !== undefined) {
      const prefix = normalizeKana(query.kana).replace(LIKE_SPECIAL, (c) => `\\${c}`);
      q = q.where(sql<boolean>`${sql.ref('name_kana')} like ${`${prefix}%`} escape '\\'`);
    }
    if (query.cursor !== undefined) {
      const [s, n, b] = decodeCursor(query.cursor);
      q = q.where((eb) => eb(eb.refTuple('symbol', 'number', 'branch'), '>', eb.tuple(s, n, b)));
    }
    const rows = await q
      .orderBy('symbol')
      .orderBy('number')
      .orderBy('branch')
      .limit(query.limit + 1)
      .execute();
    const page = rows.slice(0, query.limit);
    items = page.map(summaryOf);
    const last = page.at(-1);
    nextCursor = rows.length > query.limit && last ? encodeCursor(last) : null;
  }
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'member.search',
      insurerNumber,
      detail: { count: items.length },
    }),
  );
  return { items, nextCursor };
}

function summaryOf(row: MemberRow): MemberSummary {
  return {
    memberId: row.id,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    relationship: row.relationship,
    name: row.name,
    nameKana: row.name_kana,
    birthDate: row.birth_date,
    sex: row.sex,
    acquiredOn: row.acquired_on,
    lostOn: row.lost_on,
    hubStatus: row.hub_status,
  };
}

// --- one member -----------------------------------------------------------------------------------------

export function statusOn(facts: { acquiredOn: IsoDate; lostOn: IsoDate | null }, asOf: IsoDate): MemberStatus {
  if (asOf < facts.acquiredOn) return 'not_started';
  if (facts.lostOn !== null && facts.lostOn <= asOf) return 'lost';
  return 'eligible';
}

/** One member on `asOf` (default today in Japan), with history, dependents and legacy cards. Audited. */
export async function viewMember(
  ctx: ServiceContext,
  actor: Actor,
  memberId: string,
  asOf: IsoDate = today(ctx),
): Promise<MemberView> {
  const db = ctx.store.db;
  const row = await loadMemberInScope(db, actor, memberId);
  const [versions, dependents, insured, legacyCards] = await Promise.all([
    db
      .selectFrom('member_versions')
      .select(['member_id', 'version', 'recorded_on', 'hub_available_on', 'hub_status', 'hub_mismatch_fields', 'facts'])
      .where('member_id', '=', row.id)
      .orderBy('version')
      .execute(),
    db.selectFrom('members').selectAll().where('insured_member_id', '=', row.id).orderBy('branch').execute(),
    row.insured_member_id === null
      ? Promise.resolve(undefined)
      : db
          .selectFrom('members')
          .select(['id', 'symbol', 'number', 'branch'])
          .where('id', '=', row.insured_member_id)
          .executeTakeFirst(),
    db
      .selectFrom('legacy_cards')
      .select(['id', 'issued_on'])
      .where('member_id', '=', row.id)
      .orderBy('issued_on')
      .execute(),
  ]);
  const facts = factsOfRow(row);
  const status = statusOn(facts, asOf);
  const hub = hubEntryOn(row.id, versions as VersionRow[], asOf);
  const view: MemberView = {
    ...summaryOf(row),
    insurerNumber: row.insurer_number,
    insuredMemberId: row.insured_member_id,
    address: row.address,
    myNumber: row.my_number_last4 === null ? null : `********${row.my_number_last4}`,
    standardMonthlyRemuneration: facts.standardMonthlyRemuneration,
    asOf,
    status,
    eligible: status === 'eligible',
    version: Number(row.version),
    recordedOn: row.recorded_on,
    hubAvailableOn: row.hub_available_on,
    mismatchFields: JSON.parse(row.hub_mismatch_fields) as string[],
    hubOnAsOf: hub === null ? null : hubView(hub.record),
    versions: versions.map((v) => ({
      version: Number(v.version),
      recordedOn: v.recorded_on,
      hubAvailableOn: v.hub_available_on,
      hubStatus: v.hub_status,
      mismatchFields: JSON.parse(v.hub_mismatch_fields) as string[],
      facts: JSON.parse(v.facts) as MemberFacts,
    })),
    insured: insured
      ? { memberId: insured.id, symbol: insured.symbol, number: insured.number, branch: insured.branch }
      : null,
    dependents: dependents.map(summaryOf),
    legacyCards: legacyCards.map((c) => ({ legacyCardId: c.id, issuedOn: c.issued_on })),
  };
  await db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'member.view',
      insurerNumber: row.insurer_number,
      memberId: row.id,
      detail: { asOf },
    }),
  );
  return view;
}

function hubView(record: NonNullable<ReturnType<typeof hubEntryOn>>['record']): MemberView['hubOnAsOf'] {
  switch (record.state) {
    case 'registered':
    case 'no_my_number':
      return { state: record.state };
    case 'pending':
      return { state: 'pending', hubAvailableOn: record.hubAvailableOn };
    case 'mismatch':
      return { state: 'mismatch', fields: record.fields };
  }
}
