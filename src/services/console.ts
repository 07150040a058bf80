/**
 * What the screens need beyond the registry API (issue #4): who a token is, the association's
 * dashboard (counts and warnings), a member's timeline of every fact, and a CSV upload that answers
 * per row like `shikaku import` but acts as the caller (an employer only for its own 記号).
 * Reads of personal data are audited (DESIGN.md §3.5).
 */
import type { Kysely } from 'kysely';
import { ShikakuError } from '../domain/codes.js';
import { addMonths, type IsoDate } from '../domain/dates.js';
import type { MemberFacts } from '../domain/member.js';
import type { ApplicationsTable, Database } from '../store/schema.js';
import { type Actor, requireRole } from './actor.js';
import { type ApplicationView, applicationView } from './applications.js';
import { appendAudit } from './audit.js';
import { nowIso, type ServiceContext, today } from './context.js';
import { type CsvHeader, csvRowNotification, decodeCsv, errorColumns, parseCsv } from './csv-import.js';
import { compareWithResident, type MismatchField, type NearMatch } from './hub.js';
import { loadMemberInScope } from './members.js';
import { type NotificationResult, type RowError, rowError, submitNotification } from './registry.js';
import { findResident } from './residents.js';

// --- who am I ----------------------------------------------------------------------------------------

export interface WhoAmI {
  role: Actor['role'];
  insurerNumber: string | null;
  insurerName: string | null;
  employerSymbol: string | null;
  providerCode: string | null;
  memberId: string | null;
  /** Today in Japan by the server's clock: the screens' default "as of" day. */
  today: IsoDate;
}

/** The caller's role and scope (no secret, no personal data), so a screen can check it fits. */
export async function whoAmI(ctx: ServiceContext, actor: Actor): Promise<WhoAmI> {
  let insurerNumber = actor.insurerNumber;
  if (actor.role === 'member' && actor.memberId) {
    const row = await ctx.store.db
      .selectFrom('members')
      .select('insurer_number')
      .where('id', '=', actor.memberId)
      .executeTakeFirst();
    insurerNumber = row?.insurer_number ?? null;
  }
  const insurer = insurerNumber
    ? await ctx.store.db
        .selectFrom('insurers')
        .select('name')
        .where('insurer_number', '=', insurerNumber)
        .executeTakeFirst()
    : undefined;
  return {
    role: actor.role,
    insurerNumber,
    insurerName: insurer?.name ?? null,
    employerSymbol: actor.employerSymbol,
    providerCode: actor.providerCode,
    memberId: actor.memberId,
    today: today(ctx),
  };
}

// --- dashboard ---------------------------------------------------------------------------------------

export interface MemberRef {
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  nameKana: string;
}

export interface MismatchEntry extends MemberRef {
  fields: MismatchField[];
  /** Variant kanji or small kana that explain the difference (RULES.md §8): a person decides. */
  nearMatch: NearMatch[];
  recordedOn: IsoDate;
}

export interface ExpiringCertificate extends MemberRef {
  certificateId: string;
  validUntil: IsoDate;
}

export interface Dashboard {
  insurerNumber: string;
  insurerName: string;
  asOf: IsoDate;
  members: { covered: number; insured: number; dependents: number; lost: number; notStarted: number };
  hub: { registered: number; pending: number; mismatch: number; noMyNumber: number };
  /** Covered members whose association holds no My Number: the hub cannot find them by card. */
  withoutMyNumber: MemberRef[];
  mismatches: MismatchEntry[];
  /** 資格確認書 (the member's current one) whose validity ends within 3 months of asOf. */
  certificatesExpiring: ExpiringCertificate[];
  /** Applications received and not yet decided. */
  applicationsPending: number;
}

/** How many member references a dashboard list carries (the counts are complete). */
export const DASHBOARD_LIST_LIMIT = 50;

function refOf(row: {
  id: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  name_kana: string;
}): MemberRef {
  return {
    memberId: row.id,
    symbol: row.symbol,
    number: row.number,
    branch: row.branch,
    name: row.name,
    nameKana: row.name_kana,
  };
}

/**
 * The association's counts and warnings on `asOf` (default today), by the facts known now: covered
 * members, hub registrations (registered, pending until hubAvailableOn, mismatch, no My Number), the
 * mismatches with their differing fields and near-match hints, and 資格確認書 expiring within 3 months.
 * Admin of the association only; audited with the counts.
 */
