/**
 * 資格情報のお知らせ (RULES.md §3): one to every member — existing members in a run
 * (`POST /api/v1/notices:issue`), new members at acquisition (the registry's hook), and again on an
 * approved `notice_reissue` application. The stored contents are `buildNoticeContents` (domain):
 * of the My Number only the last 4 digits the association holds. Each notice is written with its
 * audit record (`notice.issue`).
 *
 * Policies where the rules are silent:
 * - the run issues to members without any お知らせ yet and covered on `asOf` or starting later
 *   (a notification recorded ahead); members lost by `asOf` (or 75) are skipped `not_eligible`;
 * - at acquisition the notice is issued on the notification's `recordedOn`, the burden ratio stated
 *   as of the acquisition date when that is later (buildNoticeContents);
 * - a run is batched like the ex-officio run (500 members per transaction) and idempotent: a member
 *   with a notice is skipped `already_has_notice`, so a re-run after a crash issues the rest.
 */
import type { Kysely, Selectable } from 'kysely';
import type { NoticeRunInput, NoticeRunResult } from '../contract/notices.js';
import { lateElderlyFrom } from '../domain/burden.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { type ElderlyIncomeFacts, elderlyIncomeFactsOf } from '../domain/elderly-income.js';
import type { MemberFacts } from '../domain/member.js';
import {
  buildNoticeContents,
  type DueNotice,
  type LastNotice,
  type NoticeContents,
  type NoticeFacts,
  noticeDue,
} from '../domain/notice.js';
import { fastAll, fastInsert, fastInsertMany, insertStatement } from '../store/fast.js';
import type { Database, NoticeDedupeKeysTable, NoticesTable } from '../store/schema.js';
import { type Actor, requireInsurerScope } from './actor.js';
import { type AuditEntry, appendAudit, appendAuditBatch } from './audit.js';
import { newId, nowIso, type ServiceContext } from './context.js';
import { type DocumentRole, loadDocumentFor } from './document-scope.js';
import { printedMember } from './documents/printed.js';
import type { MemberRow } from './issuance-facts.js';

export type NoticeRow = Selectable<NoticesTable>;
export type NoticeReason = NoticesTable['reason'];

/**
 * What decides a member's 70–74 band for each of `members` (elderly-income.ts): the insured's 標準報酬月額,
 * birth date and 基準収入額適用 approval (a dependent's from their insured; an insured's own). A
 * dependent whose insured is unknown gets a null remuneration (never 現役並み on a guess).
 */
export async function householdFactsFor(
  db: Kysely<Database>,
  members: readonly MemberRow[],
): Promise<Map<string, ElderlyIncomeFacts>> {
  const insuredIds = [
    ...new Set(
      members.map((m) => (m.relationship === 'insured' ? null : m.insured_member_id)).filter((id) => id !== null),
    ),
  ];
  const insureds = new Map<string, MemberRow>(members.map((m) => [m.id, m]));
  const missing = insuredIds.filter((id) => !insureds.has(id));
  if (missing.length > 0) {
    for (const r of await db.selectFrom('members').selectAll().where('id', 'in', missing).execute())
      insureds.set(r.id, r);
  }
  const approvals = await standardIncomeApprovals(db, [...new Set([...insureds.keys()])]);
  const out = new Map<string, ElderlyIncomeFacts>();
  for (const m of members) {
    const insuredId = m.relationship === 'insured' ? m.id : m.insured_member_id;
    const insured = insuredId === null ? undefined : insureds.get(insuredId);
    out.set(
      m.id,
      elderlyIncomeFactsOf(
        insured === undefined
          ? null
          : {
              birthDate: insured.birth_date,
              standardMonthlyRemuneration:
                insured.standard_monthly_remuneration === null ? null : Number(insured.standard_monthly_remuneration),
              standardIncomeApprovedOn: approvals.get(insured.id) ?? null,
            },
      ),
    );
  }
  return out;
}

