/**
 * Writing what a notification recorded, all in its transaction: the members row (latest state), a
 * new member_versions row with its hub registration (RULES.md §5), the notifications row (My Number
 * masked), the audit records and the documents it calls for.
 */

import type { Kysely } from 'kysely';
import type { NotificationInput, NotificationResult } from '../../contract/notifications.js';
import { hubAvailableOn } from '../../domain/calendar.js';
import type { IsoDate } from '../../domain/dates.js';
import { maskMyNumber } from '../../domain/mynumber.js';
import type { Dialect } from '../../store/db.js';
import { fastInsert, fastRun, insertStatement, placeholders } from '../../store/fast.js';
import type { Database, MembersTable, MemberVersionsTable, NotificationsTable } from '../../store/schema.js';
import { type AuditEntry, appendAudit } from '../audit.js';
import { newId, nowIso } from '../context.js';
import { checkHubRegistration, type HubCheck } from '../hub.js';
import { onNotificationRecorded } from '../notification-hooks.js';
import { memberState } from './errors.js';
import type { MemberState } from './member-state.js';
import type { Run } from './run.js';

/** What notifications.payload holds: the notification with any My Number masked, and its answer. */
export interface StoredPayload {
  notification: Record<string, unknown>;
  result: NotificationResult;
}

/** The columns of a member's state that a notification writes (all but id and created_at). */
const MEMBER_STATE_COLUMNS = [
  'insurer_number',
  'symbol',
  'number',
  'branch',
  'relationship',
  'insured_member_id',
  'name',
  'name_kana',
  'birth_date',
  'sex',
  'address',
  'my_number_enc',
  'my_number_index',
  'my_number_last4',
  'acquired_on',
  'lost_on',
  'standard_monthly_remuneration',
  'version',
  'recorded_on',
  'hub_available_on',
  'hub_status',
  'hub_mismatch_fields',
] as const satisfies ReadonlyArray<keyof MembersTable>;

// The writes of every notification, as hand-written SQL (src/store/fast.ts, docs/PERFORMANCE.md).
export const INSERT_MEMBER = insertStatement<MembersTable>('members', ['id', ...MEMBER_STATE_COLUMNS, 'created_at']);
const UPDATE_MEMBER = `update members set ${MEMBER_STATE_COLUMNS.map((c) => `"${c}" = ?`).join(', ')} where id = ?`;
export const INSERT_VERSION = insertStatement<MemberVersionsTable>('member_versions', [
  'member_id',
  'insurer_number',
  'version',
  'notification_id',
  'recorded_on',
  'hub_available_on',
  'hub_status',
  'hub_mismatch_fields',
  'facts',
  'created_at',
]);
export const INSERT_NOTIFICATION = insertStatement<NotificationsTable>('notifications', [
  'id',
  'insurer_number',
  'kind',
  'idempotency_key',
  'member_id',
  'recorded_on',
  'source',
  'payload',
  'certificate_requested',
  'created_at',
]);

export interface Recorded {
  hub: HubCheck;
  hubAvailableOn: IsoDate;
}

/** Writes the members row and a new version, with its hub registration (RULES.md §5). */
async function recordVersion(run: Run, member: MemberState, notificationId: string): Promise<Recorded> {
  const { trx, recordedOn } = run;
  if (member.recordedOn !== null && recordedOn < member.recordedOn) {
    throw memberState(
      `届出日が前回の届出日（${member.recordedOn}）より前です`,
      `recordedOn is before the member's last recorded change (${member.recordedOn})`,
    );
  }
  const hub = await checkHubRegistration(trx, member.myNumberIndex, member.facts);
  const available = hubAvailableOn(recordedOn);
  const createdAt = nowIso(run.ctx);
  const columns = memberColumns(member, recordedOn, hub, available);
  if (member.isNew) {
    await fastInsert(trx, INSERT_MEMBER, { id: member.id, ...columns, created_at: createdAt });
  } else {
    await updateMember(trx, member.id, columns);
  }
  await fastInsert(trx, INSERT_VERSION, versionRow(member, columns, notificationId, createdAt));
  return { hub, hubAvailableOn: available };
}

