/** The registry's refusals, and which unique constraint a store error violated. */
import { ShikakuError } from '../../domain/codes.js';
import type { DateProblem } from '../../domain/date-bounds.js';

export function memberState(ja: string, en: string): ShikakuError {
  return new ShikakuError('CONFLICT_MEMBER_STATE', undefined, { ja, en });
}

/** A notification field the rules refuse as given (VALIDATION_FAILED naming the field). */
export function invalidField(field: string, ja: string, en: string): ShikakuError {
  return new ShikakuError('VALIDATION_FAILED', { field }, { ja, en });
}

/** Dates the rules cannot judge (domain/date-bounds.ts) as one coded error naming each field and why. */
export function dateProblemError(problems: readonly [DateProblem, ...DateProblem[]]): ShikakuError {
  const [first] = problems;
  const errors = problems.map((p) => ({ path: `/${p.field}`, code: p.code, message: `${p.en} (${p.ja})` }));
  return new ShikakuError(first.code, { errors }, { ja: first.ja, en: first.en });
}

export function duplicate(en: string, ja: string): ShikakuError {
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
