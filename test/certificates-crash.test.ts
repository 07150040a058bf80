/**
 * The ex-officio run killed half-way and re-run issues every member exactly once (issue #3; DESIGN.md
 * §3.6). The CLI runs in a child process against a SQLite file with 3,000 generated members and is
 * SIGKILLed twice over: once by itself inside a batch's transaction (SHIKAKU_TEST_CRASH_AFTER_BATCHES,
 * a hook used only here — see src/services/issuance-run.ts), once from outside while it runs.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringFromSecret } from '../src/security/keyring.js';
import { verifyAuditChain } from '../src/services/audit.js';
import { systemClock } from '../src/services/context.js';
import { openStore, type Store } from '../src/store/db.js';
import { makeInsurer } from './support/registry.js';

const KEY = '22'.repeat(32);
const BIN = fileURLToPath(new URL('../bin/shikaku.js', import.meta.url));
const MEMBERS = 3_000;
/** Every 10th generated member lost eligibility before the run: skipped `not_eligible`. */
const ELIGIBLE = MEMBERS - MEMBERS / 10;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function shikaku(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, SHIKAKU_KEY: KEY, DATABASE_URL: '', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
        resolve({
          code: e ? (typeof e.code === 'number' ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

async function seed(file: string, insurer: string): Promise<void> {
  const store = await openStore({ file });
  try {
    await makeInsurer({ store, keyring: keyringFromSecret(Buffer.from(KEY, 'hex')), clock: systemClock }, insurer);
    const at = new Date().toISOString();
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < MEMBERS; i += 500) {
        const rows = [];
        for (let j = i; j < Math.min(MEMBERS, i + 500); j++) {
          rows.push({
            id: `m-${String(j).padStart(5, '0')}`,
            insurer_number: insurer,
            symbol: '1234',
            number: String(j + 1),
            branch: '00',
            relationship: 'insured' as const,
            insured_member_id: null,
            name: '協会 太郎',
            name_kana: 'キョウカイ タロウ',
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
          });
        }
        await trx.insertInto('members').values(rows).execute();
      }
    });
  } finally {
    await store.close();
  }
}

async function state(file: string, insurer: string) {
  const store: Store = await openStore({ file });
  try {
    const certificates = await store.db
      .selectFrom('eligibility_certificates')
      .select(['member_id', 'run_id'])
      .where('insurer_number', '=', insurer)
      .execute();
    const runs = await store.db.selectFrom('issuance_runs').selectAll().where('insurer_number', '=', insurer).execute();
    const decided = await store.db
      .selectFrom('issuance_run_members')
      .select(['member_id', 'outcome'])
      .where('run_id', 'in', runs.length ? runs.map((r) => r.id) : ['none'])
      .execute();
    const chain = await verifyAuditChain(store.db);
    return { certificates, runs, decided, chain };
  } finally {
    await store.close();
  }
}

function exactlyOnce(certificates: Array<{ member_id: string }>): { members: number; duplicates: string[] } {
  const seen = new Map<string, number>();
  for (const c of certificates) seen.set(c.member_id, (seen.get(c.member_id) ?? 0) + 1);
  return { members: seen.size, duplicates: [...seen].filter(([, n]) => n > 1).map(([id]) => id) };
}

describe('shikaku certificates issue-ex-officio after a crash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-crash-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('killed inside its 3rd batch (SIGKILL before the commit), re-run: every member issued exactly once', async () => {
    const file = join(dir, 'inside.db');
    const insurer = '06139992';
    await seed(file, insurer);
    const args = ['certificates', 'issue-ex-officio', '--insurer', insurer, '--as-of', '2025-12-02', '--db', file];

    const crashed = await shikaku(args, { SHIKAKU_TEST_CRASH_AFTER_BATCHES: '2' });
    expect(crashed.signal).toBe('SIGKILL');
    const half = await state(file, insurer);
    // Two whole batches of 500 committed; the third, written but not committed, left nothing.
    expect(half.runs).toHaveLength(1);
    expect(half.runs[0]).toMatchObject({ state: 'running', last_member_id: 'm-00999' });
    expect(half.decided).toHaveLength(1_000);
    expect(half.certificates).toHaveLength(900);
    expect(half.chain.ok).toBe(true);

    const resumed = await shikaku(args);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('resumed');
    expect(resumed.stdout).toMatch(/no_card\s+2700/);
    expect(resumed.stdout).toMatch(/not_eligible\s+300/);
    const done = await state(file, insurer);
    expect(done.runs).toHaveLength(1);
    expect(done.runs[0]?.state).toBe('finished');
    expect(done.decided).toHaveLength(MEMBERS);
    expect(exactlyOnce(done.certificates)).toEqual({ members: ELIGIBLE, duplicates: [] });
    expect(done.certificates).toHaveLength(ELIGIBLE);
    expect(done.chain.ok).toBe(true);

    // A further run decides again and issues nothing new.
    const again = await shikaku([...args, '--json']);
    expect(again.code).toBe(0);
    const answer = JSON.parse(again.stdout) as { issued: unknown[]; skipped: Array<{ reason: string }> };
    expect(answer.issued).toEqual([]);
    expect(answer.skipped.filter((s) => s.reason === 'already_has_certificate')).toHaveLength(ELIGIBLE);
    expect((await state(file, insurer)).certificates).toHaveLength(ELIGIBLE);
  }, 120_000);

  it('killed from outside while it runs (SIGKILL at an arbitrary point), re-run: exactly once', async () => {
    const file = join(dir, 'outside.db');
    const insurer = '06139992';
    await seed(file, insurer);
    const args = [
      'certificates',
      'issue-ex-officio',
      '--insurer',
      insurer,
      '--as-of',
      '2025-12-02',
      '--batch-size',
      '100',
      '--db',
      file,
    ];

    const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, SHIKAKU_KEY: KEY, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        // Without a TTY the CLI prints one progress line per committed batch.
        const done = [...buffer.matchAll(/progress (\d+)\//g)].map((m) => Number(m[1])).at(-1) ?? 0;
        if (done >= 800) {
          child.kill('SIGKILL');
          resolve(done);
        }
      });
      child.on('exit', (code) => reject(new Error(`finished before it could be killed (exit ${code}): ${buffer}`)));
    });
    await new Promise((resolve) => child.once('close', resolve));
    expect(killedAt).toBeLessThan(MEMBERS);
    const half = await state(file, insurer);
    expect(half.runs[0]?.state).toBe('running');
    expect(half.decided.length).toBeGreaterThanOrEqual(killedAt);
    expect(half.decided.length).toBeLessThan(MEMBERS);
    expect(half.decided.length % 100).toBe(0);

    const resumed = await shikaku(args);
    expect(resumed.code).toBe(0);
    const done = await state(file, insurer);
    expect(done.runs).toHaveLength(1);
    expect(done.decided).toHaveLength(MEMBERS);
    expect(exactlyOnce(done.certificates)).toEqual({ members: ELIGIBLE, duplicates: [] });
    expect(done.chain.ok).toBe(true);
  }, 120_000);
});
