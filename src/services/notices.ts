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
import { buildNoticeContents, type NoticeContents } from '../domain/notice.js';
import { fastAll, fastInsert, insertStatement } from '../store/fast.js';
import type { Database, NoticesTable } from '../store/schema.js';
import { type Actor, requireInsurerScope } from './actor.js';
import { appendAudit } from './audit.js';
import { newId, nowIso, type ServiceContext } from './context.js';
import { type DocumentRole, memberVisibleTo } from './document-scope.js';
import { printedMember } from './documents/printed.js';
import type { MemberRow } from './issuance-facts.js';

export type NoticeRow = Selectable<NoticesTable>;
export type NoticeReason = NoticesTable['reason'];

/** The 標準報酬月額 that decides a member's 70–74 ratio: their own, or their insured's. */
export async function remunerationsFor(
  db: Kysely<Database>,
  members: readonly MemberRow[],
): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  const insuredIds = new Set<string>();
  for (const m of members) {
    if (m.relationship === 'insured' || m.insured_member_id === null) {
      out.set(m.id, m.standard_monthly_remuneration === null ? null : Number(m.standard_monthly_remuneration));
    } else insuredIds.add(m.insured_member_id);
  }
  if (insuredIds.size > 0) {
    const rows = await db
      .selectFrom('members')
      .select(['id', 'standard_monthly_remuneration'])
      .where('id', 'in', [...insuredIds])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r.standard_monthly_remuneration]));
    for (const m of members) {
      if (out.has(m.id) || m.insured_member_id === null) continue;
      const r = byId.get(m.insured_member_id);
      out.set(m.id, r === null || r === undefined ? null : Number(r));
    }
  }
  return out;
}

/** The お知らせ contents of a member on `asOf` (RULES.md §3). */
export function noticeContentsOf(
  member: MemberRow,
  insurerName: string,
  insuredRemuneration: number | null,
  asOf: IsoDate,
): NoticeContents {
  return buildNoticeContents(
    {
      ...printedMember(member, insurerName),
      acquiredOn: member.acquired_on,
      myNumberLast4: member.my_number_last4,
      insuredRemuneration,
    },
    asOf,
  );
}

/** The contents for many members (one extra query for the dependents' insured). */
export async function noticeContentsFor(
  db: Kysely<Database>,
  members: readonly MemberRow[],
  insurerName: string,
  asOf: IsoDate,
): Promise<Map<string, NoticeContents>> {
  const remunerations = await remunerationsFor(db, members);
  return new Map(
    members.map((m) => [m.id, noticeContentsOf(m, insurerName, remunerations.get(m.id) ?? null, asOf)] as const),
  );
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
  const row: NoticeRow = {
    id: newId(),
    member_id: member.id,
    insurer_number: member.insurer_number,
    issued_on: contents.issuedOn,
    reason,
    contents: JSON.stringify(contents),
    application_id: applicationId,
    created_at: at,
  };
  await fastInsert(trx, INSERT_NOTICE, row);
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: 'notice.issue',
    insurerNumber: member.insurer_number,
    memberId: member.id,
    detail: { noticeId: row.id, reason, issuedOn: row.issued_on, ...(applicationId ? { applicationId } : {}) },
  });
  return row;
}

const INSERT_NOTICE = insertStatement<NoticesTable>('notices', [
  'id',
  'member_id',
  'insurer_number',
  'issued_on',
  'reason',
  'contents',
  'application_id',
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
      const held = new Set(
        (
          await trx
            .selectFrom('notices')
            .select('member_id')
            .where(
              'member_id',
              'in',
              members.map((m) => m.id),
            )
            .execute()
        ).map((r) => r.member_id),
      );
      const due = members.filter((m) => !held.has(m.id) && coveredOrStarting(m, input.asOf));
      const contents = await noticeContentsFor(trx, due, name, input.asOf);
      for (const m of members) {
        if (held.has(m.id)) result.skipped.push({ memberId: m.id, reason: 'already_has_notice' });
        else if (!coveredOrStarting(m, input.asOf)) result.skipped.push({ memberId: m.id, reason: 'not_eligible' });
        else {
          const c = contents.get(m.id);
          if (!c) throw new Error(`no notice contents for ${m.id}`);
          const row = await insertNotice(trx, ctx, actor, m, c, 'initial');
          result.issued.push({ memberId: m.id, noticeId: row.id });
        }
      }
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
  if (!roles.includes(actor.role as DocumentRole)) throw new ShikakuError('FORBIDDEN', { role: actor.role });
  const notice = await db.selectFrom('notices').selectAll().where('id', '=', noticeId).executeTakeFirst();
  const member = notice
    ? await db.selectFrom('members').selectAll().where('id', '=', notice.member_id).executeTakeFirst()
    : undefined;
  if (!notice || !member || !memberVisibleTo(actor, member)) throw new ShikakuError('NOTICE_NOT_FOUND');
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
