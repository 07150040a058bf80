/**
 * Deciding one row of a run in memory, on what the run read (prefetch.ts) and what its earlier rows
 * wrote (added to the same maps): the checks of acquisition.ts and dependent-add.ts (here) and of
 * loss.ts and change.ts (decide-existing.ts), and the rows the per-row path would write. A row any
 * check would refuse is not decided here (null): the caller writes what came before and sends it
 * through the per-row path, which answers its exact error.
 */
import { hubAvailableOn } from '../../../domain/calendar.js';
import { elderlyIncomeFactsOf } from '../../../domain/elderly-income.js';
import type { MemberFacts } from '../../../domain/member.js';
import { newId, nowIso, type ServiceContext } from '../../context.js';
import { compareWithResident, type HubCheck } from '../../hub.js';
import { noticeContentsOf, noticeIssueAudit, noticeRow } from '../../notices.js';
import { type MemberRow, newMember, personFacts } from '../member-state.js';
import { INSURED_BRANCH } from '../numbering.js';
import { memberColumns, notificationAudit, notificationResult, notificationRow, versionRow } from '../record.js';
import type { Candidate } from './candidate.js';
import { decideExisting } from './decide-existing.js';
import type { Decided } from './decided.js';
import { type Known, myNumberKey, numberKey } from './prefetch.js';

export function decide(ctx: ServiceContext, known: Known, c: Candidate): Decided | null {
  const insurerName = known.insurerNames.get(c.input.insurerNumber);
  if (insurerName === undefined || (c.key !== null && known.usedKeys.has(c.key))) return null;
  const decided =
    c.input.kind === 'loss' || c.input.kind === 'change'
      ? decideExisting(ctx, known, c)
      : decideNew(ctx, known, c, insurerName);
  if (decided !== null && c.key !== null) known.usedKeys.add(c.key);
  return decided;
}

function decideNew(ctx: ServiceContext, known: Known, c: Candidate, insurerName: string): Decided | null {
  const { input, secret } = c;
  if (input.kind !== 'acquisition' && input.kind !== 'dependent_add') return null;
  if (secret !== null && known.activeMyNumbers.has(myNumberKey(input.insurerNumber, secret.index))) return null;
  if (input.acquiredOn < input.person.birthDate) return null;
  const under = known.byNumber.get(numberKey(input.insurerNumber, ...c.numberOf)) ?? [];
  const placed = input.kind === 'acquisition' ? asInsured(c, under) : asDependent(c, under);
  if (placed === null) return null;
  const [symbol, number] = c.numberOf;
  const facts: MemberFacts = {
    insurerNumber: input.insurerNumber,
    symbol,
    number,
    branch: placed.branch,
    relationship: input.kind === 'acquisition' ? 'insured' : 'dependent',
    insuredMemberId: placed.insured?.id ?? null,
    ...personFacts(input.person),
    acquiredOn: input.acquiredOn,
    lostOn: null,
    // Dependents follow their insured's remuneration (RULES.md §6).
    standardMonthlyRemuneration: input.kind === 'acquisition' ? (input.standardMonthlyRemuneration ?? null) : null,
    myNumberLast4: secret?.last4 ?? null,
  };
  const member = newMember(facts, secret);
  // The same order of ids and clock reads as record.ts's finish and notices.ts's insertNotice.
  const notificationId = newId();
  const hub: HubCheck =
    secret === null
      ? { status: 'no_my_number', fields: [], nearMatch: [] }
      : compareWithResident(facts, known.residents.get(secret.index) ?? null);
  const available = hubAvailableOn(c.recordedOn);
  const createdAt = nowIso(ctx);
  const columns = memberColumns(member, c.recordedOn, hub, available);
  const row: MemberRow = { id: member.id, ...columns, standard_income_approved_on: null, created_at: createdAt };
  const at = nowIso(ctx);
  const result = notificationResult(input, member, { hub, hubAvailableOn: available }, notificationId);
  const insured = placed.insured ?? row;
  const household = elderlyIncomeFactsOf({
    birthDate: insured.birth_date,
    standardMonthlyRemuneration:
      insured.standard_monthly_remuneration === null ? null : Number(insured.standard_monthly_remuneration),
    standardIncomeApprovedOn: known.approvals.get(insured.id) ?? null,
  });
  const noticeAt = nowIso(ctx);
  const notice = noticeRow(
    row,
    noticeContentsOf(row, insurerName, household, c.recordedOn),
    'acquisition',
    null,
    noticeAt,
  );

  // The overlay: later rows of the run see this one as the store would.
  known.byNumber.set(numberKey(input.insurerNumber, symbol, number), [...under, row]);
  if (secret !== null) known.activeMyNumbers.add(myNumberKey(input.insurerNumber, secret.index));
  return {
    result,
    inserted: row,
    updated: [],
    versions: [versionRow(member, columns, notificationId, createdAt)],
    notification: notificationRow(c, input, result, at),
    notice,
    audits: [
      { actor: c.actor, at, entry: notificationAudit(c, input, result) },
      { actor: c.actor, at: noticeAt, entry: noticeIssueAudit(notice) },
    ],
  };
}

interface Placement {
  branch: string;
  insured: MemberRow | null;
}

/** An acquisition's 記号・番号 must be free of any member (the per-row path judges the rest). */
function asInsured(c: Candidate, under: readonly MemberRow[]): Placement | null {
  if (c.input.kind !== 'acquisition' || under.length > 0) return null;
  return { branch: c.input.branch ?? INSURED_BRANCH, insured: null };
}

/** A dependent joins the one covered insured of the 記号・番号, under a free 枝番 (numbering.ts). */
function asDependent(c: Candidate, under: readonly MemberRow[]): Placement | null {
  if (c.input.kind !== 'dependent_add') return null;
  const insureds = under.filter((m) => m.relationship === 'insured');
  const insured = insureds[0];
  if (insureds.length !== 1 || insured === undefined) return null;
  if (insured.lost_on !== null || c.input.acquiredOn < insured.acquired_on) return null;
  const highest = under.reduce((max, m) => (/^\d{2}$/.test(m.branch) ? Math.max(max, Number(m.branch)) : max), 0);
  const branch = c.input.branch ?? (highest >= 99 ? null : String(highest + 1).padStart(2, '0'));
  if (branch === null || under.some((m) => m.branch === branch)) return null;
  return { branch, insured };
}
