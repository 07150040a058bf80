import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOf, makeInsurer } from '../../../test/support/registry.js';
import { openTestContext, STORE_KINDS } from '../../../test/support/stores.js';
import { comparableUpload, uploadCsvText } from '../../../test/support/upload-csv.js';
import type { CsvUploadJob, CsvUploadReport } from '../../contract/console.js';
import { ShikakuError } from '../../domain/codes.js';
import type { ServiceContext } from '../context.js';
import { startNotificationJobs } from '../registry.js';
import { uploadCsv } from './csv-upload.js';
import { getNotificationJobAnswer, uploadCsvOrQueue } from './csv-upload-job.js';

describe.each(STORE_KINDS)('a long CSV upload as a job on %s (issue #19 §1)', (kind) => {
  let ctx: ServiceContext;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ctx = await openTestContext(kind);
    stop = await startNotificationJobs(ctx, () => undefined);
  });
  afterAll(async () => {
    await stop();
    await ctx.store.close();
  });

  async function finished(actor: ReturnType<typeof adminOf>, job: CsvUploadJob): Promise<CsvUploadReport> {
    let polled = await getNotificationJobAnswer(ctx, actor, job.jobId);
    while (polled.status !== 'done') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      polled = await getNotificationJobAnswer(ctx, actor, job.jobId);
    }
    expect('source' in polled && polled.source).toBe('csv');
    return polled.report as CsvUploadReport;
  }

  it('queues a file above the threshold; the finished report equals the synchronous one, line for line', {
    timeout: 120_000,
  }, async () => {
    const csv = uploadCsvText(180);
    const queuedBy = adminOf(await makeInsurer(ctx));
    const answer = await uploadCsvOrQueue(ctx, queuedBy, csv, { threshold: 100 });
    if (!('job' in answer)) throw new Error('expected a job');
    // Rows refused while the file was read count as processed from the start.
    expect(answer.job).toMatchObject({ source: 'csv', total: 180, processed: 1, rejected: 1 });
    const report = await finished(queuedBy, answer.job);

    const sync = await uploadCsv(ctx, adminOf(await makeInsurer(ctx)), csv);
    expect(comparableUpload(report)).toEqual(comparableUpload(sync));
    expect(report.rows.map((row) => row.line)).toEqual(Array.from({ length: 180 }, (_, i) => i + 2));
    expect(sync.replayed).toBeGreaterThan(0);
    expect(sync.rows.find((row) => !row.ok && row.error.code === 'VALIDATION_DATE')).toMatchObject({
      columns: ['生年月日'],
    });
    // The rows' input (it may carry a My Number) is not kept once done.
    const kept = await ctx.store.db
      .selectFrom('notification_job_rows')
      .select('line')
      .where('job_id', '=', answer.job.jobId)
      .where('input_enc', 'is not', null)
      .execute();
    expect(kept).toEqual([]);
  });

  it('answers a small file at once, and a file-level error queues nothing', async () => {
    const admin = adminOf(await makeInsurer(ctx));
    const small = await uploadCsvOrQueue(ctx, admin, uploadCsvText(5), { threshold: 100 });
    expect('report' in small && small.report.total).toBe(5);
    await expect(uploadCsvOrQueue(ctx, admin, `種別,色\n取得,赤\n`, { threshold: 0 })).rejects.toThrow(ShikakuError);
  });
});