export async function insurerDashboard(
  ctx: ServiceContext,
  actor: Actor,
  insurerNumber: string,
  asOf: IsoDate = today(ctx),
): Promise<Dashboard> {
  requireRole(actor, 'admin');
  // Another association's dashboard is answered as if it did not exist (out-of-scope reads are 404).
  if (actor.insurerNumber !== insurerNumber) throw new ShikakuError('INSURER_NOT_FOUND');
  const db = ctx.store.db;
  const insurer = await db
    .selectFrom('insurers')
    .select('name')
    .where('insurer_number', '=', insurerNumber)
    .executeTakeFirst();
  if (!insurer) throw new ShikakuError('INSURER_NOT_FOUND');
  const rows = await db
    .selectFrom('members')
    .select([
      'id',
      'symbol',
      'number',
      'branch',
      'name',
      'name_kana',
      'birth_date',
      'sex',
      'address',
      'relationship',
      'acquired_on',
      'lost_on',
      'hub_status',
      'hub_available_on',
      'hub_mismatch_fields',
      'my_number_index',
      'recorded_on',
    ])
    .where('insurer_number', '=', insurerNumber)
    .orderBy('symbol')
    .orderBy('number')
    .orderBy('branch')
    .execute();

  const members = { covered: 0, insured: 0, dependents: 0, lost: 0, notStarted: 0 };
  const hub = { registered: 0, pending: 0, mismatch: 0, noMyNumber: 0 };
  const withoutMyNumber: MemberRef[] = [];
  const mismatches: MismatchEntry[] = [];
  for (const row of rows) {
    if (row.acquired_on > asOf) {
      members.notStarted++;
      continue;
    }
    if (row.lost_on !== null && row.lost_on <= asOf) {
      members.lost++;
      continue;
    }
    members.covered++;
    if (row.relationship === 'insured') members.insured++;
    else members.dependents++;
    if (row.hub_available_on > asOf) hub.pending++;
    if (row.hub_status === 'registered') hub.registered++;
    if (row.hub_status === 'no_my_number') {
      hub.noMyNumber++;
      if (withoutMyNumber.length < DASHBOARD_LIST_LIMIT) withoutMyNumber.push(refOf(row));
    }
    if (row.hub_status === 'mismatch') {
      hub.mismatch++;
      if (mismatches.length < DASHBOARD_LIST_LIMIT) {
        // The hint is recomputed against today's resident record: it may have been corrected since.
        const resident = row.my_number_index ? await findResident(db, row.my_number_index) : null;
        const check = compareWithResident(
          { name: row.name, nameKana: row.name_kana, birthDate: row.birth_date, sex: row.sex, address: row.address },
          resident,
        );
        mismatches.push({
          ...refOf(row),
          fields: JSON.parse(row.hub_mismatch_fields) as MismatchField[],
          nearMatch: check.nearMatch,
          recordedOn: row.recorded_on,
        });
      }
    }
  }

  const certificatesExpiring = await expiringCertificates(db, insurerNumber, asOf);
  const pending = await db
    .selectFrom('applications')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('insurer_number', '=', insurerNumber)
    .where('state', '=', 'received')
    .executeTakeFirst();
  const applicationsPending = Number(pending?.n ?? 0);

  await db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'insurer.dashboard',
      insurerNumber,
      detail: { asOf, covered: members.covered },
    }),
  );
  return {
    insurerNumber,
    insurerName: insurer.name,
    asOf,
    members,
    hub,
    withoutMyNumber,
    mismatches,
    certificatesExpiring,
    applicationsPending,
  };
}

/**
 * 資格確認書 that are the member's current proof on asOf (issued by then, the newest, not collected or
 * reported lost by then) and whose validity ends within 3 months: the association renews or
 * re-decides them before they lapse (RULES.md §2).
 */
