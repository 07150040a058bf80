/**
 * `shikaku serve` runs the OQS bulk worker (issue #15): a bulk request posted to a served process is
 * answered in the background, and the worker stops with the server.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyringFromSecret } from '../src/security/keyring.js';
import { fixedClock } from '../src/services/context.js';
import { openStore } from '../src/store/db.js';
import { readOqsAnswer } from './oqs/reader.js';
import { AS_OF, buildOqsWorld, infoOf, type OqsWorld, PROVIDER } from './oqs/world.js';
import { BIN } from './support/cli.js';

const KEY = '0b'.repeat(32);
const PORT = 18_202;
const BASE = `http://127.0.0.1:${PORT}`;

describe('shikaku serve runs the bulk worker', () => {
  const root = mkdtempSync(join(tmpdir(), 'oqs-serve-'));
  const db = join(root, 'shikaku.db');
  let w: OqsWorld;

  beforeAll(async () => {
    const store = await openStore({ file: db });
    const ctx = {
      store,
      keyring: keyringFromSecret(Buffer.from(KEY, 'hex')),
      clock: fixedClock('2026-11-30T09:00:00Z'),
    };
    w = await buildOqsWorld(ctx);
    await w.app.close();
    await store.close();
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('answers a posted bulk request without being asked, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', String(PORT), '--host', '127.0.0.1'], {
      env: { ...process.env, SHIKAKU_KEY: KEY, DATABASE_URL: '', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; ; i++) {
        const up = await fetch(`${BASE}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (up) break;
        if (i > 150) throw new Error('server did not start');
        await new Promise((r) => setTimeout(r, 200));
      }
      const auth = { authorization: `Bearer ${w.provider}` };
      const posted = await fetch(`${BASE}/oqs-api-pro/bulk`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          XmlMsg: {
            MessageHeader: { QualificationConfirmationDate: AS_OF, MedicalInstitutionCode: PROVIDER },
            MessageBody: {
              QualificationConfirmSearchInfo: [infoOf(w.people.taro, w.insurer), infoOf(w.people.hanako, w.insurer)],
            },
          },
        }),
      });
      const reception = readOqsAnswer(Buffer.from(await posted.arrayBuffer()), 'application/json').body.fields
        .ReceptionNumber as string;
      let segment = '2';
      let answer: ReturnType<typeof readOqsAnswer> | undefined;
      for (let i = 0; segment === '2' && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const got = await fetch(`${BASE}/oqs-api-pro/bulk/${reception}`, { headers: auth });
        answer = readOqsAnswer(Buffer.from(await got.arrayBuffer()), got.headers.get('content-type') ?? '');
        segment = answer.header.SegmentOfResult ?? '';
      }
      expect(segment).toBe('1');
      expect(answer?.units.map((u) => u.results[0]?.fields.Name)).toEqual(['協会 太郎', '協会 花子']);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
