/**
 * Employer notifications (資格取得届・資格喪失届・被扶養者異動届・変更届) into the registry (DESIGN.md §5.2,
 * RULES.md §5). Each notification runs in ONE transaction: the members row (latest state), a new
 * member_versions row with its hub registration, the notifications row (My Number masked) and the
 * audit record. Nothing is half-written: any error rolls all of it back.
 *
 * Policies where the rules are silent (docs/IMPORT.md repeats them):
 * - an omitted 番号 is the next free number under the insurer + 記号 (highest numeric number + 1,
 *   starting at "1"); an omitted 枝番 is "00" for the insured and, for a dependent, the highest
 *   branch under that 記号・番号 + 1 (a branch is never reused);
 * - `loss` without `branch` targets the insured of that 記号・番号; so does `change`;
 * - the loss of an insured ends their dependents still covered after `lostOn` on the same `lostOn`;
 * - versions are recorded in order: a notification whose `recordedOn` is before the member's last
 *   recorded one is refused (CONFLICT_MEMBER_STATE), so transaction time never goes back;
 * - an `idempotencyKey` is scoped to the association; the same key answers the first result and
 *   writes nothing (a key reused for another kind of notification → CONFLICT_IDEMPOTENCY_KEY).
 */
import { randomUUID } from 'node:crypto';
import { type ControlledTransaction, type Kysely, type Selectable, sql } from 'kysely';
import type { z } from 'zod';
import {
  type NotificationInput,
  type NotificationKind,
  notificationSchema,
  type personSchema,
} from '../contract/notifications.js';
import { hubAvailableOn } from '../domain/calendar.js';
import { ERRORS, type ErrorCode, ShikakuError } from '../domain/codes.js';
import { type IsoDate, maxDate } from '../domain/dates.js';
import type { MemberFacts } from '../domain/member.js';
import { maskMyNumber, myNumberLast4 } from '../domain/mynumber.js';
import type { Dialect } from '../store/db.js';
import { fastAll, fastInsert, fastRun, insertStatement } from '../store/fast.js';
import type { Database, HubStatus, MembersTable, MemberVersionsTable, NotificationsTable } from '../store/schema.js';
import { type Actor, requireInsurerScope, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { newId, nowIso, type ServiceContext, today } from './context.js';
import { checkHubRegistration, type HubCheck, type MismatchField, type NearMatch } from './hub.js';
import { factsOfRow } from './member-facts.js';
import { onNotificationRecorded } from './notification-hooks.js';

export type NotificationSource = NotificationsTable['source'];

// --- answers --------------------------------------------------------------------------------------

export interface NotificationResult {
  notificationId: string;
  memberId: string;
  symbol: string;
  number: string;
  branch: string;
  hubStatus: HubStatus;
  /** The day the hub answers for this registration (2nd business day after recordedOn). */
  hubAvailableOn: IsoDate;
  /** When the hub registration failed: field names and, for near-match names, the staff hint. */
  mismatch?: { fields: MismatchField[]; nearMatch: NearMatch[] };
  /** The loss of an insured: the dependents it ended on the same lostOn. */
  endedDependents?: string[];
}

export interface NotificationOutcome {
  result: NotificationResult;
  /** True when the idempotency key had been used: the first result, nothing written. */
  replayed: boolean;
}

/** What notifications.payload holds: the notification with any My Number masked, and its answer. */
interface StoredPayload {
  notification: Record<string, unknown>;
  result: NotificationResult;
}

// --- the service ------------------------------------------------------------------------------------

const INSURED_BRANCH = '00';
const MAX_ATTEMPTS = 10;

interface Secret {
  enc: string;
  index: string;
  last4: string;
}

interface Run {
  ctx: ServiceContext;
  trx: Kysely<Database>;
  actor: Actor;
  recordedOn: IsoDate;
  key: string | null;
  source: NotificationSource;
  secret: Secret | null;
}

/**
 * Records one notification (roles admin, employer — an employer only for its own 記号). Answers the
 * member's 記号・番号・枝番, hub status and hubAvailableOn (DESIGN.md §5.0, §5.2).
 */
export async function submitNotification(
  ctx: ServiceContext,
  actor: Actor,
  input: NotificationInput,
  options: {
    source?: NotificationSource;
    /**
     * An open transaction to record in (the CSV import's batches): the notification then runs in a
     * savepoint of it, so a failing one still writes nothing, and is durable when that commits.
     */
    within?: ControlledTransaction<Database>;
  } = {},
): Promise<NotificationOutcome> {
  requireInsurerScope(actor, input.insurerNumber, ['admin', 'employer'], symbolOf(input));
  const plain = input.kind === 'change' ? input.myNumber : 'person' in input ? input.person.myNumber : undefined;
  const secret: Secret | null =
    plain === undefined
      ? null
      : { enc: ctx.keyring.encrypt(plain), index: ctx.keyring.blindIndex(plain), last4: myNumberLast4(plain) };
  const recordedOn = input.recordedOn ?? today(ctx);
  const key = input.idempotencyKey === undefined ? null : `${input.insurerNumber}:${input.idempotencyKey}`;

  for (let attempt = 1; ; attempt++) {
    try {
      const body = async (trx: Kysely<Database>): Promise<NotificationOutcome> => {
        if (key !== null) {
          const first = await findReplay(trx, key, input.kind, actor);
          if (first) return { result: first, replayed: true };
        }
        const run: Run = { ctx, trx, actor, recordedOn, key, source: options.source ?? 'api', secret };
        return { result: await apply(run, input), replayed: false };
      };
      return options.within ? await inSavepoint(options.within, body) : await ctx.store.db.transaction().execute(body);
    } catch (error) {
      const violated = uniqueViolation(error);
      // A concurrent writer took the key or the auto-assigned number: the retry replays or renumbers.
      const retry = error instanceof Renumber || (violated !== null && (key !== null || isAutoNumbered(input)));
      if (retry && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof Renumber || violated === 'identity') throw new ShikakuError('DUPLICATE_MEMBER');
      throw error;
    }
  }
}

/**
 * `body` in a savepoint of `tx`: released on success, rolled back (and released) on any error. One
 * name for all: the import's savepoints follow each other (a nested one would shadow the outer one
 * until released, as SQL defines). Hand-written statements, like the writes (src/store/fast.ts).
 */
async function inSavepoint<T>(
  tx: ControlledTransaction<Database>,
  body: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  await fastRun(tx, 'savepoint notification', []);
  try {
    const result = await body(tx);
    await fastRun(tx, 'release savepoint notification', []);
    return result;
  } catch (error) {
    await fastRun(tx, 'rollback to savepoint notification', []);
    await fastRun(tx, 'release savepoint notification', []);
    throw error;
  }
}

/** The auto-assigned 番号 or 枝番 was taken by a concurrent notification meanwhile: number again. */
class Renumber extends Error {}

function symbolOf(input: NotificationInput): string {
  return input.kind === 'dependent_add' ? input.insured.symbol : input.symbol;
}

function isAutoNumbered(input: NotificationInput): boolean {
  return (
    (input.kind === 'acquisition' && input.number === undefined) ||
    (input.kind === 'dependent_add' && input.branch === undefined)
  );
}

async function apply(run: Run, input: NotificationInput): Promise<NotificationResult> {
  await requireInsurer(run.trx, input.insurerNumber);
  switch (input.kind) {
    case 'acquisition':
      return acquire(run, input);
    case 'dependent_add':
      return addDependent(run, input);
    case 'loss':
    case 'dependent_remove':
      return lose(run, input);
    case 'change':
      return change(run, input);
  }
}

type Input<K extends NotificationKind> = Extract<NotificationInput, { kind: K }>;

async function acquire(run: Run, input: Input<'acquisition'>): Promise<NotificationResult> {
  const { trx } = run;
  const number = input.number ?? (await nextNumber(trx, run.ctx.store.dialect, input.insurerNumber, input.symbol));
  const branch = input.branch ?? INSURED_BRANCH;
  const insured = await findMember(run, { insurerNumber: input.insurerNumber, symbol: input.symbol, number });
  const taken = insured !== undefined || (await identityTaken(trx, input.insurerNumber, input.symbol, number, branch));
  if (taken && input.number === undefined) throw new Renumber();
  if (insured) throw duplicate('an insured already holds this 記号・番号', 'この記号・番号の被保険者が既に存在します');
  if (taken) throw new ShikakuError('DUPLICATE_MEMBER', { symbol: input.symbol, number, branch });
  await assertMyNumberFree(run, input.insurerNumber, null);
  assertAcquiredFromBirth(input.acquiredOn, input.person.birthDate);
  const facts: MemberFacts = {
    insurerNumber: input.insurerNumber,
    symbol: input.symbol,
    number,
    branch,
    relationship: 'insured',
    insuredMemberId: null,
    ...personFacts(input.person),
    acquiredOn: input.acquiredOn,
    lostOn: null,
    standardMonthlyRemuneration: input.standardMonthlyRemuneration ?? null,
    myNumberLast4: run.secret?.last4 ?? null,
  };
  return finish(run, input, newMember(facts, run.secret));
}

async function addDependent(run: Run, input: Input<'dependent_add'>): Promise<NotificationResult> {
  const { trx } = run;
  const { symbol, number } = input.insured;
  const insured = await findMember(run, { insurerNumber: input.insurerNumber, symbol, number });
  if (!insured) throw new ShikakuError('MEMBER_NOT_FOUND', { insured: { symbol, number } });
  // A lost insured takes no new dependents (the dependents ended with them).
  if (insured.lost_on !== null || input.acquiredOn < insured.acquired_on) {
    throw new ShikakuError('CONFLICT_MEMBER_STATE', undefined, {
      ja: '被保険者が資格を喪失しているか、資格取得日に被保険者の資格がありません',
      en: 'the insured has lost eligibility, or is not covered on acquiredOn',
    });
  }
  const branch = input.branch ?? (await nextBranch(trx, input.insurerNumber, symbol, number));
  if (await identityTaken(trx, input.insurerNumber, symbol, number, branch)) {
    if (input.branch === undefined) throw new Renumber();
    throw new ShikakuError('DUPLICATE_MEMBER', { symbol, number, branch });
  }
  await assertMyNumberFree(run, input.insurerNumber, null);
  assertAcquiredFromBirth(input.acquiredOn, input.person.birthDate);
  const facts: MemberFacts = {
    insurerNumber: input.insurerNumber,
    symbol,
    number,
    branch,
    relationship: 'dependent',
    insuredMemberId: insured.id,
    ...personFacts(input.person),
    acquiredOn: input.acquiredOn,
    lostOn: null,
    // Dependents follow their insured's remuneration (RULES.md §6).
    standardMonthlyRemuneration: null,
    myNumberLast4: run.secret?.last4 ?? null,
  };
  return finish(run, input, newMember(facts, run.secret));
}

async function lose(run: Run, input: Input<'loss'> | Input<'dependent_remove'>): Promise<NotificationResult> {
  const row = await findMember(run, input);
  if (!row) throw new ShikakuError('MEMBER_NOT_FOUND');
  if (input.kind === 'loss' && row.relationship !== 'insured') {
    throw memberState('被扶養者の削除は dependent_remove で届け出てください', 'use dependent_remove for a dependent');
  }
  if (input.kind === 'dependent_remove' && row.relationship !== 'dependent') {
    throw memberState('被保険者の喪失は loss で届け出てください', 'use loss for an insured');
  }
  if (row.lost_on !== null) throw memberState('既に資格を喪失しています', 'the member has already lost eligibility');
  if (input.lostOn < row.acquired_on) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'lostOn' },
      {
        ja: '資格喪失日が資格取得日より前です',
        en: 'lostOn is before acquiredOn',
      },
    );
  }
  const member = existingMember(row);
  member.facts.lostOn = input.lostOn;
  const cascade: MemberState[] = [];
  if (input.kind === 'loss') {
    let query = run.trx
      .selectFrom('members')
      .selectAll()
      .where('insured_member_id', '=', row.id)
      .where((eb) => eb.or([eb('lost_on', 'is', null), eb('lost_on', '>', input.lostOn)]))
      .orderBy('branch');
    if (run.ctx.store.dialect === 'postgres') query = query.forUpdate();
    for (const dependent of await query.execute()) {
      const state = existingMember(dependent);
      // A dependent acquired after the insured's lostOn was never covered: it ends on its first day.
      state.facts.lostOn = maxDate(input.lostOn, dependent.acquired_on);
      cascade.push(state);
    }
  }
  return finish(run, input, member, cascade);
}