async function expiringCertificates(
  db: Kysely<Database>,
  insurerNumber: string,
  asOf: IsoDate,
): Promise<ExpiringCertificate[]> {
  const until = addMonths(asOf, 3);
  const rows = await db
    .selectFrom('eligibility_certificates as c')
    .innerJoin('members as m', 'm.id', 'c.member_id')
    .select([
      'c.id as certificate_id',
      'c.valid_until',
      'c.issued_on',
      'm.id',
      'm.symbol',
      'm.number',
      'm.branch',
      'm.name',
      'm.name_kana',
    ])
    .where('c.insurer_number', '=', insurerNumber)
    .where('c.issued_on', '<=', asOf)
    .where('c.valid_until', '>=', asOf)
    .where('c.valid_until', '<=', until)
    .where((eb) => eb.or([eb('c.collected_on', 'is', null), eb('c.collected_on', '>', asOf)]))
    .where((eb) => eb.or([eb('c.reported_lost_on', 'is', null), eb('c.reported_lost_on', '>', asOf)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('eligibility_certificates as newer')
            .select('newer.id')
            .whereRef('newer.member_id', '=', 'c.member_id')
            .whereRef('newer.issued_on', '>', 'c.issued_on')
            .where('newer.issued_on', '<=', asOf),
        ),
      ),
    )
    .orderBy('c.valid_until')
    .orderBy('m.symbol')
    .orderBy('m.number')
    .orderBy('m.branch')
    .limit(DASHBOARD_LIST_LIMIT)
    .execute();
  return rows.map((r) => ({ ...refOf(r), certificateId: r.certificate_id, validUntil: r.valid_until }));
}

// --- timeline ----------------------------------------------------------------------------------------

export type TimelineKind =
  | 'acquired'
  | 'lost'
  | 'notification'
  | 'hub'
  | 'legacy_card'
  | 'card'
  | 'card_registration'
  | 'certificate'
  | 'notice'
  | 'verification';

/**
 * One fact of a member's life. `on` is the day it is about (valid time: acquisition, loss, a card's
 * issue); `recordedOn` the day the registry or the hub learnt it (transaction time). A screen asking
 * "as of D" shows what was known by D: the events with `recordedOn <= D`.
 */
export interface TimelineEvent {
  on: IsoDate;
  recordedOn: IsoDate;
  kind: TimelineKind;
  detail: Record<string, string | number | boolean | null | string[]>;
}

export interface Timeline {
  memberId: string;
  events: TimelineEvent[];
}

const KNOWN_KINDS = new Set(['acquisition', 'dependent_add', 'loss', 'dependent_remove', 'change']);

/**
 * Every fact about a member, oldest first: versions (the notification behind each, hub status from
 * hubAvailableOn), acquisition and loss, legacy cards, the person's cards and 利用登録 (the association
 * holds the My Number), 資格確認書 and お知らせ when the store has them, and verifications answered for
 * the member. Admin of the member's association; audited.
 */
