/**
 * One member judged on a date, with their versions, what the hub answered that day, dependents and
 * legacy cards (DESIGN.md §5.2). Audited (DESIGN.md §3.5).
 */
import type { MemberStatus, MemberView } from '../../contract/members.js';
import { eventDateProblem } from '../../domain/date-bounds.js';
import type { IsoDate } from '../../domain/dates.js';
import type { MemberFacts } from '../../domain/member.js';
import type { Actor } from '../actor.js';
import { appendAudit } from '../audit.js';
import { nowIso, type ServiceContext, today } from '../context.js';
import { hubEntryOn, type VersionRow } from '../hub.js';
import { legacyCardLivesOf } from '../legacy-card-life.js';
import { factsOfRow } from '../member-facts.js';
import { dateProblemError } from '../registry.js';
import { loadMemberInScope } from './scope.js';
import { summaryOf } from './summary.js';

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
  const beyond = eventDateProblem('asOf', asOf, today(ctx));
  if (beyond) throw dateProblemError([beyond]);
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
    legacyCardLivesOf(db, row.id, asOf, row.lost_on),
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
    legacyCards,
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