async function change(run: Run, input: Input<'change'>): Promise<NotificationResult> {
  const row = await findMember(run, input);
  if (!row) throw new ShikakuError('MEMBER_NOT_FOUND');
  if (input.standardMonthlyRemuneration !== undefined && row.relationship === 'dependent') {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'standardMonthlyRemuneration' },
      {
        ja: '被扶養者には標準報酬月額を届け出ません',
        en: "a dependent has no standard monthly remuneration (it follows the insured's)",
      },
    );
  }
  const member = existingMember(row);
  const f = member.facts;
  if (input.name !== undefined) f.name = input.name;
  if (input.nameKana !== undefined) f.nameKana = input.nameKana;
  if (input.birthDate !== undefined) f.birthDate = input.birthDate;
  if (input.sex !== undefined) f.sex = input.sex;
  if (input.address !== undefined) f.address = input.address;
  if (input.standardMonthlyRemuneration !== undefined)
    f.standardMonthlyRemuneration = input.standardMonthlyRemuneration;
  if (run.secret) {
    if (run.secret.index !== row.my_number_index) await assertMyNumberFree(run, input.insurerNumber, row.id);
    member.myNumberEnc = run.secret.enc;
    member.myNumberIndex = run.secret.index;
    f.myNumberLast4 = run.secret.last4;
  }
  assertAcquiredFromBirth(f.acquiredOn, f.birthDate);
  return finish(run, input, member);
}

