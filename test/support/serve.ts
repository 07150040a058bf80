import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Store } from '../../src/store/db.js';
import { dropTestDatabase } from './stores.js';

/** Real `shikaku serve` processes for the scale tests (test/scale): start one, call it. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Serve {
  child: ChildProcess;
  url: string;
}

export async function serve(databaseUrl: string, keyHex: string): Promise<Serve> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/shikaku.js', 'serve', '--db', databaseUrl, '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, SHIKAKU_KEY: keyHex, SHIKAKU_RATE_LIMIT_VERIFY: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`shikaku serve exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url };
    } catch {
      // not yet listening
    }
    if (Date.now() > deadline) throw new Error(`shikaku serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function call(
  base: Serve,
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${base.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as Record<string, unknown>,
  };
}

/** Stops the processes started (SIGTERM) and waits for them to exit. */
export async function stop(serves: ReadonlyArray<Serve | undefined>): Promise<void> {
  for (const s of serves) s?.child.kill('SIGTERM');
  await Promise.all(
    serves.map((s) => (s && s.child.exitCode === null ? new Promise((r) => s.child.once('exit', r)) : null)),
  );
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux, where CI runs). */
export function cpuSecondsOf(s: Serve): number {
  const fields = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After the command: state is field 3, utime 14 and stime 15, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A scale test's teardown: its processes, then its own store, then its database. */
export async function tearDown(
  serves: ReadonlyArray<Serve | undefined>,
  store?: Store,
  database?: string,
): Promise<void> {
  await stop(serves);
  await store?.close();
  if (database) await dropTestDatabase(database);
}
