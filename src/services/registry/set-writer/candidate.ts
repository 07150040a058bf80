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

/** Whether the row's kind and fields make it a candidate, before any check (cheap). */
export function mayBeCandidate(input: NotificationInput): boolean {
  switch (input.kind) {
    case 'acquisition':
      return input.number !== undefined;
    case 'change':
      // A My Number given later is checked against every active member: the per-row path does it.
      return input.myNumber === undefined;
    case 'dependent_add':
    case 'loss':
      return true;
    case 'dependent_remove':
      return false;
  }
}

/** The row as a candidate, or null when it must take the per-row path. */
export function candidateOf(
  ctx: ServiceContext,
  actor: Actor,
  input: NotificationInput,
  source: NotificationSource,
): Candidate | null {
  if (!mayBeCandidate(input) || input.kind === 'dependent_remove') return null;
  const numberOf: [string, string] =
    input.kind === 'dependent_add' ? [input.insured.symbol, input.insured.number] : [input.symbol, input.number ?? ''];
  try {
    return { ...prepareNotification(ctx, actor, input), input, actor, source, numberOf };
  } catch {
    return null;
  }
}