export async function memberTimeline(ctx: ServiceContext, actor: Actor, memberId: string): Promise<Timeline> {
  const db = ctx.store.db;
  const member = await loadMemberInScope(db, actor, memberId, ['admin']);
  const events: TimelineEvent[] = [];
  const versions = await db
    .selectFrom('member_versions')
    .leftJoin('notifications', 'notifications.id', 'member_versions.notification_id')
    .select([
      'member_versions.version',
      'member_versions.recorded_on',
      'member_versions.hub_available_on',
      'member_versions.hub_status',
      'member_versions.hub_mismatch_fields',
      'member_versions.facts',
      'notifications.kind',
      'notifications.source',
    ])
    .where('member_versions.member_id', '=', memberId)
    .orderBy('member_versions.version')
    .execute();
  let previous: MemberFacts | null = null;
  for (const v of versions) {
    const facts = JSON.parse(v.facts) as MemberFacts;
    const kind = v.kind && KNOWN_KINDS.has(v.kind) ? v.kind : 'change';
    events.push({
      on: v.recorded_on,
      recordedOn: v.recorded_on,
      kind: 'notification',
      detail: { version: Number(v.version), notification: kind, source: v.source ?? null },
    });
    if (!previous || previous.acquiredOn !== facts.acquiredOn) {
      events.push({
        on: facts.acquiredOn,
        recordedOn: v.recorded_on,
        kind: 'acquired',
        detail: { version: Number(v.version) },
      });
    }
    if (facts.lostOn !== null && previous?.lostOn !== facts.lostOn) {
      events.push({
        on: facts.lostOn,
        recordedOn: v.recorded_on,
        kind: 'lost',
        detail: { version: Number(v.version) },
      });
    }
    events.push({
      on: v.hub_available_on,
      recordedOn: v.recorded_on,
      kind: 'hub',
      detail: {
        version: Number(v.version),
        hubStatus: v.hub_status,
        mismatchFields: JSON.parse(v.hub_mismatch_fields) as string[],
      },
    });
    previous = facts;
  }
  for (const c of await db
    .selectFrom('legacy_cards')
    .select(['issued_on', 'created_at'])
    .where('member_id', '=', memberId)
    .execute()) {
    events.push({ on: c.issued_on, recordedOn: c.created_at.slice(0, 10), kind: 'legacy_card', detail: {} });
  }
  if (member.my_number_index !== null) {
    const cards = await db
      .selectFrom('cards')
      .select(['kind', 'issued_on', 'expires_on', 'status', 'ended_on'])
      .where('my_number_index', '=', member.my_number_index)
      .orderBy('issued_on')
      .execute();
    for (const c of cards) {
      events.push({
        on: c.issued_on,
        recordedOn: c.issued_on,
        kind: 'card',
        detail: { cardKind: c.kind, expiresOn: c.expires_on, status: c.status, endedOn: c.ended_on },
      });
    }
    const registrations = await db
      .selectFrom('card_registrations')
      .select(['kind', 'channel', 'recorded_on'])
      .where('my_number_index', '=', member.my_number_index)
      .orderBy('recorded_on')
      .execute();
    for (const r of registrations) {
      events.push({
        on: r.recorded_on,
        recordedOn: r.recorded_on,
        kind: 'card_registration',
        detail: { registration: r.kind, channel: r.channel },
      });
    }
  }
  events.push(...(await documentEvents(db, memberId)));
  for (const v of await db
    .selectFrom('verifications')
    .select(['id', 'provider_code', 'method', 'as_of', 'outcome', 'reasons', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('created_at')
    .execute()) {
    events.push({
      on: v.as_of,
      recordedOn: v.created_at.slice(0, 10),
      kind: 'verification',
      detail: {
        verificationId: v.id,
        providerCode: v.provider_code,
        method: v.method,
        outcome: v.outcome,
        reasons: JSON.parse(v.reasons) as string[],
      },
    });
  }
  const order: Record<TimelineKind, number> = {
    notification: 0,
    acquired: 1,
    lost: 2,
    hub: 3,
    legacy_card: 4,
    card: 5,
    card_registration: 6,
    certificate: 7,
    notice: 8,
    verification: 9,
  };
  events.sort((a, b) =>
    a.on !== b.on
      ? a.on < b.on
        ? -1
        : 1
      : a.recordedOn !== b.recordedOn
        ? a.recordedOn < b.recordedOn
          ? -1
          : 1
        : order[a.kind] - order[b.kind],
  );
  await db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'member.timeline',
      insurerNumber: member.insurer_number,
      memberId,
      detail: { events: events.length },
    }),
  );
  return { memberId, events };
}

/** 資格確認書 (issue, collection, loss report) and お知らせ of the member (issue #3). */
async function documentEvents(db: Kysely<Database>, memberId: string): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [];
  const certificates = await db
    .selectFrom('eligibility_certificates')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .execute();
  for (const c of certificates) {
    events.push({
      on: c.issued_on,
      recordedOn: c.created_at.slice(0, 10),
      kind: 'certificate',
      detail: {
        certificateId: c.id,
        event: 'issued',
        certificateKind: c.kind,
        reason: c.reason,
        validUntil: c.valid_until,
        feeYen: c.fee_yen,
        supersedesId: c.supersedes_id,
      },
    });
    if (c.collected_on !== null) {
      events.push({
        on: c.collected_on,
        recordedOn: c.collection_recorded_on ?? c.collected_on,
        kind: 'certificate',
        detail: { certificateId: c.id, event: 'collected', reason: c.collection_reason },
      });
    }
    if (c.reported_lost_on !== null) {
      events.push({
        on: c.reported_lost_on,
        recordedOn: c.reported_lost_on,
        kind: 'certificate',
        detail: { certificateId: c.id, event: 'reported_lost' },
      });
    }
  }
  const notices = await db
    .selectFrom('notices')
    .select(['id', 'issued_on', 'reason', 'created_at'])
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .execute();
  for (const n of notices) {
    events.push({
      on: n.issued_on,
      recordedOn: n.created_at.slice(0, 10),
      kind: 'notice',
      detail: { noticeId: n.id, reason: n.reason },
    });
  }
  return events;
}