// --- writing ------------------------------------------------------------------------------------------

type MemberRow = Selectable<MembersTable>;

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
const INSERT_MEMBER = insertStatement<MembersTable>('members', ['id', ...MEMBER_STATE_COLUMNS, 'created_at']);
const UPDATE_MEMBER = `update members set ${MEMBER_STATE_COLUMNS.map((c) => `"${c}" = ?`).join(', ')} where id = ?`;
const INSERT_VERSION = insertStatement<MemberVersionsTable>('member_versions', [
  'member_id',
  'version',
  'notification_id',
  'recorded_on',
  'hub_available_on',
  'hub_status',
  'hub_mismatch_fields',
  'facts',
  'created_at',
]);
const INSERT_NOTIFICATION = insertStatement<NotificationsTable>('notifications', [
  'id',
  'insurer_number',
  'kind',
  'idempotency_key',
  'member_id',
  'recorded_on',
  'source',
  'payload',
  'created_at',
]);

function personFacts(person: z.output<typeof personSchema>) {
  return {
    name: person.name,
    nameKana: person.nameKana,
    birthDate: person.birthDate,
    sex: person.sex,
    address: person.address ?? null,
  };
}

interface MemberState {
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

function newMember(facts: MemberFacts, secret: Secret | null): MemberState {
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

function existingMember(row: MemberRow): MemberState {
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

interface Recorded {
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
  const version = member.version + 1;
  const createdAt = nowIso(run.ctx);
  const f = member.facts;
  const columns: Omit<MembersTable, 'id' | 'created_at'> = {
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
    version,
    recorded_on: recordedOn,
    hub_available_on: available,
    hub_status: hub.status,
    hub_mismatch_fields: JSON.stringify(hub.fields),
  };
  if (member.isNew) {
    await fastInsert(trx, INSERT_MEMBER, { id: member.id, ...columns, created_at: createdAt });
  } else {
    await fastRun(trx, UPDATE_MEMBER, [...MEMBER_STATE_COLUMNS.map((c) => columns[c]), member.id]);
  }
  await fastInsert(trx, INSERT_VERSION, {
    member_id: member.id,
    version,
    notification_id: notificationId,
    recorded_on: recordedOn,
    hub_available_on: available,
    hub_status: hub.status,
    hub_mismatch_fields: JSON.stringify(hub.fields),
    facts: JSON.stringify(f),
    created_at: createdAt,
  });
  return { hub, hubAvailableOn: available };
}

async function finish(
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
    await appendAudit(trx, ctx.store.dialect, actor, at, {
      action: `notification.${input.kind}`,
      insurerNumber: input.insurerNumber,
      memberId: dependent.id,
      detail: { kind: input.kind, recordedOn: run.recordedOn, notificationId, withInsured: member.id },
    });
  }
  const f = member.facts;
  const result: NotificationResult = {
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
  const payload: StoredPayload = { notification: maskedNotification(input, run.recordedOn), result };
  await fastInsert(trx, INSERT_NOTIFICATION, {
    id: notificationId,
    insurer_number: input.insurerNumber,
    kind: input.kind,
    idempotency_key: run.key,
    member_id: member.id,
    recorded_on: run.recordedOn,
    source: run.source,
    payload: JSON.stringify(payload),
    created_at: at,
  });
  await appendAudit(trx, ctx.store.dialect, actor, at, {
    action: `notification.${input.kind}`,
    insurerNumber: input.insurerNumber,
    memberId: member.id,
    detail: { kind: input.kind, recordedOn: run.recordedOn, notificationId, source: run.source },
  });
  // Documents the notification calls for (お知らせ at acquisition, 資格確認書 collection), same transaction.
  await onNotificationRecorded(trx, ctx, actor, {
    kind: input.kind,
    recordedOn: run.recordedOn,
    memberId: member.id,
    before: member.before,
    after: f,
    ended: cascade.map((d) => ({ memberId: d.id, lostOn: d.facts.lostOn })),
  });
  return result;
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

// --- lookups and checks -------------------------------------------------------------------------------

async function requireInsurer(trx: Kysely<Database>, insurerNumber: string): Promise<void> {
  const [row] = await fastAll(trx, 'select insurer_number from insurers where insurer_number = ?', [insurerNumber]);
  if (!row) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber });
}

/** A member by 記号・番号・枝番; without a branch, the insured of that 記号・番号. Row-locked on PostgreSQL. */
async function findMember(
  run: Run,
  key: { insurerNumber: string; symbol: string; number: string; branch?: string | undefined },
): Promise<MemberRow | undefined> {
  const lock = run.ctx.store.dialect === 'postgres' ? 'locked' : 'plain';
  const [sqlText, last] =
    key.branch === undefined ? [MEMBER_INSURED[lock], 'insured'] : [MEMBER_BY_BRANCH[lock], key.branch];
  const [row] = await fastAll<MemberRow>(run.trx, sqlText, [key.insurerNumber, key.symbol, key.number, last]);
  return row;
}

const MEMBER_BY_KEY = 'select * from members where insurer_number = ? and symbol = ? and number = ?';
const withLock = (sql: string) => ({ plain: sql, locked: `${sql} for update` });
const MEMBER_INSURED = withLock(`${MEMBER_BY_KEY} and relationship = ?`);
const MEMBER_BY_BRANCH = withLock(`${MEMBER_BY_KEY} and branch = ?`);

async function identityTaken(
  trx: Kysely<Database>,
  insurerNumber: string,
  symbol: string,
  number: string,
  branch: string,
): Promise<boolean> {
  const rows = await fastAll(
    trx,
    'select id from members where insurer_number = ? and symbol = ? and number = ? and branch = ?',
    [insurerNumber, symbol, number, branch],
  );
  return rows.length > 0;
}

/** One person is covered once per association: no second active member with the same My Number. */
async function assertMyNumberFree(run: Run, insurerNumber: string, exceptMemberId: string | null): Promise<void> {
  if (!run.secret) return;
  const active = 'select id from members where insurer_number = ? and my_number_index = ? and lost_on is null';
  const params = [insurerNumber, run.secret.index];
  const rows =
    exceptMemberId === null
      ? await fastAll(run.trx, active, params)
      : await fastAll(run.trx, `${active} and id <> ?`, [...params, exceptMemberId]);
  if (rows.length > 0) {
    throw duplicate('an active member already holds this My Number', 'この個人番号の加入者が既に資格を有しています');
  }
}

function assertAcquiredFromBirth(acquiredOn: IsoDate, birthDate: IsoDate): void {
  if (acquiredOn < birthDate) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { field: 'acquiredOn' },
      {
        ja: '資格取得日が生年月日より前です',
        en: 'acquiredOn is before the birth date',
      },
    );
  }
}

