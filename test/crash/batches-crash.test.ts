/**
 * Crash safety of the ex-officio run and the bulk print (issue #6 item 2), on both stores: each CLI
 * command is SIGKILLed from outside once the store (or the output folder) shows part of the work,
 * then run again to the end. Every member must hold exactly one certificate from the run, every
 * decision must be recorded once, every member must get exactly one complete PDF, and the store must
 * pass its integrity checks. (test/certificates-crash.test.ts also kills the run from inside a batch's
 * transaction, on SQLite.)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeInsurer } from '../support/registry.js';
import { STORE_KINDS } from '../support/stores.js';
import { type CrashStore, crashStore, runShikaku, storeHealth } from './support.js';

const MEMBERS = 400;
/** Every 10th member lost eligibility before the run: skipped `not_eligible`, never printed. */
const ELIGIBLE = MEMBERS - MEMBERS / 10;
const INSURER = '06139992';
const AS_OF = '2025-12-02';

async function seedMembers(store: CrashStore): Promise<void> {
  const ctx = await store.context();
  await makeInsurer(ctx, INSURER);
  const at = new Date().toISOString();
  const rows = Array.from({ length: MEMBERS }, (_, j) => ({
    id: `m-${String(j).padStart(5, '0')}`,
    insurer_number: INSURER,
    symbol: '1234',
    number: String(j + 1),
    branch: '00',
    relationship: 'insured' as const,
    insured_member_id: null,
    name: '試験 太郎',
    name_kana: 'シケン タロウ',
    birth_date: '1980-01-01',
    sex: 'male' as const,
    address: null,
    my_number_enc: null,
    my_number_index: null,
    my_number_last4: null,
    acquired_on: '2015-04-01',
    lost_on: j % 10 === 9 ? '2025-04-01' : null,
    standard_monthly_remuneration: 300_000,
    version: 1,
    recorded_on: '2015-04-01',
    hub_available_on: '2015-04-03',
    hub_status: 'no_my_number' as const,
    hub_mismatch_fields: '[]',
    created_at: at,
  }));
  for (let i = 0; i < rows.length; i += 250) {
    await ctx.store.db
      .insertInto('members')
      .values(rows.slice(i, i + 250))
      .execute();
  }
}

/** Well-formed PDFs only: a kill must not leave a truncated file behind after the re-run. */
function completePdf(file: string): boolean {
  const bytes = readFileSync(file);
  return (
    bytes.subarray(0, 5).toString('latin1') === '%PDF-' && bytes.subarray(-1024).toString('latin1').includes('%%EOF')
  );
}

describe.each(STORE_KINDS)('ex-officio run and bulk print killed with SIGKILL on %s', (kind) => {
  let store: CrashStore;
  let outDir: string;
  beforeAll(async () => {
    store = await crashStore(kind);
    await seedMembers(store);
    outDir = mkdtempSync(join(tmpdir(), `shikaku-print-crash-${kind}-`));
  });
  afterAll(async () => {
    await store.dispose();
    rmSync(outDir, { recursive: true, force: true });
  });

  const count = async (sql: string) => Number((await store.query<{ n: number | string }>(sql))[0]?.n ?? 0);

  it('the ex-officio run, killed and re-run, issues every eligible member exactly once', async () => {
    const args = ['certificates', 'issue-ex-officio', '--insurer', INSURER, '--as-of', AS_OF, '--batch-size', '20'];
    const decided = () => count('select count(*) as n from issuance_run_members');
    const killed = await runShikaku([...args, '--db', store.db], {
      // Killed by itself inside the 6th batch's transaction: since 2026-12-02 the run finishes 400
      // members before a poll from outside sees its first batch (docs/PERFORMANCE.md).
      env: { SHIKAKU_TEST_CRASH_AFTER_BATCHES: '5' },
    });
    expect(killed.signal).toBe('SIGKILL');
    const half = await decided();
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(MEMBERS);
    // Whole batches only: decisions and certificates of a batch commit together.
    expect(half % 20).toBe(0);
    expect(await count('select count(*) as n from eligibility_certificates')).toBe(half - half / 10);

    const resumed = await runShikaku([...args, '--db', store.db]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('resumed');
    expect(await decided()).toBe(MEMBERS);
    const perMember = await store.query<{ member_id: string; n: number | string }>(
      'select member_id, count(*) as n from eligibility_certificates group by member_id',
    );
    expect(perMember).toHaveLength(ELIGIBLE);
    expect(perMember.every((c) => Number(c.n) === 1)).toBe(true);
    expect(await count("select count(*) as n from issuance_runs where state = 'finished'")).toBe(1);
    // One start (the resumed run goes on under the same id) and one finish.
    expect(await count("select count(*) as n from audit_log where action = 'certificate.run.start'")).toBe(1);
    expect(await count("select count(*) as n from audit_log where action = 'certificate.run.finish'")).toBe(1);
    expect(await count('select count(*) as n from issuance_runs')).toBe(1);
    const issuedAudits = await store.query<{ member_id: string; n: number | string }>(
      "select member_id, count(*) as n from audit_log where action like 'certificate.%' and member_id is not null group by member_id",
    );
    expect(issuedAudits).toHaveLength(ELIGIBLE);
    expect(issuedAudits.every((a) => Number(a.n) === 1)).toBe(true);

    const health = await storeHealth(store);
    if (kind === 'sqlite') {
      expect(health.integrity).toEqual(['ok']);
      expect(health.foreignKeyViolations).toBe(0);
    }
    expect(health.audit).toMatchObject({ ok: true });
  }, 180_000);

  it('the bulk print, killed and re-run, leaves exactly one complete PDF per certificate', async () => {
    const args = ['print', 'certificates', '--insurer', INSURER, '--as-of', AS_OF, '--out', outDir, '--db', store.db];
    const pdfs = async () => readdirSync(outDir).filter((f) => f.endsWith('.pdf')).length;
    const killed = await runShikaku(args, { progress: pdfs, killWhen: (n) => n >= ELIGIBLE * 0.3 });
    expect(killed.signal).toBe('SIGKILL');
    expect(await pdfs()).toBeLessThan(ELIGIBLE);

    const rerun = await runShikaku(args);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`printed ${ELIGIBLE} certificates`);
    const files = readdirSync(outDir).sort();
    const expected = Array.from({ length: MEMBERS }, (_, j) => j)
      .filter((j) => j % 10 !== 9)
      .map((j) => `kakuninsho-1234-${j + 1}-00.pdf`)
      .sort();
    // Nothing but the expected files: no duplicate under another name, no leftover partial file.
    expect(files).toEqual(expected);
    for (const file of files) expect(completePdf(join(outDir, file)), file).toBe(true);
    expect(existsSync(join(outDir, 'kakuninsho-1234-10-00.pdf'))).toBe(false);

    // Printing is a disclosure: each run that printed put its records on the chain, which holds.
    expect(
      await count("select count(*) as n from audit_log where action = 'certificate.print'"),
    ).toBeGreaterThanOrEqual(ELIGIBLE);
    const health = await storeHealth(store);
    if (kind === 'sqlite') expect(health.integrity).toEqual(['ok']);
    expect(health.audit).toMatchObject({ ok: true });
  }, 240_000);
});
