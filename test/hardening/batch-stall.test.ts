/**
 * Issue #19 §1: a 10,000-row notification batch or a 5,000-row CSV upload must not stall a clinic's
 * verification. Each is answered 202 with a job that runs in chunks yielding to the event loop;
 * verifications sent meanwhile over real HTTP answer within their normal latency, and the job's
 * report equals what a synchronous batch (or upload) of the same rows answers. A job survives a
 * restart.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvUploadJob, CsvUploadReport } from '../../src/contract/console.js';
import type { BatchReport } from '../../src/contract/notifications.js';
import { buildApp } from '../../src/http/app.js';
import { systemActor } from '../../src/services/actor.js';
import { uploadCsv } from '../../src/services/console/csv-upload.js';
import { fixedClock, type ServiceContext } from '../../src/services/context.js';
import { createInsurer } from '../../src/services/insurers.js';
import { issueLegacyCard } from '../../src/services/legacy-cards.js';
import { parseNotification, submitBatch, submitNotification } from '../../src/services/registry.js';
import { createToken } from '../../src/services/tokens.js';
import { openStore } from '../../src/store/db.js';
import { freshInsurerNumber } from '../support/registry.js';
import { STORE_KINDS, testKeyring, testStoreTargets } from '../support/stores.js';
import { comparableUpload, uploadCsvText } from '../support/upload-csv.js';

const PROVIDER = '1311234566';

/** Rows of a large batch: acquisitions numbered by the registry, every 97th one invalid. */
function batchRows(insurerNumber: string, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'acquisition',
    insurerNumber,
    recordedOn: '2025-11-21',
    symbol: String(100 + (i % 50)),
    acquiredOn: '2025-11-01',
    person: {
      name: '協会 太郎',
      nameKana: 'キョウカイ タロウ',
      birthDate: i % 97 === 0 ? '1989-02-30' : '1989-10-01',
      sex: 'male',
    },
  }));
}

/** The report without the ids the store draws at random (member and notification ids). */
function comparable(report: BatchReport) {
  return report.rows.map((row) =>
    row.ok
      ? { line: row.line, symbol: row.result.symbol, number: row.result.number, branch: row.result.branch }
      : { line: row.line, code: row.error.code, errors: row.error.errors },
  );
}

async function seedInsurer(ctx: ServiceContext, insurerNumber: string): Promise<void> {
  await createInsurer(ctx, systemActor('operator'), {
    insurerNumber,
    name: 'シカク健康保険組合',
    certificatePolicy: { validYears: 5 },
    reissueFeeYen: 500,
    newMemberCertificate: 'ex_officio',
  });
}

