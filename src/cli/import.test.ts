import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshInsurerNumber, freshMyNumber, makeInsurer, wrongCheckDigit } from '../../test/support/registry.js';
import { keyringFromSecret } from '../security/keyring.js';
import { systemClock } from '../services/context.js';
import { openStore } from '../store/db.js';

const run = promisify(execFile);
const KEY = '11'.repeat(32);
const BIN = fileURLToPath(new URL('../../bin/shikaku.js', import.meta.url));

/** Runs `shikaku import …` as a user would; resolves with the exit code and output. */
async function shikaku(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, SHIKAKU_KEY: KEY, DATABASE_URL: '' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('shikaku import', () => {
  let dir: string;
  let db: string;
  const insurer = freshInsurerNumber();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shikaku-import-'));
    db = join(dir, 'test.db');
    const store = await openStore({ file: db });
    await makeInsurer({ store, keyring: keyringFromSecret(Buffer.from(KEY, 'hex')), clock: systemClock }, insurer);
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const header = '種別,記号,資格取得日,個人番号,氏名,フリガナ,生年月日,性別,住所';
  const row = (myNumber: string) => `取得,1234,2025-11-01,${myNumber},協会 太郎,キョウカイ タロウ,1989-10-01,男,東京都`;

  it('exits 3 when a row fails, naming its line, and 0 on a clean re-run of the good rows', async () => {
    const good = row(freshMyNumber());
    const file = join(dir, 'mixed.csv');
    writeFileSync(file, `\uFEFF${header}\n${good}\n${row(wrongCheckDigit(freshMyNumber()))}\n`);
    const report = join(dir, 'errors.csv');
    const first = await shikaku([
      'import',
      file,
      '--insurer',
      insurer,
      '--db',
      db,
      '--recorded-on',
      '2025-11-21',
      '--report',
      report,
    ]);
    expect(first.code).toBe(3);
    expect(first.stdout).toContain('line 3: MYNUMBER_CHECK_DIGIT');
    expect(first.stdout).toContain('1 accepted (1 written, 0 already imported), 1 rejected');
    expect(readFileSync(report, 'utf8')).toContain('3,MYNUMBER_CHECK_DIGIT,個人番号,');

    const clean = join(dir, 'clean.csv');
    writeFileSync(clean, `${header}\n${good}\n`);
    const second = await shikaku(['import', clean, '--insurer', insurer, '--db', db, '--recorded-on', '2025-11-21']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('1 accepted (0 written, 1 already imported), 0 rejected');
  });

  it('refuses a file that is not UTF-8 before writing anything', async () => {
    const file = join(dir, 'sjis.csv');
    writeFileSync(file, Buffer.from([0x8e, 0xed, 0x95, 0xca, 0x0a]));
    const result = await shikaku(['import', file, '--insurer', insurer, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('VALIDATION_CSV');
  });
});
