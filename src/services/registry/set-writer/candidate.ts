/**
 * A notification the set writer may record without the per-row path: an acquisition with its 番号
 * given, or a dependent's addition. Anything else (and any row whose scope or dates fail) takes the
 * per-row path, which answers its exact error.
 */
import type { NotificationInput } from '../../../contract/notifications.js';
import type { Actor } from '../../actor.js';
import type { ServiceContext } from '../../context.js';
import type { Input, NotificationSource } from '../run.js';
import { type Prepared, prepareNotification } from '../submit.js';

export interface Candidate extends Prepared {
  input: Input<'acquisition'> | Input<'dependent_add'>;
  actor: Actor;
  source: NotificationSource;
  /** 記号 and 番号 of the member (an acquisition) or of the insured (a dependent's addition). */
  numberOf: [symbol: string, number: string];
}

/** Whether the row's kind and fields make it a candidate, before any check (cheap). */
export function mayBeCandidate(input: NotificationInput): boolean {
  return (input.kind === 'acquisition' && input.number !== undefined) || input.kind === 'dependent_add';
}

/** The row as a candidate, or null when it must take the per-row path. */
export function candidateOf(
  ctx: ServiceContext,
  actor: Actor,
  input: NotificationInput,
  source: NotificationSource,
): Candidate | null {
  const numberOf: [string, string] | null =
    input.kind === 'acquisition'
      ? input.number === undefined
        ? null
        : [input.symbol, input.number]
      : input.kind === 'dependent_add'
        ? [input.insured.symbol, input.insured.number]
        : null;
  if (numberOf === null || (input.kind !== 'acquisition' && input.kind !== 'dependent_add')) return null;
  try {
    return { ...prepareNotification(ctx, actor, input), input, actor, source, numberOf };
  } catch {
    return null;
  }
}