/** Writes a member's state columns over its members row. */
export async function updateMember(
  trx: Kysely<Database>,
  id: string,
  columns: Omit<MembersTable, 'id' | 'created_at'>,
): Promise<void> {
  await fastRun(trx, UPDATE_MEMBER, [...MEMBER_STATE_COLUMNS.map((c) => columns[c]), id]);
}

/** Integer columns of the state: a PostgreSQL VALUES list types its parameters as text. */
const INTEGER_STATE_COLUMNS = new Set<string>(['standard_monthly_remuneration', 'version']);
/** Rows a set-wise update sets at most in one statement (PostgreSQL takes 65,535 parameters). */
const UPDATES_PER_STATEMENT = 1_000;

/**
 * Writes members' state columns over their rows, the last state of each member winning: on SQLite
 * one prepared statement run per row (the engine's own bulk path), on PostgreSQL one UPDATE … FROM
 * (VALUES …) for up to UPDATES_PER_STATEMENT rows, one round trip rather than one per row.
 */
export async function updateMembers(
  trx: Kysely<Database>,
  dialect: Dialect,
  rows: ReadonlyArray<Omit<MembersTable, 'created_at'>>,
): Promise<void> {
  const last = [...new Map(rows.map((r) => [r.id, r])).values()];
  if (dialect === 'sqlite') {
    for (const { id, ...columns } of last) await updateMember(trx, id, columns);
    return;
  }
  const set = MEMBER_STATE_COLUMNS.map(
    (c) => `"${c}" = v."${c}"${INTEGER_STATE_COLUMNS.has(c) ? '::integer' : ''}`,
  ).join(', ');
  const tuple = `(${placeholders(MEMBER_STATE_COLUMNS.length + 1)})`;
  const names = ['id', ...MEMBER_STATE_COLUMNS].map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < last.length; i += UPDATES_PER_STATEMENT) {
    const chunk = last.slice(i, i + UPDATES_PER_STATEMENT);
    await fastRun(
      trx,
      `update members as m set ${set} from (values ${chunk.map(() => tuple).join(', ')}) as v(${names}) where m.id = v.id`,
      chunk.flatMap((r) => [r.id, ...MEMBER_STATE_COLUMNS.map((c) => r[c])]),
      { oneOff: true },
    );
  }
}

/**
 * Records the member's new version (and those of the dependents it ends), the notification and
 * the audit, runs the documents hook, and answers the notification.
 */
export async function finish(
  run: Run,
  input: NotificationInput,
  member: MemberState,
  cascade: MemberState[] = [],
): Promise<NotificationResult> {
  const { trx, ctx, actor } = run;
  const notificationId = newId();
  const recorded = await recordVersion(run, member, notificationId);
  const at = nowIso(ctx);
  for (const dependent of cascade) {
    await recordVersion(run, dependent, notificationId);
    await appendAudit(
      trx,
      ctx.store.dialect,
      actor,
      at,
      endedWithAudit(run, input, dependent.id, member.id, notificationId),
    );
  }
  const result = notificationResult(input, member, recorded, notificationId, cascade);
  await fastInsert(trx, INSERT_NOTIFICATION, notificationRow(run, input, result, at));
  await appendAudit(trx, ctx.store.dialect, actor, at, notificationAudit(run, input, result));
  // Documents the notification calls for (お知らせ at acquisition, 資格確認書 collection), same transaction.
  await onNotificationRecorded(trx, ctx, actor, {
    kind: input.kind,
    recordedOn: run.recordedOn,
    memberId: member.id,
    before: member.before,
    after: member.facts,
    ended: cascade.map((d) => ({ memberId: d.id, lostOn: d.facts.lostOn })),
  });
  return result;
}