/** Next free 番号 under insurer + 記号: highest numeric number + 1 (non-numeric numbers are ignored). */
async function nextNumber(
  trx: Kysely<Database>,
  dialect: Dialect,
  insurerNumber: string,
  symbol: string,
): Promise<string> {
  const column = sql.ref('number');
  const numeric =
    dialect === 'postgres'
      ? sql<boolean>`${column} ~ '^[0-9]{1,15}$'`
      : sql<boolean>`(${column} NOT GLOB '*[^0-9]*' AND length(${column}) BETWEEN 1 AND 15)`;
  const row = await trx
    .selectFrom('members')
    .select(sql<string | number | null>`max(cast(${column} as bigint))`.as('max'))
    .where('insurer_number', '=', insurerNumber)
    .where('symbol', '=', symbol)
    .where(numeric)
    .executeTakeFirst();
  return String(Number(row?.max ?? 0) + 1);
}

/** Next free 枝番 for a dependent: highest branch under the 記号・番号 + 1 ("01" at least; never reused). */
async function nextBranch(
  trx: Kysely<Database>,
  insurerNumber: string,
  symbol: string,
  number: string,
): Promise<string> {
  const rows = await trx
    .selectFrom('members')
    .select('branch')
    .where('insurer_number', '=', insurerNumber)
    .where('symbol', '=', symbol)
    .where('number', '=', number)
    .execute();
  const highest = rows.reduce((max, r) => (/^\d{2}$/.test(r.branch) ? Math.max(max, Number(r.branch)) : max), 0);
  if (highest >= 99) throw memberState('枝番に空きがありません', 'no free branch under this 記号・番号');
  return String(highest + 1).padStart(2, '0');
}