/** The 基準収入額適用 approval of each insured, from their current facts (member_versions.facts). */
export async function standardIncomeApprovals(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, IsoDate>> {
  const out = new Map<string, IsoDate>();
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('member_versions as mv')
    .innerJoin('members as m', (j) => j.onRef('m.id', '=', 'mv.member_id').onRef('m.version', '=', 'mv.version'))
    .select(['mv.member_id', 'mv.facts'])
    .where('mv.member_id', 'in', ids)
    .execute();
  for (const r of rows) {
    const approved = (JSON.parse(r.facts) as MemberFacts).standardIncomeApprovedOn;
    if (approved) out.set(r.member_id, approved);
  }
  return out;
}

/** The お知らせ contents of a member on `asOf` (RULES.md §3). */
export function noticeContentsOf(
  member: MemberRow,
  insurerName: string,
  household: ElderlyIncomeFacts,
  asOf: IsoDate,
): NoticeContents {
  return buildNoticeContents(noticeFactsOf(member, insurerName, household), asOf);
}

/** What a お知らせ of the member would print, and what decides whether a new one is due. */
function noticeFactsOf(member: MemberRow, insurerName: string, household: ElderlyIncomeFacts): NoticeFacts {
  return {
    ...printedMember(member, insurerName),
    acquiredOn: member.acquired_on,
    myNumberLast4: member.my_number_last4,
    ...household,
    lostOn: member.lost_on,
  };
}

/** The contents for many members (one extra query for the dependents' insured). */
export async function noticeContentsFor(
  db: Kysely<Database>,
  members: readonly MemberRow[],
  insurerName: string,
  asOf: IsoDate,
): Promise<Map<string, NoticeContents>> {
  const households = await householdFactsFor(db, members);
  return new Map(
    members.map(
      (m) =>
        [m.id, noticeContentsOf(m, insurerName, households.get(m.id) ?? { insuredRemuneration: null }, asOf)] as const,
    ),
  );
}

/** The row of a new お知らせ (created `at`). */
export function noticeRow(
  member: Pick<MemberRow, 'id' | 'insurer_number'>,
  contents: NoticeContents,
  reason: NoticeReason,
  applicationId: string | null,
  at: string,
): NoticeRow {
  return {
    id: newId(),
    member_id: member.id,
    insurer_number: member.insurer_number,
    issued_on: contents.issuedOn,
    reason,
    contents: JSON.stringify(contents),
    application_id: applicationId,
    created_at: at,
  };
}

/** Its audit record (`notice.issue`). */
export function noticeIssueAudit(row: NoticeRow): AuditEntry {
  const { application_id: applicationId } = row;
  return {
    action: 'notice.issue',
    insurerNumber: row.insurer_number,
    memberId: row.member_id,
    detail: {
      noticeId: row.id,
      reason: row.reason,
      issuedOn: row.issued_on,
      ...(applicationId ? { applicationId } : {}),
    },
  };
}

/** Writes one お知らせ and its audit record in the caller's transaction. */
export async function insertNotice(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  member: Pick<MemberRow, 'id' | 'insurer_number'>,
  contents: NoticeContents,
  reason: NoticeReason,
  applicationId: string | null = null,
): Promise<NoticeRow> {
  const at = nowIso(ctx);
  const row = noticeRow(member, contents, reason, applicationId, at);
  await fastInsert(trx, INSERT_NOTICE, row);
  await appendAudit(trx, ctx.store.dialect, actor, at, noticeIssueAudit(row));
  return row;
}

export const INSERT_NOTICE = insertStatement<NoticesTable>('notices', [
  'id',
  'member_id',
  'insurer_number',
  'issued_on',
  'reason',
  'contents',
  'application_id',
  'created_at',
]);

const INSERT_DEDUPE_KEY = insertStatement<NoticeDedupeKeysTable>('notice_dedupe_keys', [
  'dedupe_key',
  'notice_id',
  'insurer_number',
  'created_at',
]);

async function insurerName(db: Kysely<Database>, insurer: string): Promise<string> {
  const [row] = await fastAll<{ name: string }>(db, 'select name from insurers where insurer_number = ?', [insurer]);
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber: insurer });
  return row.name;
}