/** The members row's state columns after `member`'s next version (all but id and created_at). */
export function memberColumns(
  member: MemberState,
  recordedOn: IsoDate,
  hub: HubCheck,
  available: IsoDate,
): Omit<MembersTable, 'id' | 'created_at'> {
  const f = member.facts;
  return {
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
    my_number_enc: member.myNumberEnc,
    my_number_index: member.myNumberIndex,
    my_number_last4: f.myNumberLast4,
    acquired_on: f.acquiredOn,
    lost_on: f.lostOn,
    standard_monthly_remuneration: f.standardMonthlyRemuneration,
    version: member.version + 1,
    recorded_on: recordedOn,
    hub_available_on: available,
    hub_status: hub.status,
    hub_mismatch_fields: JSON.stringify(hub.fields),
  };
}

/** The member_versions row of the version `columns` describe. */
export function versionRow(
  member: MemberState,
  columns: Omit<MembersTable, 'id' | 'created_at'>,
  notificationId: string,
  createdAt: string,
): MemberVersionsTable {
  return {
    member_id: member.id,
    insurer_number: columns.insurer_number,
    version: columns.version,
    notification_id: notificationId,
    recorded_on: columns.recorded_on,
    hub_available_on: columns.hub_available_on,
    hub_status: columns.hub_status,
    hub_mismatch_fields: columns.hub_mismatch_fields,
    facts: JSON.stringify(member.facts),
    created_at: createdAt,
  };
}

/** The answer to a notification that recorded `member` (and ended `cascade`). */
export function notificationResult(
  input: NotificationInput,
  member: MemberState,
  recorded: Recorded,
  notificationId: string,
  cascade: readonly MemberState[] = [],
): NotificationResult {
  const f = member.facts;
  return {
    notificationId,
    memberId: member.id,
    symbol: f.symbol,
    number: f.number,
    branch: f.branch,
    hubStatus: recorded.hub.status,
    hubAvailableOn: recorded.hubAvailableOn,
    ...(recorded.hub.status === 'mismatch'
      ? { mismatch: { fields: recorded.hub.fields, nearMatch: recorded.hub.nearMatch } }
      : {}),
    ...(input.kind === 'loss' ? { endedDependents: cascade.map((d) => d.id) } : {}),
  };
}

type RunFacts = Pick<Run, 'recordedOn' | 'key' | 'source'>;

/** The notifications row, its payload the masked notification and its answer. */
export function notificationRow(
  run: RunFacts,
  input: NotificationInput,
  result: NotificationResult,
  at: string,
): NotificationsTable {
  const payload: StoredPayload = { notification: maskedNotification(input, run.recordedOn), result };
  return {
    id: result.notificationId,
    insurer_number: input.insurerNumber,
    kind: input.kind,
    idempotency_key: run.key,
    member_id: result.memberId,
    recorded_on: run.recordedOn,
    source: run.source,
    payload: JSON.stringify(payload),
    certificate_requested:
      (input.kind === 'acquisition' || input.kind === 'dependent_add') && input.certificateRequested ? 1 : 0,
    created_at: at,
  };
}

/** The audit entry of the notification itself (the member it recorded). */
export function notificationAudit(run: RunFacts, input: NotificationInput, result: NotificationResult): AuditEntry {
  return {
    action: `notification.${input.kind}`,
    insurerNumber: input.insurerNumber,
    memberId: result.memberId,
    detail: { kind: input.kind, recordedOn: run.recordedOn, notificationId: result.notificationId, source: run.source },
  };
}

/** The audit entry of a dependent whose cover a notification of its insured ended. */
export function endedWithAudit(
  run: RunFacts,
  input: NotificationInput,
  dependentId: string,
  insuredId: string,
  notificationId: string,
): AuditEntry {
  return {
    action: `notification.${input.kind}`,
    insurerNumber: input.insurerNumber,
    memberId: dependentId,
    detail: { kind: input.kind, recordedOn: run.recordedOn, notificationId, withInsured: insuredId },
  };
}

/** The notification as stored: any My Number masked (`********1234`), recordedOn filled in. */
function maskedNotification(input: NotificationInput, recordedOn: IsoDate): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...input, recordedOn };
  if ('person' in input && input.person.myNumber !== undefined) {
    copy.person = { ...input.person, myNumber: maskMyNumber(input.person.myNumber) };
  }
  if (input.kind === 'change' && input.myNumber !== undefined) copy.myNumber = maskMyNumber(input.myNumber);
  return copy;
}
