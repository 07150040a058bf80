/**
 * A notification the set writer may record without the per-row path: an acquisition with its 番号
 * given, a dependent's addition, an insured's loss, or a change without a My Number. Anything else
 * (and any row whose scope or dates fail) takes the per-row path, which answers its exact error.
 */
import type { NotificationInput } from '../../../contract/notifications.js';
import type { Actor } from '../../actor.js';
import type { ServiceContext } from '../../context.js';
import type { Input, NotificationSource } from '../run.js';
import { type Prepared, prepareNotification } from '../submit.js';

export interface Candidate extends Prepared {
  input: Input<'acquisition'> | Input<'dependent_add'> | Input<'loss'> | Input<'change'>;
  actor: Actor;
  source: NotificationSource;
  /** 記号 and 番号 of the member, or of the insured a dependent joins. */
  numberOf: [symbol: string, number: string];
}

/**
 * 記号 and 番号 the row is recorded under when its kind and fields make it a candidate, before any
 * check (cheap); null for a row that takes the per-row path.
 */
function numberOf(input: NotificationInput): [symbol: string, number: string] | null {
  switch (input.kind) {
    case 'acquisition':
      return input.number === undefined ? null : [input.symbol, input.number];
    case 'change':
      // A My Number given later is checked against every active member: the per-row path does it.
      return input.myNumber === undefined ? [input.symbol, input.number] : null;
    case 'dependent_add':
      return [input.insured.symbol, input.insured.number];
    case 'loss':
      return [input.symbol, input.number];
    case 'dependent_remove':
      return null;
  }
}

/** Whether the row's kind and fields make it a candidate, before any check (cheap). */
export function mayBeCandidate(input: NotificationInput): boolean {
  return numberOf(input) !== null;
}

/** The row as a candidate, or null when it must take the per-row path. */
export function candidateOf(
  ctx: ServiceContext,
  actor: Actor,
  input: NotificationInput,
  source: NotificationSource,
): Candidate | null {
  const recordedUnder = numberOf(input);
  if (recordedUnder === null || input.kind === 'dependent_remove') return null;
  try {
    return { ...prepareNotification(ctx, actor, input), input, actor, source, numberOf: recordedUnder };
  } catch {
    return null;
  }
}
