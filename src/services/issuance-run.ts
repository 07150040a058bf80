/**
 * The ex-officio run (職権交付, RULES.md §2; DESIGN.md §5.2 `POST /api/v1/certificates:issue-ex-officio`):
 * for every member of an association on a date, `decideExOfficio` says issue (with the reason) or skip
 * (with the reason), and the run issues.
 *
 * Batches and resumption (DESIGN.md §3.6): members are taken in id order, `batchSize` at a time; each
 * batch is ONE transaction that re-reads the facts under the association's lock, writes the
 * certificates, one issuance_run_members row per member (issued or skipped, with the reason), the audit
 * records, and moves the run's `last_member_id`. A run killed half-way leaves whole batches only; the
 * next run for the same association and date finds it `running` and goes on after `last_member_id`
 * under the same run id, so its answer is the whole run's. Exactly once holds twice over: the
 * (run_id, member_id) keys, and the decision itself (a member holding a usable certificate is skipped
 * `already_has_certificate`, so a second, new run issues nothing).
 *
 * Test hook: when the environment variable SHIKAKU_TEST_CRASH_AFTER_BATCHES=N is set, the process
 * SIGKILLs itself inside the transaction of batch N+1, after its certificates were written and before
 * the commit (used only by test/certificates-crash.test.ts to prove the run resumes exactly once).
 */
import type { Kysely } from 'kysely';
import type { ExOfficioRunInput, ExOfficioRunResult, ExOfficioRunView } from '../contract/certificates.js';
import { ShikakuError } from '../domain/codes.js';
import type { IsoDate } from '../domain/dates.js';
import { assertCertificateDate, decideExOfficio, type ExOfficioReason, type SkipReason } from '../domain/issuance.js';
import { certificateValidUntil } from '../domain/proofs.js';
import { exOfficioOptionsOn } from '../domain/transition-policy.js';
import { fastAll, fastInsertMany, fastRun, insertStatement } from '../store/fast.js';
import type { Database, IssuanceRunMembersTable } from '../store/schema.js';
import { type Actor, requireInsurerScope, requireRole } from './actor.js';
import { appendAudit } from './audit.js';
import { insertCertificates } from './certificates/issue.js';
import { newId, nowIso, type ServiceContext } from './context.js';
import { lockInsurer } from './document-scope.js';
import {
  gatherIssuanceFacts,
  ISSUANCE_MEMBER_COLUMNS,
  type IssuanceMember,
  type IssuancePolicy,
  policyOfRow,
} from './issuance-facts.js';

export interface RunProgress {
  done: number;
  total: number;
  issued: number;
  skipped: number;
}

export interface RunOptions {
  /** Members per transaction (default 500). */
  batchSize?: number;
  onProgress?: (progress: RunProgress) => void;
}

export const DEFAULT_BATCH_SIZE = 500;
const INSERT_RUN_MEMBER = insertStatement<IssuanceRunMembersTable>('issuance_run_members', [
  'run_id',
  'member_id',
  'insurer_number',
  'outcome',
  'reason',
  'certificate_id',
]);
const CRASH_ENV = 'SHIKAKU_TEST_CRASH_AFTER_BATCHES';

type Decided =
  | { member: IssuanceMember; issue: true; reason: ExOfficioReason }
  | { member: IssuanceMember; issue: false; reason: SkipReason };

/** Decides for one page of members on `asOf`, with the facts as `db` sees them now. */
async function decidePage(
  db: Kysely<Database>,
  members: readonly IssuanceMember[],
  policy: IssuancePolicy,
  asOf: IsoDate,
): Promise<Decided[]> {
  const facts = await gatherIssuanceFacts(db, members, asOf);
  return members.map((member) => {
    const gathered = facts.get(member.id);
    if (!gathered) throw new Error(`no facts for member ${member.id}`);
    const decision = decideExOfficio(
      { ...gathered.facts, newMemberPolicy: policy.newMemberCertificate },
      asOf,
      exOfficioOptionsOn(policy.transitionPolicy, asOf),
    );
    return decision.issue
      ? { member, issue: true, reason: decision.reason }
      : { member, issue: false, reason: decision.reason };
  });
}

const PAGE = `select ${ISSUANCE_MEMBER_COLUMNS.join(', ')} from members where insurer_number = ?`;

/** A page of members in id order, read from the covering index members_issuance alone. */
function page(db: Kysely<Database>, insurer: string, after: string | null, size: number): Promise<IssuanceMember[]> {
  return after === null
    ? fastAll<IssuanceMember>(db, `${PAGE} order by id limit ?`, [insurer, size])
    : fastAll<IssuanceMember>(db, `${PAGE} and id > ? order by id limit ?`, [insurer, after, size]);
}

