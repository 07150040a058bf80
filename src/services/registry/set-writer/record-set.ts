/**
 * Recording a chunk's notifications set-wise (issue #20): runs of consecutive candidates
 * (candidate.ts) are read with one query per kind of fact, decided in memory in order, and written
 * table by table; every other row, and a row the run would refuse, goes through the per-row path at
 * its place, so the outcome is that of recording the rows one after another. A store error while
 * writing a run (a concurrent writer's unique violation) rolls the run back and records its rows
 * through the per-row path: correctness never rests on the fast path.
 */
import type { ControlledTransaction } from 'kysely';
import type { NotificationInput } from '../../../contract/notifications.js';
import type { Database } from '../../../store/schema.js';
import type { Actor } from '../../actor.js';
import type { ServiceContext } from '../../context.js';
import type { NotificationSource } from '../run.js';
import { inSavepoint, type NotificationOutcome, submitNotification } from '../submit.js';
import { type Candidate, candidateOf, mayBeCandidate } from './candidate.js';
import { decide } from './decide.js';
import type { Decided } from './decided.js';
import { prefetch } from './prefetch.js';
import { writeDecided } from './write.js';

export interface SetRow {
  actor: Actor;
  input: NotificationInput;
}

/** A row's outcome, or what it was refused with (as submitNotification would throw it). */
export type SetOutcome = { ok: true; outcome: NotificationOutcome } | { ok: false; error: unknown };

/** Candidates read and decided together at most; bounds a run's prefetch queries. */
export const RUN_ROWS = 500;

/** Records `rows` in order inside `trx`; answers each row's outcome, in order. */
async function recordSet(
  ctx: ServiceContext,
  trx: ControlledTransaction<Database>,
  rows: readonly SetRow[],
  source: NotificationSource,
  options: { perRow?: boolean } = {},
): Promise<SetOutcome[]> {
  const out: SetOutcome[] = [];
  const perRow = async (row: SetRow): Promise<SetOutcome> => {
    try {
      return { ok: true, outcome: await submitNotification(ctx, row.actor, row.input, { source, within: trx }) };
    } catch (error) {
      return { ok: false, error };
    }
  };
  // perRow: every row the per-row way (the reference the set writer is tested against).
  const candidates = rows.map((r) => (options.perRow ? null : candidateOf(ctx, r.actor, r.input, source)));
  let i = 0;
  while (i < rows.length) {
    const run: Candidate[] = [];
    for (let c = candidates[i + run.length]; c && run.length < RUN_ROWS; c = candidates[i + run.length]) run.push(c);
    if (run.length === 0) {
      out.push(await perRow(rows[i] as SetRow));
      i++;
      continue;
    }
    const known = await prefetch(trx, ctx.store.dialect, run);
    const decided: Decided[] = [];
    for (const c of run) {
      const d = decide(ctx, known, c);
      if (d === null) break;
      decided.push(d);
    }
    if (decided.length > 0) {
      try {
        await inSavepoint(trx, (t) => writeDecided(t, ctx.store.dialect, decided));
        for (const d of decided) out.push({ ok: true, outcome: { result: d.result, replayed: false } });
      } catch {
        for (const row of rows.slice(i, i + decided.length)) out.push(await perRow(row));
      }
    }
    i += decided.length;
    // The row the run would refuse (or replay) goes the per-row way, after the rows before it.
    if (decided.length < run.length) {
      out.push(await perRow(rows[i] as SetRow));
      i++;
    }
  }
  return out;
}

/** A row as read: a notification to record, or what reading it was refused with. */
export type ReadRow = SetRow | { ok: false; error: unknown };

/** `recordSet` over rows of which some could not be read: those answer their error, in place. */
export async function recordRead(
  ctx: ServiceContext,
  trx: ControlledTransaction<Database>,
  rows: readonly ReadRow[],
  source: NotificationSource,
  options: { perRow?: boolean } = {},
): Promise<SetOutcome[]> {
  const readable = rows.filter((r): r is SetRow => !('ok' in r));
  const recorded = (await recordSet(ctx, trx, readable, source, options)).values();
  return rows.map((r) => ('ok' in r ? r : (recorded.next().value as SetOutcome)));
}

/** Candidates recorded together at most; a chunk transaction commits after whole segments. */
export const SEGMENT_ROWS = 100;

/**
 * `rows` in segments: consecutive rows that may be candidates together (≤ `size`), every other row
 * alone, so a chunk's time bound (chunks.ts) still holds row by row on the per-row path.
 */
export function segmentsOf<T extends ReadRow>(rows: readonly T[], perRow = false, size = SEGMENT_ROWS): T[][] {
  const out: T[][] = [];
  let open: T[] = [];
  for (const row of rows) {
    if (!perRow && !('ok' in row) && mayBeCandidate(row.input) && open.length < size) {
      open.push(row);
      continue;
    }
    if (open.length > 0) out.push(open);
    open = [];
    if (!perRow && !('ok' in row) && mayBeCandidate(row.input)) open.push(row);
    else out.push([row]);
  }
  if (open.length > 0) out.push(open);
  return out;
}
