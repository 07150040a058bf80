/**
 * Processes and load for the HTTP bench: start a server (the real `shikaku serve` or the hello-world
 * baseline), wait for it, drive it with wrk (one thread, so the request bodies of bench/wrk.lua are
 * sent once each), and read its memory from /proc.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

export interface Server {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok || response.status === 404) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server at ${url} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startServer(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  port: number,
  healthPath: string,
): Promise<Server> {
  // A server left on the port (another bench, a crashed run) would answer for ours: refuse to measure it.
  const taken = await fetch(`http://127.0.0.1:${port}${healthPath}`).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`port ${port} is already in use: stop what listens there first`);
  let stderr = '';
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitFor(`http://127.0.0.1:${port}${healthPath}`, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** The shikaku server on `db` (SQLite file or postgres URL), with the bench key, no rate limit, quiet logs. */
export function startShikaku(
  db: string,
  port: number,
  keyHex: string,
  extraEnv: NodeJS.ProcessEnv = {},
  nodeArgs: readonly string[] = [],
): Promise<Server> {
  return startServer(
    [...nodeArgs, 'bin/shikaku.js', 'serve', '--db', db, '--port', String(port), '--host', '127.0.0.1'],
    {
      ...process.env,
      SHIKAKU_KEY: keyHex,
      SHIKAKU_RATE_LIMIT_VERIFY: '0',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    port,
    '/healthz',
  );
}

export function startHello(port: number): Promise<Server> {
  return startServer([`${BENCH_DIR}hello.mjs`, String(port)], { ...process.env }, port, '/');
}

export interface WrkResult {
  requests: number;
  duration_us: number;
  bodies: number;
  status_errors: number;
  socket_errors: number;
  p50_us: number;
  p90_us: number;
  p99_us: number;
  max_us: number;
  mean_us: number;
  /** requests / second. */
  rate: number;
}

/** wrk -t1 against `url` for `seconds`, with bench/wrk.lua; bodies/token through the environment. */
export function wrk(
  url: string,
  options: { seconds: number; connections: number; bodies?: string; path?: string; token?: string },
): Promise<WrkResult> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.bodies) env.BENCH_BODIES = options.bodies;
  if (options.path) env.BENCH_PATH = options.path;
  if (options.token) env.BENCH_TOKEN = options.token;
  return new Promise((resolve, reject) => {
    execFile(
      'wrk',
      [
        '-t1',
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        '--timeout',
        '10s',
        '-s',
        `${BENCH_DIR}wrk.lua`,
        url,
      ],
      { env, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`wrk failed: ${error.message}\n${stderr}`));
        const line = stdout
          .split('\n')
          .reverse()
          .find((l) => l.startsWith('{'));
        if (!line) return reject(new Error(`wrk printed no result:\n${stdout}\n${stderr}`));
        const parsed = JSON.parse(line) as Omit<WrkResult, 'rate'>;
        resolve({ ...parsed, rate: parsed.requests / (parsed.duration_us / 1e6) });
      },
    );
  });
}

/** Resident set of a process, MiB: now and the peak (VmHWM). */
export function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
  return { rssMiB: kb('VmRSS') / 1024, peakMiB: kb('VmHWM') / 1024 };
}

export function wrkAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('wrk', ['--version'], (error) => resolve(!error || error.code === 1)));
}