async function countMembers(db: Kysely<Database>, insurer: string): Promise<number> {
  const row = await db
    .selectFrom('members')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('insurer_number', '=', insurer)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function crashAfterBatches(): number | null {
  const raw = process.env[CRASH_ENV];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  return Number(raw);
}

/**
 * Runs (or resumes) the ex-officio issuance of `insurerNumber` on `asOf` (role admin of that
 * association). See the module note. Answers every member issued (certificate id, reason, validity)
 * and skipped (reason) by the run, whatever call of it did the work. VALIDATION_FAILED for a date
 * before 2024-12-02 or a policy that cannot give a validity on `asOf`.
 */
export async function runExOfficio(
  ctx: ServiceContext,
  actor: Actor,
  input: ExOfficioRunInput,
  options: RunOptions = {},
): Promise<ExOfficioRunResult> {
  requireInsurerScope(actor, input.insurerNumber, ['admin']);
  assertCertificateDate(input.asOf);
  const { db, dialect } = ctx.store;
  const insurerRow = await db
    .selectFrom('insurers')
    .selectAll()
    .where('insurer_number', '=', input.insurerNumber)
    .executeTakeFirst();
  if (!insurerRow) throw new ShikakuError('INSURER_NOT_FOUND', { insurerNumber: input.insurerNumber });
  const policy = policyOfRow(insurerRow);
  // The same for every member (issued on asOf): a policy that cannot give one fails before any write.
  const validUntil = certificateValidUntil(policy.certificatePolicy, input.asOf);
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
  const total = await countMembers(db, input.insurerNumber);

  if (input.dryRun) return dryRun(db, input, policy, validUntil, batchSize, total, options);

  const existing = await db
    .selectFrom('issuance_runs')
    .selectAll()
    .where('insurer_number', '=', input.insurerNumber)
    .where('as_of', '=', input.asOf)
    .where('state', '=', 'running')
    .orderBy('started_at')
    .executeTakeFirst();
  const resumed = existing !== undefined;
  const runId = existing?.id ?? newId();
  let cursor = existing?.last_member_id ?? null;
  if (!existing) {
    await db.transaction().execute(async (trx) => {
      const at = nowIso(ctx);
      await trx
        .insertInto('issuance_runs')
        .values({
          id: runId,
          insurer_number: input.insurerNumber,
          as_of: input.asOf,
          state: 'running',
          last_member_id: null,
          total,
          started_at: at,
          finished_at: null,
        })
        .execute();
      await appendAudit(trx, dialect, actor, at, {
        action: 'certificate.run.start',
        insurerNumber: input.insurerNumber,
        detail: { runId, asOf: input.asOf, total },
      });
    });
  }

  const counts = await runCounts(db, runId);
  let done = counts.issued + counts.skipped;
  options.onProgress?.({ done, total: Math.max(total, done), ...counts });
  const crashAfter = crashAfterBatches();
  let batches = 0;
  for (;;) {
    const batchNumber = ++batches;
    const last = await db.transaction().execute(async (trx) => {
      await lockInsurer(trx, dialect, input.insurerNumber);
      const members = await page(trx, input.insurerNumber, cursor, batchSize);
      if (members.length === 0) return null;
      const decided = await decidePage(trx, members, policy, input.asOf);
      // The batch's certificates in one go, in member order (docs/PERFORMANCE.md).
      const issuing = decided.filter((d) => d.issue);
      const certs = await insertCertificates(
        trx,
        ctx,
        actor,
        issuing.map((d) => ({
          member: d.member,
          issuedOn: input.asOf,
          validUntil,
          reason: d.reason,
          kind: 'ex_officio' as const,
          runId,
        })),
      );
      const certificateOf = new Map(certs.map((c) => [c.member_id, c.id]));
      const rows: Database['issuance_run_members'][] = [];
      for (const d of decided) {
        if (d.issue) {
          rows.push({
            run_id: runId,
            member_id: d.member.id,
            insurer_number: input.insurerNumber,
            outcome: 'issued',
            reason: d.reason,
            certificate_id: certificateOf.get(d.member.id) ?? null,
          });
          counts.issued++;
        } else {
          rows.push({
            run_id: runId,
            member_id: d.member.id,
            insurer_number: input.insurerNumber,
            outcome: 'skipped',
            reason: d.reason,
            certificate_id: null,
          });
          counts.skipped++;
        }
      }
      await fastInsertMany(trx, INSERT_RUN_MEMBER, rows);
      const lastId = members[members.length - 1]?.id ?? cursor;
      await fastRun(trx, 'update issuance_runs set last_member_id = ? where id = ?', [lastId, runId]);
      if (crashAfter !== null && batchNumber === crashAfter + 1) {
        // Test hook (module note): die with the batch written but not committed.
        process.kill(process.pid, 'SIGKILL');
        await new Promise(() => {});
      }
      return { lastId, size: members.length };
    });
    if (last === null) break;
    cursor = last.lastId;
    done += last.size;
    options.onProgress?.({ done, total: Math.max(total, done), ...counts });
    if (last.size < batchSize) break;
  }

  await db.transaction().execute(async (trx) => {
    const at = nowIso(ctx);
    await trx
      .updateTable('issuance_runs')
      .set({ state: 'finished', finished_at: at })
      .where('id', '=', runId)
      .execute();
    await appendAudit(trx, dialect, actor, at, {
      action: 'certificate.run.finish',
      insurerNumber: input.insurerNumber,
      detail: { runId, asOf: input.asOf, issued: counts.issued, skipped: counts.skipped, resumed },
    });
  });
  return { ...(await runResult(db, runId)), resumed };
}

async function dryRun(
  db: Kysely<Database>,
  input: ExOfficioRunInput,
  policy: IssuancePolicy,
  validUntil: IsoDate,
  batchSize: number,
  total: number,
  options: RunOptions,
): Promise<ExOfficioRunResult> {
  const result: ExOfficioRunResult = {
    runId: null,
    insurerNumber: input.insurerNumber,
    asOf: input.asOf,
    dryRun: true,
    resumed: false,
    issued: [],
    skipped: [],
  };
  let cursor: string | null = null;
  for (;;) {
    const members = await page(db, input.insurerNumber, cursor, batchSize);
    if (members.length === 0) break;
    for (const d of await decidePage(db, members, policy, input.asOf)) {
      if (d.issue) result.issued.push({ memberId: d.member.id, certificateId: null, reason: d.reason, validUntil });
      else result.skipped.push({ memberId: d.member.id, reason: d.reason });
    }
    cursor = members[members.length - 1]?.id ?? null;
    const done = result.issued.length + result.skipped.length;
    options.onProgress?.({
      done,
      total: Math.max(total, done),
      issued: result.issued.length,
      skipped: result.skipped.length,
    });
    if (members.length < batchSize) break;
  }
  return result;
}

async function runCounts(db: Kysely<Database>, runId: string): Promise<{ issued: number; skipped: number }> {
  const rows = await db
    .selectFrom('issuance_run_members')
    .select(['outcome', (eb) => eb.fn.countAll().as('n')])
    .where('run_id', '=', runId)
    .groupBy('outcome')
    .execute();
  const counts = { issued: 0, skipped: 0 };
  for (const r of rows) counts[r.outcome] = Number(r.n);
  return counts;
}

/** A run's answer from the store: every member it decided, in member id order. */
async function runResult(db: Kysely<Database>, runId: string): Promise<ExOfficioRunResult> {
  const run = await db.selectFrom('issuance_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run) throw new ShikakuError('ISSUANCE_RUN_NOT_FOUND', { runId });
  const rows = await db
    .selectFrom('issuance_run_members')
    .leftJoin('eligibility_certificates', 'eligibility_certificates.id', 'issuance_run_members.certificate_id')
    .select([
      'issuance_run_members.member_id',
      'issuance_run_members.outcome',
      'issuance_run_members.reason',
      'issuance_run_members.certificate_id',
      'eligibility_certificates.valid_until',
    ])
    .where('issuance_run_members.run_id', '=', runId)
    .orderBy('issuance_run_members.member_id')
    .execute();
  const result: ExOfficioRunResult = {
    runId,
    insurerNumber: run.insurer_number,
    asOf: run.as_of,
    dryRun: false,
    resumed: false,
    issued: [],
    skipped: [],
  };
  for (const r of rows) {
    if (r.outcome === 'issued') {
      result.issued.push({
        memberId: r.member_id,
        certificateId: r.certificate_id,
        reason: r.reason as ExOfficioReason,
        validUntil: r.valid_until ?? run.as_of,
      });
    } else {
      result.skipped.push({ memberId: r.member_id, reason: r.reason as SkipReason });
    }
  }
  return result;
}

/** A run and what it decided (role admin of its association), e.g. to explain it later. */
export async function getRun(ctx: ServiceContext, actor: Actor, runId: string): Promise<ExOfficioRunView> {
  requireRole(actor, 'admin');
  const run = await ctx.store.db.selectFrom('issuance_runs').selectAll().where('id', '=', runId).executeTakeFirst();
  if (!run || actor.insurerNumber !== run.insurer_number) throw new ShikakuError('ISSUANCE_RUN_NOT_FOUND', { runId });
  return {
    ...(await runResult(ctx.store.db, runId)),
    state: run.state,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
  };
}

/** Counts of a run's answer by outcome and reason, for the CLI summary and the bench. */
export function summarize(result: Pick<ExOfficioRunResult, 'issued' | 'skipped'>): Array<{
  outcome: 'issued' | 'skipped';
  reason: string;
  count: number;
}> {
  const counts = new Map<string, { outcome: 'issued' | 'skipped'; reason: string; count: number }>();
  const add = (outcome: 'issued' | 'skipped', reason: string) => {
    const key = `${outcome}:${reason}`;
    const entry = counts.get(key) ?? { outcome, reason, count: 0 };
    entry.count++;
    counts.set(key, entry);
  };
  for (const i of result.issued) add('issued', i.reason);
  for (const s of result.skipped) add('skipped', s.reason);
  return [...counts.values()].sort((a, b) =>
    a.outcome === b.outcome ? b.count - a.count || a.reason.localeCompare(b.reason) : a.outcome === 'issued' ? -1 : 1,
  );
}
