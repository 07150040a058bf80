/**
 * Soak test (issue #6 item 6; not part of `npm test`): a real `shikaku serve` on loopback with the demo
 * and a few thousand generated members, driven with mixed traffic — 90 % verifications (two thirds by
 * 記号・番号, one third by card: challenge, the card's signature with its PIN, the verification) and
 * 10 % registry writes (new acquisitions and remuneration changes) — first flat out to measure the
 * peak, then at a fixed rate (default: half the peak) for a given time. Reports errors (the goal is
 * none), p50/p99 latency per kind and the server's memory growth.
 *
 *   node bin/run-ts.js bench/soak.ts [--quick] [--rate OPS_PER_S] [--duration 10m] [--members 3000]
 *        [--cards 200] [--terminals 300] [--concurrency 24] [--peak-seconds 15] [--db FILE|postgres://…]
 *        [--json FILE]
 *
 * `--quick`: 1,000 members, 100 cards, a 5 s peak and a 30 s soak. Rates are operations per second
 * (a card verification is one operation of three requests). Traffic goes to 127.0.0.1 only. Each
 * reception terminal has its own token, as in a real deployment (the verification rate limit is per
 * token); ops are dealt to terminals in turn.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { residentSchema } from '../src/contract/residents.js';
import { myNumberCheckDigit } from '../src/domain/mynumber.js';
import { buildApp } from '../src/http/app.js';
import { keyringFromSecret } from '../src/security/keyring.js';
import { systemActor } from '../src/services/actor.js';
import { issueCard, registerCard } from '../src/services/cards.js';
import { type ServiceContext, systemClock } from '../src/services/context.js';
import { DEMO_INSURER, DEMO_PROVIDER, loadDemo } from '../src/services/demo.js';
import { parseNotification, submitNotification } from '../src/services/registry.js';
import { upsertResident } from '../src/services/residents.js';
import { createToken } from '../src/services/tokens.js';
import { openStore } from '../src/store/db.js';

// ---------------------------------------------------------------------------------------------- args

interface Options {
  quick: boolean;
  rate: number | null;
  durationS: number;
  members: number;
  cards: number;
  terminals: number;
  concurrency: number;
  peakSeconds: number;
  db: string | null;
  json: string | null;
}

function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text} (e.g. 30s, 10m)`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n / 1000 : match[2] === 'm' ? n * 60 : match[2] === 'h' ? n * 3600 : n;
}

function parseOptions(argv: string[]): Options {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(arg.slice(2), true);
    else {
      flags.set(arg.slice(2), next);
      i++;
    }
  }
  const quick = flags.get('quick') === true;
  const num = (name: string, fallback: number) => {
    const v = flags.get(name);
    return typeof v === 'string' ? Number(v) : fallback;
  };
  const duration = flags.get('duration');
  return {
    quick,
    rate: typeof flags.get('rate') === 'string' ? Number(flags.get('rate')) : null,
    durationS: typeof duration === 'string' ? parseDuration(duration) : quick ? 30 : 600,
    members: num('members', quick ? 1000 : 3000),
    cards: num('cards', quick ? 100 : 200),
    terminals: num('terminals', 300),
    concurrency: num('concurrency', 24),
    peakSeconds: num('peak-seconds', quick ? 5 : 15),
    db: typeof flags.get('db') === 'string' ? (flags.get('db') as string) : null,
    json: typeof flags.get('json') === 'string' ? (flags.get('json') as string) : null,
  };
}

// --------------------------------------------------------------------------------------------- setup

const PIN = '2468';
const SYMBOL = '8001';
const SETUP_DAY = '2025-04-01';

interface Fixture {
  dbArg: string;
  key: string;
  members: Array<{ symbol: string; number: string; birthDate: string }>;
  cards: string[];
  providers: string[];
  admins: string[];
  operator: string;
  nextSerial: number;
}

function myNumberOf(serial: number): string {
  const first11 = String(50_000_000_000 + serial);
  return `${first11}${myNumberCheckDigit(first11)}`;
}

function birthDateOf(i: number): string {
  const year = 1950 + (i % 55);
  const month = String((i % 12) + 1).padStart(2, '0');
  const day = String((i % 28) + 1).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

/** The demo, generated members (residents + acquisitions through the services), cards and tokens. */
async function prepare(options: Options, dir: string): Promise<Fixture> {
  const key = randomBytes(32).toString('hex');
  const dbArg = options.db ?? join(dir, 'soak.db');
  const store = await openStore(dbArg.startsWith('postgres') ? { databaseUrl: dbArg } : { file: dbArg });
  const ctx: ServiceContext = { store, keyring: keyringFromSecret(Buffer.from(key, 'hex')), clock: systemClock };
  try {
    const quiet = await buildApp({ ctx });
    await loadDemo(quiet, ctx);
    await quiet.close();
    const operator = systemActor('operator');
    const admin = systemActor('admin', { insurerNumber: DEMO_INSURER });
    const members: Fixture['members'] = [];
    const started = Date.now();
    for (let i = 1; i <= options.members; i++) {
      const person = {
        myNumber: myNumberOf(i),
        name: `負荷 太郎${i}`,
        nameKana: 'フカ タロウ',
        birthDate: birthDateOf(i),
        sex: i % 2 === 0 ? 'female' : 'male',
        address: '東京都千代田区霞が関1-2-2',
      } as const;
      await upsertResident(ctx, operator, residentSchema.parse(person));
      await submitNotification(
        ctx,
        admin,
        parseNotification({
          kind: 'acquisition',
          insurerNumber: DEMO_INSURER,
          recordedOn: SETUP_DAY,
          symbol: SYMBOL,
          number: String(i),
          acquiredOn: SETUP_DAY,
          standardMonthlyRemuneration: 300_000,
          person,
        }),
      );
      members.push({ symbol: SYMBOL, number: String(i), birthDate: person.birthDate });
      if (i % 500 === 0) process.stderr.write(`\r  members ${i}/${options.members}`);
    }
    process.stderr.write(`\r  members ${options.members} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    const cards: string[] = [];
    for (let i = 1; i <= Math.min(options.cards, options.members); i++) {
      const card = await issueCard(ctx, operator, { myNumber: myNumberOf(i), issuedOn: '2025-04-15', pin: PIN });
      await registerCard(ctx, operator, card.cardId, { recordedOn: '2025-05-01', channel: 'reader' });
      cards.push(card.cardId);
    }
    const providers: string[] = [];
    for (let i = 0; i < options.terminals; i++) {
      providers.push(
        (await createToken(ctx, { role: 'provider', providerCode: DEMO_PROVIDER, label: `soak ${i}` })).token,
      );
    }
    const admins: string[] = [];
    for (let i = 0; i < 8; i++) {
      admins.push((await createToken(ctx, { role: 'admin', insurerNumber: DEMO_INSURER, label: `soak ${i}` })).token);
    }
    const operatorToken = (await createToken(ctx, { role: 'operator', label: 'soak metrics' })).token;
    return { dbArg, key, members, cards, providers, admins, operator: operatorToken, nextSerial: options.members + 1 };
  } finally {
    await store.close();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const BIN = fileURLToPath(new URL('../bin/shikaku.js', import.meta.url));

async function startServer(fixture: Fixture, port: number, logFile: string): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, SHIKAKU_KEY: fixture.key, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', fixture.dbArg],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const chunks: string[] = [];
  child.stdout?.on('data', (d) => chunks.push(String(d)));
  child.stderr?.on('data', (d) => chunks.push(String(d)));
  child.on('exit', () => writeFileSync(logFile, chunks.join('')));
  for (let i = 0; i < 200; i++) {
    try {
      const res = await request(port, 'GET', '/healthz');
      if (res.status === 200) {
        // Keep the log in memory only as long as needed: flush what we have and keep appending.
        return child;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`the server exited: ${chunks.join('')}`);
    await sleep(100);
  }
  throw new Error('the server did not answer /healthz in 20 s');
}

// ------------------------------------------------------------------------------------------- traffic

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

interface Answer {
  status: number;
  body: string;
}

function request(port: number, method: string, path: string, token?: string, payload?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = payload === undefined ? undefined : JSON.stringify(payload);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    if (body) req.write(body);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

type Kind = 'verify_number' | 'verify_card' | 'write_acquisition' | 'write_change';

class Recorder {
  readonly latencies = new Map<Kind, number[]>();
  readonly errors = new Map<string, number>();
  ops = 0;
  requests = 0;

  record(kind: Kind, ms: number): void {
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
    this.ops++;
  }

  error(what: string): void {
    this.errors.set(what, (this.errors.get(what) ?? 0) + 1);
  }

  get errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

class Traffic {
  private turn = 0;
  private changeCursor = 0;
  constructor(
    private readonly port: number,
    private readonly fixture: Fixture,
    readonly recorder: Recorder,
  ) {}

  /** One operation of the mix; resolves when it is answered (errors are recorded, never thrown). */
  async op(scheduledAt = performance.now()): Promise<void> {
    const roll = Math.random();
    const kind: Kind =
      roll < 0.6 ? 'verify_number' : roll < 0.9 ? 'verify_card' : roll < 0.97 ? 'write_acquisition' : 'write_change';
    const terminal = this.fixture.providers[this.turn++ % this.fixture.providers.length] ?? '';
    try {
      const ok = await this.run(kind, terminal);
      if (ok) this.recorder.record(kind, performance.now() - scheduledAt);
    } catch (error) {
      this.recorder.error(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async call(
    kind: Kind,
    method: string,
    path: string,
    token: string,
    payload: unknown,
    expect: number,
  ): Promise<Answer | null> {
    this.recorder.requests++;
    const answer = await request(this.port, method, path, token, payload);
    if (answer.status !== expect) {
      const code = /"code":"([A-Z_]+)"/.exec(answer.body)?.[1] ?? '';
      this.recorder.error(`${kind}: ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${answer.status} ${code}`);
      return null;
    }
    return answer;
  }

  private async run(kind: Kind, terminal: string): Promise<boolean> {
    const { fixture } = this;
    const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;
    switch (kind) {
      case 'verify_number': {
        const m = pick(fixture.members);
        const body = { method: 'number', document: 'certificate', insurerNumber: DEMO_INSURER, ...m };
        return (await this.call(kind, 'POST', '/api/v1/verifications', terminal, body, 200)) !== null;
      }
      case 'verify_card': {
        const challenge = await this.call(kind, 'GET', '/api/v1/verifications/challenge', terminal, undefined, 200);
        if (!challenge) return false;
        const c = (JSON.parse(challenge.body) as { challenge: string }).challenge;
        const cardId = pick(fixture.cards);
        const signed = await this.call(
          kind,
          'POST',
          `/api/v1/cards/${cardId}:sign`,
          terminal,
          { challenge: c, pin: PIN },
          200,
        );
        if (!signed) return false;
        const { certificate, signature } = JSON.parse(signed.body) as { certificate: string; signature: string };
        const body = { method: 'card', card: { certificate, challenge: c, signature }, identityCheck: 'pin' };
        return (await this.call(kind, 'POST', '/api/v1/verifications', terminal, body, 200)) !== null;
      }
      case 'write_acquisition': {
        const serial = fixture.nextSerial++;
        const body = {
          kind: 'acquisition',
          insurerNumber: DEMO_INSURER,
          symbol: '8002',
          acquiredOn: '2026-04-01',
          standardMonthlyRemuneration: 280_000,
          person: {
            myNumber: myNumberOf(serial),
            name: `新規 花子${serial}`,
            nameKana: 'シンキ ハナコ',
            birthDate: birthDateOf(serial),
            sex: 'female',
            address: '東京都港区芝公園4-2-8',
          },
        };
        return (await this.call(kind, 'POST', '/api/v1/notifications', pick(fixture.admins), body, 201)) !== null;
      }
      case 'write_change': {
        const m = fixture.members[this.changeCursor++ % fixture.members.length];
        if (!m) return false;
        const body = {
          kind: 'change',
          insurerNumber: DEMO_INSURER,
          symbol: m.symbol,
          number: m.number,
          standardMonthlyRemuneration: 200_000 + (this.changeCursor % 50) * 10_000,
        };
        return (await this.call(kind, 'POST', '/api/v1/notifications', pick(fixture.admins), body, 201)) !== null;
      }
    }
  }
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/**
 * The server's JS heap in use (its own /metrics, role operator): with the RSS it tells a leak in our
 * code (the heap keeps growing) from SQLite's page cache and memory map filling up (RSS alone grows).
 */
async function heapUsedOf(port: number, operatorToken: string): Promise<number | null> {
  const answer = await request(port, 'GET', '/metrics', operatorToken).catch(() => null);
  const value =
    answer?.status === 200 ? /^shikaku_nodejs_heap_size_used_bytes (\S+)$/m.exec(answer.body)?.[1] : undefined;
  return value === undefined ? null : Number(value);
}

type Sample = { t: number; bytes: number };

/** MiB per minute between the first and last samples of the second half (warm-up excluded). */
function secondHalfSlope(samples: readonly Sample[], elapsed: number): number {
  const half = samples.filter((r) => r.t >= elapsed / 2);
  const first = half[0];
  const last = half.at(-1);
  if (!first || !last || half.length < 2) return 0;
  return (last.bytes - first.bytes) / 2 ** 20 / ((last.t - first.t) / 60 || 1);
}

function mibFigures(samples: readonly Sample[], elapsed: number) {
  const first = samples[0]?.bytes ?? 0;
  const last = samples.at(-1)?.bytes ?? 0;
  return {
    start: round(first / 2 ** 20),
    end: round(last / 2 ** 20),
    growth: round((last - first) / 2 ** 20),
    secondHalfMiBPerMinute: round(secondHalfSlope(samples, elapsed)),
  };
}

/** Closed loop: `concurrency` workers flat out for `seconds`; answers operations per second. */
async function measurePeak(traffic: Traffic, concurrency: number, seconds: number): Promise<number> {
  const { recorder } = traffic;
  const before = recorder.ops;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) await traffic.op();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (recorder.ops - before) / ((performance.now() - started) / 1000);
}

/** Open loop: operations start on schedule whether or not earlier ones were answered. */
async function soak(
  traffic: Traffic,
  rate: number,
  seconds: number,
  onTick: (elapsedS: number) => void,
): Promise<{ overload: number }> {
  const interval = 1000 / rate;
  const start = performance.now();
  const inflight = new Set<Promise<void>>();
  let overload = 0;
  let lastTick = 0;
  for (let i = 0; ; i++) {
    const at = start + i * interval;
    if (at - start >= seconds * 1000) break;
    const wait = at - performance.now();
    if (wait > 1) await sleep(wait);
    if (inflight.size >= 2000) {
      overload++;
      continue;
    }
    const p = traffic.op(at).finally(() => inflight.delete(p));
    inflight.add(p);
    const elapsed = (performance.now() - start) / 1000;
    if (elapsed - lastTick >= 5) {
      lastTick = elapsed;
      onTick(elapsed);
    }
  }
  await Promise.all(inflight);
  return { overload };
}

// ---------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'shikaku-soak-'));
  let server: ChildProcess | null = null;
  try {
    console.error(
      `== setup: demo + ${options.members} members, ${options.cards} cards, ${options.terminals} terminals`,
    );
    const fixture = await prepare(options, dir);
    const port = await freePort();
    server = await startServer(fixture, port, join(dir, 'server.log'));
    const pid = server.pid ?? 0;

    const warm = new Recorder();
    const warmTraffic = new Traffic(port, fixture, warm);
    console.error(`== peak: ${options.concurrency} concurrent operations for ${options.peakSeconds} s`);
    await measurePeak(warmTraffic, options.concurrency, Math.min(2, options.peakSeconds)); // warm-up (JIT, caches)
    const peak = await measurePeak(warmTraffic, options.concurrency, options.peakSeconds);
    const rate = options.rate ?? Math.max(1, Math.floor(peak / 2));
    console.error(
      `   peak ${peak.toFixed(0)} ops/s (${warm.errorCount} errors); soaking at ${rate} ops/s for ${options.durationS} s`,
    );

    const recorder = new Recorder();
    const traffic = new Traffic(port, fixture, recorder);
    const rss: Sample[] = [{ t: 0, bytes: rssOf(pid) }];
    const heap: Sample[] = [];
    const sampleHeap = async (t: number) => {
      const bytes = await heapUsedOf(port, fixture.operator);
      if (bytes !== null) heap.push({ t, bytes });
    };
    await sampleHeap(0);
    const started = performance.now();
    const { overload } = await soak(traffic, rate, options.durationS, (t) => {
      rss.push({ t, bytes: rssOf(pid) });
      void sampleHeap(t);
      console.error(
        `   ${t.toFixed(0).padStart(4)} s  ops ${recorder.ops}  errors ${recorder.errorCount}  rss ${(rssOf(pid) / 2 ** 20).toFixed(0)} MiB`,
      );
    });
    const elapsed = (performance.now() - started) / 1000;
    rss.push({ t: elapsed, bytes: rssOf(pid) });
    await sampleHeap(elapsed);
    heap.sort((a, b) => a.t - b.t);

    const all = [...recorder.latencies.values()].flat().sort((a, b) => a - b);
    const kinds = Object.fromEntries(
      [...recorder.latencies.entries()].map(([kind, list]) => {
        const sorted = [...list].sort((a, b) => a - b);
        return [
          kind,
          { ops: sorted.length, p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) },
        ];
      }),
    );
    const report = {
      setup: {
        members: options.members,
        cards: options.cards,
        terminals: options.terminals,
        store: fixture.dbArg.startsWith('postgres') ? 'postgres' : 'sqlite',
      },
      peakOpsPerSecond: round(peak),
      rateOpsPerSecond: rate,
      durationSeconds: round(elapsed),
      operations: recorder.ops,
      requests: recorder.requests,
      achievedOpsPerSecond: round(recorder.ops / elapsed),
      errors: recorder.errorCount,
      errorsByKind: Object.fromEntries(recorder.errors),
      overload,
      latency: { p50Ms: round(percentile(all, 50)), p99Ms: round(percentile(all, 99)), byKind: kinds },
      rssMiB: mibFigures(rss, elapsed),
      heapUsedMiB: mibFigures(heap, elapsed),
    };
    console.log(JSON.stringify(report, null, 2));
    if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.errors > 0 || overload > 0 ? 1 : 0;
  } finally {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    agent.destroy();
    if (process.exitCode) console.error(`   server log and store kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

await main();