/** Issues the お知らせ of one member on `asOf` inside `trx` (acquisition hook, approved reissue). */
export async function issueNoticeFor(
  trx: Kysely<Database>,
  ctx: ServiceContext,
  actor: Actor,
  memberId: string,
  asOf: IsoDate,
  reason: NoticeReason,
  applicationId: string | null = null,
): Promise<NoticeRow> {
  const [member] = await fastAll<MemberRow>(trx, 'select * from members where id = ?', [memberId]);
  if (!member) throw new Error(`no member ${memberId}`);
  const contents = (await noticeContentsFor(trx, [member], await insurerName(trx, member.insurer_number), asOf)).get(
    member.id,
  );
  if (!contents) throw new Error(`no notice contents for ${memberId}`);
  return insertNotice(trx, ctx, actor, member, contents, reason, applicationId);
}

const BATCH = 500;

/** What the newest お知らせ of each member printed (by 交付日, then recording order). */
async function lastNoticesOf(db: Kysely<Database>, memberIds: readonly string[]): Promise<Map<string, LastNotice>> {
  const rows = await db
    .selectFrom('notices')
    .select(['member_id', 'contents'])
    .where('member_id', 'in', memberIds)
    .orderBy('issued_on')
    .orderBy('created_at')
    .execute();
  const out = new Map<string, LastNotice>();
  for (const r of rows) out.set(r.member_id, JSON.parse(r.contents) as NoticeContents);
  return out;
}

/** Which of `keys` an earlier お知らせ already took, in one query. */
async function dedupeKeysTaken(db: Kysely<Database>, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('notice_dedupe_keys')
    .select('dedupe_key')
    .where('dedupe_key', 'in', [...keys])
    .execute();
  return new Set(rows.map((r) => r.dedupe_key));
}

function coveredOrStarting(m: MemberRow, asOf: IsoDate): boolean {
  if (m.lost_on !== null && m.lost_on <= asOf) return false;
  return asOf < lateElderlyFrom(m.birth_date);
}

/**
 * The お知らせ run (role admin of the association): every member without one yet (or those of
 * `memberIds`) gets one issued on `asOf`. Idempotent and resumable (see the module note).
 */
