/**
 * One notification in ONE transaction (or a savepoint of the caller's): idempotency first, then the
 * kind's rule and the writes. A concurrent writer that took the key or an auto-assigned number
 * makes it retry, which replays or renumbers.
 */
import type { ControlledTransaction, Kysely } from 'kysely';
import type { NotificationInput, NotificationResult } from '../../contract/notifications.js';
import { ShikakuError } from '../../domain/codes.js';
import { notificationDateProblems } from '../../domain/date-bounds.js';
import type { IsoDate } from '../../domain/dates.js';
import { myNumberLast4 } from '../../domain/mynumber.js';
import { fastRun } from '../../store/fast.js';
import type { Database } from '../../store/schema.js';
import { type Actor, requireInsurerScope } from '../actor.js';
import { type ServiceContext, today } from '../context.js';
import { acquire } from './acquisition.js';
import { change } from './change.js';
import { requireInsurer } from './checks.js';
import { addDependent } from './dependent-add.js';
import { removeDependent } from './dependent-remove.js';
import { dateProblemError, uniqueViolation } from './errors.js';
import { findReplay, scopedKey } from './idempotency.js';
import { lose } from './loss.js';
import { type NotificationSource, Renumber, type Run, type Secret } from './run.js';

export interface NotificationOutcome {
  result: NotificationResult;
  /** True when the idempotency key had been used: the first result, nothing written. */
  replayed: boolean;
}

const MAX_ATTEMPTS = 10;

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
  const { secret, recordedOn, key } = prepareNotification(ctx, actor, input);

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
      // A concurrent writer with the same key committed between our replay lookup and our My Number
      // check (read committed on PostgreSQL): that check then sees its member. Once more replays it.
      const keyRace =
        key !== null && attempt === 1 && error instanceof ShikakuError && error.code === 'DUPLICATE_MEMBER';
      const retry =
        keyRace || error instanceof Renumber || (violated !== null && (key !== null || isAutoNumbered(input)));
      if (retry && attempt < MAX_ATTEMPTS) continue;
      if (error instanceof Renumber || violated === 'identity') throw new ShikakuError('DUPLICATE_MEMBER');
      throw error;
    }
  }
}

/** What a notification is recorded with, once its scope and dates are checked (nothing read yet). */
export interface Prepared {
  secret: Secret | null;
  recordedOn: IsoDate;
  key: string | null;
}

/**
 * The checks and derivations before any read: the actor's scope, judgeable dates, the My Number
 * encrypted and blind-indexed, recordedOn and the scoped idempotency key.
 */
export function prepareNotification(ctx: ServiceContext, actor: Actor, input: NotificationInput): Prepared {
  requireInsurerScope(actor, input.insurerNumber, ['admin', 'employer'], symbolOf(input));
  const plain = input.kind === 'change' ? input.myNumber : 'person' in input ? input.person.myNumber : undefined;
  const secret: Secret | null =
    plain === undefined
      ? null
      : { enc: ctx.keyring.encrypt(plain), index: ctx.keyring.blindIndex(plain), last4: myNumberLast4(plain) };
  assertJudgeableDates(input, today(ctx));
  return {
    secret,
    recordedOn: input.recordedOn ?? today(ctx),
    key: scopedKey(input.insurerNumber, input.idempotencyKey),
  };
}

/**
 * `body` in a savepoint of `tx`: released on success, rolled back (and released) on any error. One
 * name for all: the import's savepoints follow each other (a nested one would shadow the outer one
 * until released, as SQL defines). Hand-written statements, like the writes (src/store/fast.ts).
 */
export async function inSavepoint<T>(
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

/** Refuses, before anything is written, dates the rules cannot judge on `today` (issue #19 §3). */
function assertJudgeableDates(input: NotificationInput, on: IsoDate): void {
  const person = 'person' in input ? input.person : input.kind === 'change' ? input : undefined;
  const problems = notificationDateProblems(
    {
      birthDate: person?.birthDate,
      acquiredOn: 'acquiredOn' in input ? input.acquiredOn : undefined,
      lostOn: 'lostOn' in input ? input.lostOn : undefined,
      recordedOn: input.recordedOn,
    },
    on,
  );
  const [first, ...rest] = problems;
  if (first) throw dateProblemError([first, ...rest]);
}

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
      return lose(run, input);
    case 'dependent_remove':
      return removeDependent(run, input);
    case 'change':
      return change(run, input);
  }
}
