/**
 * Deciding in memory a notification about a member already recorded: an insured's loss (loss.ts,
 * with the dependents it ends) or a change without a My Number (change.ts). A row the per-row path
 * would refuse, or whose documents hook would act (a 資格確認書 to collect), is not decided (null).
 */
import { hubAvailableOn } from '../../../domain/calendar.js';
import { maxDate } from '../../../domain/dates.js';
import type { AuditRecord } from '../../audit.js';
import { newId, nowIso, type ServiceContext } from '../../context.js';
import { compareWithResident, type HubCheck } from '../../hub.js';
import { applyChange } from '../change.js';
import { existingMember, type MemberRow, type MemberState } from '../member-state.js';
import {
  endedWithAudit,
  memberColumns,
  notificationAudit,
  notificationResult,
  notificationRow,
  versionRow,
} from '../record.js';
import type { Candidate } from './candidate.js';
import type { Decided } from './decided.js';
import { type Known, numberKey } from './prefetch.js';

export function decideExisting(ctx: ServiceContext, known: Known, c: Candidate): Decided | null {
  const { input } = c;
  if (input.kind !== 'loss' && input.kind !== 'change') return null;
  const row = memberOf(known, input);
  if (row === null) return null;
  const member = existingMember(row);
  const f = member.facts;
  // The dependents a loss ends, each with its row as read and its state after the loss.
  let ended: Array<{ row: MemberRow; state: MemberState }> = [];
  if (input.kind === 'loss') {
    if (row.relationship !== 'insured' || row.lost_on !== null || input.lostOn < row.acquired_on) return null;
    f.lostOn = input.lostOn;
    if (input.lossReason !== undefined) f.lossReason = input.lossReason;
    ended = dependentsOf(known, row.id)
      .filter((d) => d.lost_on === null || d.lost_on > input.lostOn)
      .map((d) => {
        const state = existingMember(d);
        // A dependent acquired after the insured's lostOn was never covered: it ends on its first day.
        state.facts.lostOn = maxDate(input.lostOn, d.acquired_on);
        return { row: d, state };
      });
  } else {
    if (input.standardMonthlyRemuneration !== undefined && row.relationship === 'dependent') return null;
    applyChange(f, input);
    if (f.acquiredOn < f.birthDate) return null;
  }
  const cascade = ended.map((e) => e.state);
  const renamed = f.name !== row.name || f.nameKana !== row.name_kana;
  // Ending or renaming a member collects its 資格確認書 (notification-hooks.ts): the per-row path does that.
  const collects = input.kind === 'loss' ? [member, ...cascade] : renamed ? [member] : [];
  if (collects.some((m) => known.uncollected.has(m.id))) return null;
  if ([member, ...cascade].some((m) => m.recordedOn !== null && c.recordedOn < m.recordedOn)) return null;

  // The same order of ids and clock reads as record.ts's finish.
  const notificationId = newId();
  const version = (state: MemberState, before: MemberRow) => {
    const hub = hubCheck(known, state);
    const available = hubAvailableOn(c.recordedOn);
    const createdAt = nowIso(ctx);
    const columns = memberColumns(state, c.recordedOn, hub, available);
    return {
      hub,
      available,
      row: { ...before, ...columns },
      version: versionRow(state, columns, notificationId, createdAt),
    };
  };
  const own = version(member, row);
  const at = nowIso(ctx);
  const theirs = ended.map((e) => version(e.state, e.row));
  const result = notificationResult(
    input,
    member,
    { hub: own.hub, hubAvailableOn: own.available },
    notificationId,
    cascade,
  );
  const audits: AuditRecord[] = [
    ...cascade.map((d) => ({ actor: c.actor, at, entry: endedWithAudit(c, input, d.id, member.id, notificationId) })),
    { actor: c.actor, at, entry: notificationAudit(c, input, result) },
  ];
  // The overlay: later rows of the run see these members as the store would. A My Number a loss
  // frees stays marked taken, so an acquisition with it goes the per-row way, after this is written.
  for (const w of [own, ...theirs]) replaceRow(known, w.row);
  return {
    result,
    inserted: null,
    updated: [own, ...theirs].map((w) => w.row),
    versions: [own, ...theirs].map((w) => w.version),
    notification: notificationRow(c, input, result, at),
    notice: null,
    audits,
  };
}

/** The member a loss or change is about: by 枝番, or the one insured of the 記号・番号 (findMember). */
function memberOf(known: Known, input: Candidate['input'] & { kind: 'loss' | 'change' }): MemberRow | null {
  const under = known.byNumber.get(numberKey(input.insurerNumber, input.symbol, input.number)) ?? [];
  const matches = under.filter((m) =>
    input.branch === undefined ? m.relationship === 'insured' : m.branch === input.branch,
  );
  return matches.length === 1 ? (matches[0] as MemberRow) : null;
}

/** The insured's dependents, wherever numbered, in 枝番 order (loss.ts reads them so). */
function dependentsOf(known: Known, insuredId: string): MemberRow[] {
  return [...known.byNumber.values()]
    .flat()
    .filter((m) => m.insured_member_id === insuredId)
    .sort((a, b) => (a.branch < b.branch ? -1 : a.branch > b.branch ? 1 : 0));
}

/** The hub registration of a member's new version (hub.ts's checkHubRegistration, on the run's reads). */
function hubCheck(known: Known, m: MemberState): HubCheck {
  if (m.myNumberIndex === null) return { status: 'no_my_number', fields: [], nearMatch: [] };
  return compareWithResident(m.facts, known.residents.get(m.myNumberIndex) ?? null);
}

function replaceRow(known: Known, row: MemberRow): void {
  const key = numberKey(row.insurer_number, row.symbol, row.number);
  known.byNumber.set(
    key,
    (known.byNumber.get(key) ?? []).map((m) => (m.id === row.id ? row : m)),
  );
}