async function findReplay(
  trx: Kysely<Database>,
  key: string,
  kind: NotificationKind,
  actor: Actor,
): Promise<NotificationResult | null> {
  const [row] = await fastAll<Pick<NotificationsTable, 'kind' | 'payload'>>(
    trx,
    'select kind, payload from notifications where idempotency_key = ?',
    [key],
  );
  if (!row) return null;
  const { result } = JSON.parse(row.payload) as StoredPayload;
  // Another kind, or another employer's notification: never answer with someone else's result.
  if (row.kind !== kind || (actor.role === 'employer' && result.symbol !== actor.employerSymbol)) {
    throw new ShikakuError('CONFLICT_IDEMPOTENCY_KEY');
  }
  return result;
}

function memberState(ja: string, en: string): ShikakuError {
  return new ShikakuError('CONFLICT_MEMBER_STATE', undefined, { ja, en });
}

function duplicate(en: string, ja: string): ShikakuError {
  return new ShikakuError('DUPLICATE_MEMBER', undefined, { ja, en });
}

/**
 * Which unique constraint a store error violated, on either store: the member identity (記号・番号・
 * 枝番), an idempotency key, another one — or null when the error is something else.
 */
export function uniqueViolation(error: unknown): 'identity' | 'idempotency' | 'other' | null {
  if (typeof error !== 'object' || error === null) return null;
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') {
    const constraint = typeof e.constraint === 'string' ? e.constraint : '';
    if (constraint === 'members_identity') return 'identity';
    return constraint.includes('idempotency') ? 'idempotency' : 'other';
  }
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = typeof e.message === 'string' ? e.message : '';
    if (message.includes('members.insurer_number')) return 'identity';
    return message.includes('notifications.idempotency_key') ? 'idempotency' : 'other';
  }
  return null;
}