// --- applications queue ------------------------------------------------------------------------------

export interface QueuedApplication extends ApplicationView {
  member: MemberRef;
}

/**
 * The association's applications in one state (default: received, the queue to decide), oldest
 * first, with the member's 記号・番号 and name so staff can tell them apart. Admin only; audited with
 * the count.
 */
export async function listApplications(
  ctx: ServiceContext,
  actor: Actor,
  query: { state?: ApplicationsTable['state'] | undefined; limit?: number | undefined } = {},
): Promise<{ items: QueuedApplication[] }> {
  requireRole(actor, 'admin');
  const insurerNumber = actor.insurerNumber;
  if (insurerNumber === null) throw new ShikakuError('FORBIDDEN', { scope: 'insurer' });
  const state = query.state ?? 'received';
  const rows = await ctx.store.db
    .selectFrom('applications as a')
    .innerJoin('members as m', 'm.id', 'a.member_id')
    .selectAll('a')
    .select(['m.symbol', 'm.number', 'm.branch', 'm.name', 'm.name_kana'])
    .where('a.insurer_number', '=', insurerNumber)
    .where('a.state', '=', state)
    .orderBy('a.received_on')
    .orderBy('a.created_at')
    .limit(query.limit ?? 200)
    .execute();
  await ctx.store.db.transaction().execute((trx) =>
    appendAudit(trx, ctx.store.dialect, actor, nowIso(ctx), {
      action: 'application.list',
      insurerNumber,
      detail: { state, count: rows.length },
    }),
  );
  return {
    items: rows.map((r) => ({
      ...applicationView(r),
      member: refOf({ ...r, id: r.member_id }),
    })),
  };
}

// --- CSV upload ----------------------------------------------------------------------------------------

export type UploadRow =
  | { line: number; ok: true; result: NotificationResult; replayed?: true }
  | { line: number; ok: false; error: RowError; columns: string[] };

export interface CsvUploadReport {
  total: number;
  accepted: number;
  rejected: number;
  /** Accepted rows written now; the rest of the accepted were imported before (replayed). */
  written: number;
  replayed: number;
  rows: UploadRow[];
}

/**
 * A CSV file of notifications uploaded through the API (the console and the employer desk). The same
 * parsing, validation and idempotency keys as `shikaku import` (src/services/csv-import.ts), but each
 * row is submitted as the caller: an admin for its association, an employer for its own 記号, so a row
 * outside the caller's scope is refused (FORBIDDEN) like the same row sent as JSON. File-level problems
 * throw VALIDATION_CSV and write nothing; row errors carry the CSV columns they point at.
 */
export async function uploadCsv(
  ctx: ServiceContext,
  actor: Actor,
  input: Uint8Array | string,
  options: { recordedOn?: IsoDate | undefined } = {},
): Promise<CsvUploadReport> {
  requireRole(actor, 'admin', 'employer');
  const text = typeof input === 'string' ? input.replace(/^\uFEFF/, '') : decodeCsv(input);
  const { header, records } = parseCsv(text);
  const report: CsvUploadReport = {
    total: records.length,
    accepted: 0,
    rejected: 0,
    written: 0,
    replayed: 0,
    rows: [],
  };
  for (const record of records) {
    try {
      const notification = csvRowNotification(header, record, {
        insurerNumber: actor.insurerNumber ?? undefined,
        recordedOn: options.recordedOn,
      });
      const outcome = await submitNotification(ctx, actor, notification, { source: 'csv' });
      report.accepted++;
      if (outcome.replayed) report.replayed++;
      else report.written++;
      report.rows.push({
        line: record.line,
        ok: true,
        result: outcome.result,
        ...(outcome.replayed ? { replayed: true as const } : {}),
      });
    } catch (error) {
      const failure = rowError(error);
      report.rejected++;
      report.rows.push({ line: record.line, ok: false, error: failure, columns: columnsOf(header, failure) });
    }
  }
  return report;
}

function columnsOf(header: CsvHeader, error: RowError): string[] {
  return errorColumns(header, error);
}
