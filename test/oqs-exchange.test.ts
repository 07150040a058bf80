/**
 * `shikaku oqs exchange` (issue #15): request files in req/, answers in res/ under the request's name
 * with req → res, the request moved aside; a malformed file gets an error answer; a process killed
 * between writing and renaming loses no request and leaves no half answer under a final name.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerName, exchangeOnce, localAnswerer, remoteAnswerer } from '../src/cli/oqs.js';
import { buildApp } from '../src/http/app.js';
import { keyringFromSecret } from '../src/security/keyring.js';
import { fixedClock, type ServiceContext } from '../src/services/context.js';
import { createToken } from '../src/services/tokens.js';
import { openStore } from '../src/store/db.js';
import { readOqsAnswer } from './oqs/reader.js';
import { buildOqsWorld, infoOf, type OqsWorld, PROVIDER, searchXml } from './oqs/world.js';
import { BIN } from './support/cli.js';

const KEY = '07'.repeat(32);
const PORT = 18_207;

describe('oqs exchange', () => {
  const root = mkdtempSync(join(tmpdir(), 'oqs-exchange-'));
  const dbFile = join(root, 'shikaku.db');
  let ctx: ServiceContext;
  let w: OqsWorld;

  beforeAll(async () => {
    const store = await openStore({ file: dbFile });
    ctx = { store, keyring: keyringFromSecret(Buffer.from(KEY, 'hex')), clock: fixedClock('2026-11-30T09:00:00Z') };
    w = await buildOqsWorld(ctx);
  });
  afterAll(async () => {
    await w.app.close();
    await ctx.store.close();
    rmSync(root, { recursive: true, force: true });
  });

  function folders(name: string) {
    const req = join(root, name, 'req');
    const res = join(root, name, 'res');
    mkdirSync(req, { recursive: true });
    return { req, res, done: join(req, 'done') };
  }
  const readRes = (dir: string, name: string) =>
    readOqsAnswer(readFileSync(join(dir, name)), 'application/xml; charset=Shift_JIS');

  it('names answers req → res', () => {
    expect(answerName('OQSsiquery01req_20261201.xml')).toBe('OQSsiquery01res_20261201.xml');
    expect(answerName('PATIENT_REQ_1.XML')).toBe('PATIENT_RES_1.XML');
    expect(answerName('visit-7.xml')).toBe('visit-7_res.xml');
  });

  it('answers each request file, a Shift_JIS one in Shift_JIS, a malformed one with an error answer; moves the requests aside', async () => {
    const f = folders('local');
    writeFileSync(
      join(f.req, 'OQSsiquery01req_0001.xml'),
      searchXml(infoOf(w.people.taro, w.insurer), { ArbitraryFileIdentifier: '0001' }),
    );
    writeFileSync(
      join(f.req, 'OQSsiquery01req_0002.xml'),
      iconv.encode(
        searchXml(infoOf(w.people.hanako, w.insurer), { CharacterCodeIdentifier: '1' }, 'Shift_JIS'),
        'Shift_JIS',
      ),
    );
    writeFileSync(join(f.req, 'OQSsiquery01req_0003.xml'), '<XmlMsg><MessageHeader>broken');
    writeFileSync(join(f.req, 'notes.txt'), 'not a request');

    const processed = await exchangeOnce({ reqDir: f.req, resDir: f.res, answer: localAnswerer(ctx, null) });
    expect(processed).toHaveLength(3);
    expect(readdirSync(f.res).sort()).toEqual([
      'OQSsiquery01res_0001.xml',
      'OQSsiquery01res_0002.xml',
      'OQSsiquery01res_0003.xml',
    ]);
    expect(readdirSync(f.req).sort()).toEqual(['done', 'notes.txt']);
    expect(readdirSync(f.done)).toHaveLength(3);

    const a = readRes(f.res, 'OQSsiquery01res_0001.xml');
    expect(a.header).toMatchObject({
      SegmentOfResult: '1',
      ArbitraryFileIdentifier: '0001',
      MedicalInstitutionCode: PROVIDER,
    });
    expect(a.body.results[0]?.fields.Name).toBe('協会 太郎');
    const b = readRes(f.res, 'OQSsiquery01res_0002.xml');
    expect(b.encoding).toBe('Shift_JIS');
    expect(b.body.results[0]?.fields.NameKana).toBe('ｷｮｳｶｲ ﾊﾅｺ');
    const c = readRes(f.res, 'OQSsiquery01res_0003.xml');
    expect(c.header).toMatchObject({ SegmentOfResult: '9', ErrorCode: 'OQS_MALFORMED' });
    expect(c.body.fields.ProcessingResultStatus).toBe('2');
  });

  it('through a server with a provider token: the same answers; a refused token stops and keeps the files', async () => {
    const app = await buildApp({ ctx, limits: { verifyPerMinute: 0 } });
    await app.listen({ port: PORT, host: '127.0.0.1' });
    try {
      const f = folders('remote');
      writeFileSync(join(f.req, 'OQSsiquery01req_r1.xml'), searchXml(infoOf(w.people.ume, w.insurer)));
      const admin = (await createToken(ctx, { role: 'admin', insurerNumber: w.insurer })).token;
      await expect(
        exchangeOnce({ reqDir: f.req, resDir: f.res, answer: remoteAnswerer(`http://127.0.0.1:${PORT}`, admin) }),
      ).rejects.toThrow(/403/);
      expect(readdirSync(f.req)).toContain('OQSsiquery01req_r1.xml');
      expect(readdirSync(f.res)).toEqual([]);

      await exchangeOnce({
        reqDir: f.req,
        resDir: f.res,
        answer: remoteAnswerer(`http://127.0.0.1:${PORT}`, w.provider),
      });
      const a = readRes(f.res, 'OQSsiquery01res_r1.xml');
      expect(a.body.results[0]?.elderly?.ElderlyRecipientContributionRatio).toBe('030');
    } finally {
      await app.close();
    }
  });

  it('killed between writing and renaming: no request lost, no half answer; the next run answers them all', async () => {
    const f = folders('killed');
    const people = [w.people.taro, w.people.hanako, w.people.ume];
    people.forEach((p, i) => {
      writeFileSync(join(f.req, `OQSsiquery01req_k${i}.xml`), searchXml(infoOf(p, w.insurer)));
    });
    // The store is shared with this process: SQLite's WAL lets the child read and write it too.
    const run = (env: Record<string, string>) =>
      new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [BIN, 'oqs', 'exchange', '--req', f.req, '--res', f.res, '--db', dbFile, '--once'],
          { env: { ...process.env, SHIKAKU_KEY: KEY, DATABASE_URL: '', ...env } },
          (_error, stdout, stderr) => resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr }),
        );
      });
    const killed = await run({ SHIKAKU_TEST_OQS_EXCHANGE_KILL_AFTER: '2' });
    expect(killed.signal).toBe('SIGKILL');
    // The first answer is whole; the second was written only as a dot-file; the third never started.
    const finals = readdirSync(f.res).filter((n) => !n.startsWith('.'));
    expect(finals).toEqual(['OQSsiquery01res_k0.xml']);
    expect(readdirSync(f.res).some((n) => n.startsWith('.'))).toBe(true);
    expect(
      readdirSync(f.req)
        .filter((n) => n.endsWith('.xml'))
        .sort(),
    ).toEqual(['OQSsiquery01req_k1.xml', 'OQSsiquery01req_k2.xml']);

    const again = await run({});
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(f.res).sort()).toEqual([
      'OQSsiquery01res_k0.xml',
      'OQSsiquery01res_k1.xml',
      'OQSsiquery01res_k2.xml',
    ]);
    expect(readdirSync(f.req).filter((n) => n.endsWith('.xml'))).toEqual([]);
    const names = ['k0', 'k1', 'k2'].map(
      (k) => readRes(f.res, `OQSsiquery01res_${k}.xml`).body.results[0]?.fields.Name,
    );
    expect(names).toEqual(['協会 太郎', '協会 花子', '梅田 梅子']);
    expect(existsSync(join(f.done, 'OQSsiquery01req_k2.xml'))).toBe(true);
  }, 60_000);
});