// --- validation errors as values, and batches ---------------------------------------------------------

export interface FieldError {
  path: string;
  code: ErrorCode;
  message: string;
}

/** A failed row: the stable code with both messages (as in problem+json), and the field errors. */
export interface RowError {
  code: ErrorCode;
  ja: string;
  en: string;
  errors?: FieldError[];
}

export type RowOutcome =
  | { line: number; ok: true; result: NotificationResult; replayed?: true }
  | { line: number; ok: false; error: RowError };

export interface BatchReport {
  accepted: number;
  rejected: number;
  rows: RowOutcome[];
}

/** Orders codes so the most specific names the problem (the same order as the HTTP edge). */
const SPECIFICITY: ErrorCode[] = [
  'MYNUMBER_CHECK_DIGIT',
  'INSURER_NUMBER_CHECK_DIGIT',
  'PROVIDER_CODE_INVALID',
  'VALIDATION_DATE',
  'VALIDATION_UNKNOWN_FIELD',
  'VALIDATION_FAILED',
];

function issueCode(issue: z.core.$ZodIssue): ErrorCode {
  if (issue.code === 'custom') {
    const coded = (issue.params as { code?: string } | undefined)?.code;
    if (coded && coded in ERRORS) return coded as ErrorCode;
  }
  if (issue.code === 'unrecognized_keys') return 'VALIDATION_UNKNOWN_FIELD';
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'VALIDATION_DATE';
  return 'VALIDATION_FAILED';
}

