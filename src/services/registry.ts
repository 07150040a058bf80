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
 *
 * Where each part lives, under registry/:
 * - submit.ts: one notification, its transaction, retries; batch.ts: a JSON batch and row errors;
 *   jobs.ts: a large batch as a background job; chunks.ts: chunk transactions that let other
 *   requests run in between; parse.ts: validation at the edge as coded errors;
 * - acquisition.ts, dependent-add.ts, loss.ts (with the dependents' end), dependent-remove.ts,
 *   change.ts: one kind each;
 * - numbering.ts: next free 番号 and 枝番; member-state.ts: the member loaded or new; checks.ts:
 *   shared checks; record.ts: the members row, version, notification, audit and documents;
 *   idempotency.ts: keys and replays; errors.ts: refusals and unique violations.
 * The answers' shapes are the contract's (src/contract/notifications.ts).
 */
export type { NotificationResult, RowError } from '../contract/notifications.js';
export { acceptedRow, rowError, submitBatch } from './registry/batch.js';
export { CHUNK_MS, CHUNK_ROWS, inChunks } from './registry/chunks.js';
export { dateProblemError, uniqueViolation } from './registry/errors.js';
export {
  createNotificationJob,
  getNotificationJob,
  JOB_THRESHOLD,
  type JobLog,
  type JobRow,
  type JobSource,
  queueNotificationJob,
  readNotificationJob,
  startNotificationJobs,
} from './registry/jobs.js';
export { parseNotification, validationError } from './registry/parse.js';
export { submitNotification } from './registry/submit.js';