export async function issueNotices(
  ctx: ServiceContext,
  actor: Actor,
  input: NoticeRunInput,
  options: { onProgress?: (done: number, total: number) => void; batchSize?: number } = {},
): Promise<NoticeRunResult> {
  requireInsurerScope(actor, input.insurerNumber, ['admin']);
  const { db } = ctx.store;
  const name = await insurerName(db, input.insurerNumber);
  const batchSize = Math.max(1, options.batchSize ?? BATCH);
  const result: NoticeRunResult = { insurerNumber: input.insurerNumber, asOf: input.asOf, issued: [], skipped: [] };

  const wanted = input.memberIds ? [...new Set(input.memberIds)].sort() : null;
  const total = wanted
    ? wanted.length
    : Number(
        (
          await db
            .selectFrom('members')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('insurer_number', '=', input.insurerNumber)
            .executeTakeFirstOrThrow()
        ).n,
      );
  let done = 0;
  let cursor: string | null = null;
  let offset = 0;
  for (;;) {
    const ids = wanted ? wanted.slice(offset, offset + batchSize) : null;
    if (ids !== null && ids.length === 0) break;
    const size = await db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('members').selectAll().where('insurer_number', '=', input.insurerNumber);
      if (ids !== null) query = query.where('id', 'in', ids);
      else {
        if (cursor !== null) query = query.where('id', '>', cursor);
        query = query.orderBy('id').limit(batchSize);
      }
      const members = await query.execute();
      if (ids !== null) {
        const found = new Set(members.map((m) => m.id));
        for (const id of ids) if (!found.has(id)) result.skipped.push({ memberId: id, reason: 'not_found' });
      }
      if (members.length === 0) return ids?.length ?? 0;
      const last = await lastNoticesOf(
        trx,
        members.map((m) => m.id),
      );
      const households = await householdFactsFor(trx, members);
      // Decided in memory; the chunk's rows are then written once per table (issue #20).
      const due: Array<{ member: MemberRow; facts: NoticeFacts; lastNotice: LastNotice | null } & DueNotice> = [];
      for (const m of members) {
        const facts = noticeFactsOf(m, name, households.get(m.id) ?? { insuredRemuneration: null });
        const lastNotice = last.get(m.id) ?? null;
        // A new one when none was issued, or what the last one printed changed (issue #16 point 9).
        const next = noticeDue({ memberId: m.id, facts, lastNotice, asOf: input.asOf });
        const covered = coveredOrStarting(m, input.asOf);
        if (next === null || !covered) {
          result.skipped.push({
            memberId: m.id,
            reason: covered && lastNotice ? 'already_has_notice' : 'not_eligible',
          });
        } else due.push({ member: m, facts, lastNotice, ...next });
      }
      const taken = await dedupeKeysTaken(
        trx,
        due.map((d) => d.dedupeKey),
      );
      const at = nowIso(ctx);
      const notices: NoticeRow[] = [];
      const keys: NoticeDedupeKeysTable[] = [];
      for (const d of due) {
        if (taken.has(d.dedupeKey)) {
          result.skipped.push({ memberId: d.member.id, reason: 'already_has_notice' });
          continue;
        }
        taken.add(d.dedupeKey);
        // Issued on asOf; the ratio stated for `statedOn` (the 70–74 band's first day when becoming 高齢受給者).
        const contents = { ...buildNoticeContents(d.facts, d.statedOn), issuedOn: input.asOf };
        const row = noticeRow(d.member, contents, d.lastNotice ? 'change' : 'initial', null, at);
        notices.push(row);
        keys.push({
          dedupe_key: d.dedupeKey,
          notice_id: row.id,
          insurer_number: d.member.insurer_number,
          created_at: at,
        });
        // A first お知らせ needs no why; a later one says what changed.
        result.issued.push({
          memberId: d.member.id,
          noticeId: row.id,
          ...(d.lastNotice ? { changes: d.changes } : {}),
        });
      }
      await fastInsertMany(trx, INSERT_NOTICE, notices);
      await appendAuditBatch(
        trx,
        ctx.store.dialect,
        notices.map((row) => ({ actor, at, entry: noticeIssueAudit(row) })),
      );
      await fastInsertMany(trx, INSERT_DEDUPE_KEY, keys);
      if (ids === null) cursor = members[members.length - 1]?.id ?? cursor;
      return ids?.length ?? members.length;
    });
    done += size;
    offset += batchSize;
    options.onProgress?.(done, Math.max(total, done));
    if (ids === null && size < batchSize) break;
  }
  return result;
}

/** A notice row if `actor` (one of `roles`) may see its member, else NOTICE_NOT_FOUND. */
export async function loadNoticeFor(
  db: Kysely<Database>,
  actor: Actor,
  noticeId: string,
  roles: readonly DocumentRole[],
): Promise<{ notice: NoticeRow; member: MemberRow }> {
  const { row: notice, member } = await loadDocumentFor(db, actor, roles, 'NOTICE_NOT_FOUND', () =>
    db.selectFrom('notices').selectAll().where('id', '=', noticeId).executeTakeFirst(),
  );
  return { notice, member };
}

/** The notices of a member, oldest first. */
export async function noticesOfMember(db: Kysely<Database>, memberId: string): Promise<NoticeRow[]> {
  return db
    .selectFrom('notices')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('issued_on')
    .orderBy('created_at')
    .execute();
}