/** A zod failure as a coded error, mapped exactly as the HTTP edge maps a body (src/http/problem.ts). */
export function validationError(error: z.ZodError): ShikakuError {
  const errors: FieldError[] = error.issues.map((issue) => ({
    path: `/${issue.path.map(String).join('/')}`,
    code: issueCode(issue),
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
  const code = SPECIFICITY.find((c) => errors.some((e) => e.code === c)) ?? 'VALIDATION_FAILED';
  return new ShikakuError(code, { errors });
}

/** Validates one notification at the edge (API batch rows, CSV rows). Throws a coded ShikakuError. */
export function parseNotification(raw: unknown): NotificationInput {
  const parsed = notificationSchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Any error as a row error: a ShikakuError keeps its code; anything else is INTERNAL (nothing leaks). */
export function rowError(error: unknown): RowError {
  if (error instanceof ShikakuError) {
    const errors = error.details?.errors as FieldError[] | undefined;
    return { code: error.code, ja: error.ja, en: error.message, ...(errors ? { errors } : {}) };
  }
  return { code: 'INTERNAL', ja: ERRORS.INTERNAL.ja, en: ERRORS.INTERNAL.en };
}

/**
 * A JSON batch (`POST /api/v1/notifications:batch`): each row validated and recorded in its own
 * transaction; a failing row writes nothing and the others go on. Lines count from 1.
 */
export async function submitBatch(
  ctx: ServiceContext,
  actor: Actor,
  rows: readonly unknown[],
  options: { source?: NotificationSource } = {},
): Promise<BatchReport> {
  requireRole(actor, 'admin', 'employer');
  const report: BatchReport = { accepted: 0, rejected: 0, rows: [] };
  for (const [i, raw] of rows.entries()) {
    const line = i + 1;
    try {
      const outcome = await submitNotification(ctx, actor, parseNotification(raw), {
        source: options.source ?? 'batch',
      });
      report.accepted++;
      report.rows.push({
        line,
        ok: true,
        result: outcome.result,
        ...(outcome.replayed ? { replayed: true as const } : {}),
      });
    } catch (error) {
      report.rejected++;
      report.rows.push({ line, ok: false, error: rowError(error) });
    }
  }
  return report;
}