describe('a large batch does not stall verifications (issue #19 §1)', () => {
  const places = testStoreTargets('hd-stall');
  let ctx: ServiceContext;
  let app: FastifyInstance;
  let base = '';
  let provider = '';
  let admin = '';
  const insurer = freshInsurerNumber();
  const twin = freshInsurerNumber();

  beforeAll(async () => {
    const target = await places.target('sqlite', 'stall');
    ctx = { store: await openStore(target), keyring: testKeyring, clock: fixedClock('2025-11-21T01:00:00Z') };
    await seedInsurer(ctx, insurer);
    await seedInsurer(ctx, twin);
    const adminActor = systemActor('admin', { insurerNumber: insurer });
    const { result } = await submitNotification(
      ctx,
      adminActor,
      parseNotification({
        kind: 'acquisition',
        insurerNumber: insurer,
        recordedOn: '2024-10-01',
        symbol: '1234',
        number: '567',
        acquiredOn: '2012-04-01',
        person: { name: '協会 太郎', nameKana: 'キョウカイ タロウ', birthDate: '1989-10-01', sex: 'male' },
      }),
    );
    await issueLegacyCard(ctx, adminActor, result.memberId, { issuedOn: '2024-04-01' });
    provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    app = await buildApp({ ctx, limits: { verifyPerMinute: 100_000 } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await ctx.store.close();
    await places.remove();
  });

  const post = (path: string, token: string, body: unknown, contentType = 'application/json') =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  async function verificationMs(): Promise<number> {
    const started = performance.now();
    const res = await post('/api/v1/verifications', provider, {
      method: 'number',
      asOf: '2025-12-02',
      document: 'legacy_card',
      insurerNumber: insurer,
      symbol: '1234',
      number: '567',
      branch: '00',
      birthDate: '1989-10-01',
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    return performance.now() - started;
  }

  /** p99 of 20 verifications alone: the machine's own pace (shared, maybe running other test files). */
  async function idleP99(): Promise<number> {
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await verificationMs());
    idle.sort((a, b) => a - b);
    return idle[19] ?? 0;
  }

  /**
   * Posts a large body (serialised before: the client shares this process's event loop) and verifies
   * while it is received, stored and run, polling its job to the end. Answers the job's last state
   * and the verifications' latencies, sorted.
   */
  async function verifyDuring<Job extends { jobId: string; status: string; total: number }>(
    path: string,
    token: string,
    body: string,
    contentType: string,
  ): Promise<{ job: Job; latencies: number[]; p99: number }> {
    const t0 = performance.now();
    const posted = post(path, token, body, contentType);
    // A reception sends one every 100 ms while the batch is received, stored and started: latency
    // counts from when it meant to send (a stalled event loop cannot even send it). Before the jobs,
    // the same measure read p50 11.2 s, p99 12.1 s: every verification waited for the whole batch.
    const latencies = await Promise.all(
      Array.from(
        { length: 20 },
        (_, i) =>
          new Promise<number>((resolve) =>
            setTimeout(
              async () => {
                const planned = t0 + 50 + i * 100;
                await verificationMs();
                resolve(performance.now() - planned);
              },
              50 + i * 100,
            ),
          ),
      ),
    );
    const accepted = await posted;
    expect(accepted.status).toBe(202);
    let job = (await accepted.json()) as Job;
    expect(accepted.headers.get('location')).toBe(`/api/v1/notifications/jobs/${job.jobId}`);
    while (job.status !== 'done') {
      latencies.push(await verificationMs());
      const res = await fetch(`${base}/api/v1/notifications/jobs/${job.jobId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      job = (await res.json()) as Job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    latencies.sort((a, b) => a - b);
    return { job, latencies, p99: latencies[Math.ceil(latencies.length * 0.99) - 1] ?? 0 };
  }

  it('answers 202 with a job; 20 verifications meanwhile stay fast; the report equals a synchronous one', async () => {
    const idle = await idleP99();
    const rows = JSON.stringify(batchRows(insurer, 10_000));
    const { job, latencies, p99 } = await verifyDuring<{
      jobId: string;
      status: string;
      total: number;
      report?: BatchReport;
    }>('/api/v1/notifications:batch', admin, rows, 'application/json');
    expect(job).toMatchObject({ total: 10_000 });
    console.log(
      `verifications alone: p99=${idle.toFixed(1)} ms; during a 10,000-row batch: n=${latencies.length} ` +
        `p50=${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms p99=${p99.toFixed(1)} ms`,
    );
    // A chunk holds the connection for at most 50 ms and the job then rests as long: 300 ms over the
    // machine's own pace (twice its p99 alone, for a loaded shared machine) is far below the 12 s of
    // a batch that does not yield.
    expect(p99).toBeLessThan(300 + 2 * idle);

    const report = job.report as BatchReport;
    expect(report.accepted + report.rejected).toBe(10_000);
    expect(report.rejected).toBe(Math.ceil(10_000 / 97));
    // The same rows for another association, synchronously (the service the ≤1,000-row route calls).
    const sync = await submitBatch(ctx, systemActor('admin', { insurerNumber: twin }), batchRows(twin, 10_000));
    expect(comparable(report)).toEqual(comparable(sync));
    expect({ accepted: report.accepted, rejected: report.rejected }).toEqual({
      accepted: sync.accepted,
      rejected: sync.rejected,
    });
  }, 300_000);

  it('a 5,000-row CSV upload answers 202 with a job; verifications meanwhile stay fast; its report is the synchronous one', async () => {
    // Fresh associations: the batch above numbered members under the same 記号.
    const [uploader, other] = [freshInsurerNumber(), freshInsurerNumber()];
    await seedInsurer(ctx, uploader);
    await seedInsurer(ctx, other);
    const token = (await createToken(ctx, { role: 'admin', insurerNumber: uploader })).token;
    const csv = uploadCsvText(5000);
    const idle = await idleP99();
    const { job, latencies, p99 } = await verifyDuring<CsvUploadJob>(
      '/api/v1/notifications:import',
      token,
      csv,
      'text/csv',
    );
    expect(job).toMatchObject({ source: 'csv', total: 5000, processed: 5000 });
    console.log(
      `verifications alone: p99=${idle.toFixed(1)} ms; during a 5,000-row CSV upload: n=${latencies.length} ` +
        `p50=${latencies[Math.floor(latencies.length / 2)]?.toFixed(1)} ms p99=${p99.toFixed(1)} ms`,
    );
    // The file is parsed and its rows checked in slices, then recorded in resting chunks like the
    // batch's: the same bound as the batch's.
    expect(p99).toBeLessThan(300 + 2 * idle);

    // The same file uploaded by another association's admin, synchronously (the ≤1,000-row path).
    const report = job.report as CsvUploadReport;
    const sync = await uploadCsv(ctx, systemActor('admin', { insurerNumber: other }), csv);
    expect(comparableUpload(report)).toEqual(comparableUpload(sync));
    expect(report.rows.map((row) => row.line)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 2));
    // 51 impossible birth dates and 57 losses of nobody (copies of such rows included).
    expect(report).toMatchObject({ total: 5000, rejected: 108 });
  }, 300_000);
});

/** Posts `count` batch rows, which makes a job (more than 1,000 rows): its id. */
async function postBatchJob(app: FastifyInstance, token: string, insurer: string, count: number): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/notifications:batch',
    headers: { authorization: `Bearer ${token}` },
    payload: batchRows(insurer, count) as object[],
  });
  expect(res.statusCode).toBe(202);
  return (res.json() as { jobId: string }).jobId;
}

/** Polls a job until it is done: its final state, with the report. */
async function jobWhenDone(app: FastifyInstance, token: string, jobId: string) {
  let job: { status: string; report?: BatchReport } = { status: 'running' };
  while (job.status !== 'done') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const polled = await app.inject({
      url: `/api/v1/notifications/jobs/${jobId}`,
      headers: { authorization: `Bearer ${token}` },
    });
    job = polled.json();
  }
  return job;
}

describe('a job on SQLite', () => {
  it('holds the one connection for a few rows at a time: each transaction records at most ten rows', async () => {
    const ctx: ServiceContext = {
      store: await openStore({ file: ':memory:' }),
      keyring: testKeyring,
      clock: fixedClock('2025-11-21T01:00:00Z'),
    };
    const sqlite = ctx.store.sqlite;
    if (!sqlite) throw new Error('a SQLite store has its handle');
    const insurer = freshInsurerNumber();
    await seedInsurer(ctx, insurer);
    // What each of the job's commits added to its count of processed rows.
    sqlite.exec(`create temp table job_steps (rows integer not null);
      create temp trigger job_step after update of processed on notification_jobs
      begin insert into job_steps values (new.processed - old.processed); end;`);
    const app = await buildApp({ ctx });
    try {
      const admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
      await jobWhenDone(app, admin, await postBatchJob(app, admin, insurer, 1_500));
      const steps = sqlite.prepare('select rows from job_steps where rows > 0').all() as Array<{ rows: number }>;
      expect(steps.reduce((sum, step) => sum + step.rows, 0)).toBe(1_500);
      // Ten rows take ~7 ms on 1,000,000 members: what a verification behind them waits (registry/jobs.ts).
      expect(Math.max(...steps.map((step) => step.rows))).toBeLessThanOrEqual(10);
    } finally {
      await app.close();
      await ctx.store.close();
    }
  });
});

describe.each(STORE_KINDS)('a job survives a restart on %s (issue #19 §1)', (kind) => {
  const places = testStoreTargets('hd-resume');
  afterAll(() => places.remove());

  it('a server closed mid-job leaves it resumable; the next start finishes it, writing no row twice', async () => {
    const target = await places.target(kind, 'resume');
    const open = async () => ({
      store: await openStore(target),
      keyring: testKeyring,
      clock: fixedClock('2025-11-21T01:00:00Z'),
    });
    const insurer = freshInsurerNumber();
    let ctx: ServiceContext = await open();
    await seedInsurer(ctx, insurer);
    const admin = (await createToken(ctx, { role: 'admin', insurerNumber: insurer })).token;
    let app = await buildApp({ ctx });
    const jobId = await postBatchJob(app, admin, insurer, 3000);
    await app.close(); // stops after the chunk in progress
    await ctx.store.close();

    ctx = await open();
    const partial = await ctx.store.db
      .selectFrom('notification_jobs')
      .select(['status', 'processed'])
      .where('id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(partial.status).not.toBe('done');
    expect(partial.processed).toBeLessThan(3000);
    app = await buildApp({ ctx });
    await app.ready(); // resumes the unfinished job
    const report = (await jobWhenDone(app, admin, jobId)).report as BatchReport;
    expect(report.rows.map((r) => r.line)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(report.rejected).toBe(Math.ceil(3000 / 97));
    const members = await ctx.store.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('insurer_number', '=', insurer)
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(report.accepted);
    // Nothing of the rows' input is kept once done (it may carry a My Number).
    const kept = await ctx.store.db
      .selectFrom('notification_job_rows')
      .select('line')
      .where('job_id', '=', jobId)
      .where('input_enc', 'is not', null)
      .execute();
    expect(kept).toEqual([]);
    // Another association's admin does not see the job.
    const other = (await createToken(ctx, { role: 'admin', insurerNumber: freshInsurerNumber() })).token;
    const hidden = await app.inject({
      url: `/api/v1/notifications/jobs/${jobId}`,
      headers: { authorization: `Bearer ${other}` },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'NOTIFICATION_JOB_NOT_FOUND' });
    await app.close();
    await ctx.store.close();
  }, 120_000);
});
