import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../src/http/app.js';
import type { Keyring } from '../../src/security/keyring.js';
import { fixedClock } from '../../src/services/context.js';
import { type DemoResult, loadDemo } from '../../src/services/demo.js';
import { openStore } from '../../src/store/db.js';

export const BIN = fileURLToPath(new URL('../../bin/shikaku.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/shikaku.js …` as an operator would, with an environment of our choosing (no
 * DATABASE_URL or SHIKAKU_KEY leaks in from the test runner unless given).
 */
export function shikaku(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const base = { ...process.env };
  delete base.DATABASE_URL;
  delete base.SHIKAKU_KEY;
  delete base.SHIKAKU_KEY_FILE;
  delete base.SHIKAKU_DATA_DIR;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...base, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A SQLite store file holding the demo (every encrypted column filled), sealed with `keyring`. */
export async function demoStoreFile(file: string, keyring: Keyring): Promise<DemoResult> {
  const store = await openStore({ file });
  const ctx = { store, keyring, clock: fixedClock('2026-11-23T01:00:00Z') };
  const app = await buildApp({ ctx });
  try {
    return await loadDemo(app, ctx);
  } finally {
    await app.close();
    await store.close();
  }
}
