/**
 * Scale-out (issue #20, docs/SCALING.md §1): a second `shikaku serve` on the same PostgreSQL answers
 * more verifications per second than one alone. A Node process runs its JavaScript on one core, and
 * a number verification is mostly JavaScript (routing, validation, the rules, JSON) around a few
 * short queries; so one process saturates its core well before PostgreSQL does, and a second
 * process brings a second core. The load is the OQS 一括照会 form (POST /api/v1/verifications:batch,
 * the association's 40 members a request): a client's HTTP costs about as much as a server's single
 * verification, so with single requests on two cores the client, not the server, would be measured.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMyNumber } from '../../src/cards/testing.js';
import { insurerNumberCheckDigit } from '../../src/domain/insurer-number.js';
import { keyringFromSecret } from '../../src/security/keyring.js';
import { systemActor } from '../../src/services/actor.js';
import { type ServiceContext, systemClock, today } from '../../src/services/context.js';
import { createInsurer } from '../../src/services/insurers.js';
import { parseNotification, submitNotification } from '../../src/services/registry.js';
import { createToken } from '../../src/services/tokens.js';
import { openStore } from '../../src/store/db.js';
import { cpuSecondsOf, type Serve, serve, tearDown } from '../support/serve.js';
import { createTestDatabase } from '../support/stores.js';

const BASE_URL = process.env.SHIKAKU_TEST_DATABASE_URL;
const KEY_HEX = randomBytes(32).toString('hex');
/**
 * Eight associations: a verification appends to its association's audit chain under that chain's
 * head-row lock (docs/SCALING.md §1), so one association is served one chain append at a time
 * whatever the number of processes. The load of a hub spans many associations.
 */
const INSURERS = Array.from({ length: 8 }, (_, i) => {
  const first7 = `061399${i}`;
  return `${first7}${insurerNumberCheckDigit(first7)}`;
});
const PROVIDER = '1311234566';
const MEMBERS_PER_INSURER = 5;
/** Batch requests per measurement window, and how many are in flight at once (split across processes). */
const REQUESTS = 60;
const CONCURRENCY = 4;
/** Windows of each kind, alternated (one, two, one, two …) so a burst of load on the machine hits both. */
const ROUNDS = 3;
const CLIENTS = 2;
/**
 * The machine's cores left idle while one process serves, below which a second process has nothing to
 * run on (see the test).
 */
const HEADROOM = 0.5;
const WORKER = new URL('../support/load-worker.mjs', import.meta.url);

describe.skipIf(!BASE_URL)('throughput of one and two shikaku serve processes on one PostgreSQL', () => {
  let name: string | undefined;
  let ctx: ServiceContext;
  let a: Serve | undefined;
  let b: Serve | undefined;
  let provider: string;

  beforeAll(async () => {
    let databaseUrl: string;
    ({ url: databaseUrl, name } = await createTestDatabase('shikaku_throughput'));
    ctx = {
      store: await openStore({ databaseUrl }),
      keyring: keyringFromSecret(Buffer.from(KEY_HEX, 'hex')),
      clock: systemClock,
    };
    let person = 0;
    for (const insurerNumber of INSURERS) {
      await createInsurer(ctx, systemActor('operator'), {
        insurerNumber,
        name: '負荷試験健康保険組合',
        certificatePolicy: { validYears: 5 },
        reissueFeeYen: 500,
        newMemberCertificate: 'on_application',
      });
      const admin = systemActor('admin', { insurerNumber });
      for (let i = 1; i <= MEMBERS_PER_INSURER; i++) {
        await submitNotification(
          ctx,
          admin,
          parseNotification({
            kind: 'acquisition',
            insurerNumber,
            recordedOn: '2024-04-01',
            symbol: '100',
            number: String(i),
            acquiredOn: '2024-04-01',
            standardMonthlyRemuneration: 300_000,
            person: {
              myNumber: testMyNumber(9200 + ++person),
              name: '負荷 太郎',
              nameKana: 'フカ タロウ',
              birthDate: '1980-05-05',
              sex: 'male',
              address: '東京都千代田区霞が関1-2-2',
            },
          }),
        );
      }
    }
    provider = (await createToken(ctx, { role: 'provider', providerCode: PROVIDER })).token;
    [a, b] = await Promise.all([serve(databaseUrl, KEY_HEX), serve(databaseUrl, KEY_HEX)]);
  }, 180_000);

  afterAll(async () => {
    await tearDown([a, b], ctx?.store, name);
  }, 60_000);

  /**
   * REQUESTS batches of number verifications, CONCURRENCY in flight, spread over `targets`: checks answered per second,
   * and the cores the first target used meanwhile.
   * Sent from CLIENTS worker threads in every window, so the client's own core is never what a
   * single-process window measures.
   */
  async function window(targets: Serve[]): Promise<{ rate: number; cores: number; idle: number }> {
    const asOf = today(ctx);
    // Every member once a request, member-major: consecutive checks are of different associations.
    const items = Array.from({ length: MEMBERS_PER_INSURER * INSURERS.length }, (_, i) => ({
      ref: String(i),
      method: 'number',
      asOf,
      document: 'certificate',
      insurerNumber: INSURERS[i % INSURERS.length],
      symbol: '100',
      number: String(Math.floor(i / INSURERS.length) + 1),
      branch: '00',
      birthDate: '1980-05-05',
    }));
    const bodies = [JSON.stringify({ items })];
    const urls = targets.map((t) => `${t.url}/api/v1/verifications:batch`);
    const cpuBefore = cpuSecondsOf(targets[0] as Serve);
    const idleBefore = idleSeconds();
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, () => {
        const worker = new Worker(WORKER, {
          workerData: {
            urls,
            token: provider,
            bodies,
            requests: REQUESTS / CLIENTS,
            concurrency: CONCURRENCY / CLIENTS,
          },
        });
        return new Promise<{ failed: number }>((resolve, reject) => {
          worker.once('message', resolve);
          worker.once('error', reject);
        });
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    expect(results.map((r) => r.failed)).toEqual(results.map(() => 0));
    return {
      rate: (REQUESTS * items.length) / seconds,
      cores: (cpuSecondsOf(targets[0] as Serve) - cpuBefore) / seconds,
      idle: (idleSeconds() - idleBefore) / seconds,
    };
  }

  it('answers more verifications per second with a second process', async ({ skip }) => {
    if (!a || !b) throw new Error('not started');
    // Warm both (JIT, prepared statements, pools) before anything is timed.
    await window([a]);
    await window([b]);
    await window([a, b]);
    const one: Array<{ rate: number; cores: number; idle: number }> = [];
    const two: Array<{ rate: number; cores: number; idle: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      one.push(await window([a]));
      two.push(await window([a, b]));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? 0;
    const ratio = median(two.map((w) => w.rate)) / median(one.map((w) => w.rate));
    const busy = median(one.map((w) => w.cores));
    const idle = median(one.map((w) => w.idle));
    const figures =
      `one process ${one.map((w) => Math.round(w.rate)).join(', ')} checks/s (it used ${busy.toFixed(2)} core, ` +
      `the machine left ${idle.toFixed(2)} core idle); two ${two.map((w) => Math.round(w.rate)).join(', ')} checks/s; ` +
      `ratio ${ratio.toFixed(2)}`;
    console.log(figures);
    // A second process can only add the cores that one process leaves idle. On two cores shared with
    // PostgreSQL and this test's client, one process already keeps the machine nearly busy (about 1.7
    // of 2 cores measured here, 2026-12-04), so there is nothing for a second one to run on; the figures
    // are printed, and the claim is tested where a core is free (a larger machine, or the database
    // and the client elsewhere).
    if (idle < HEADROOM) skip(`no idle core for a second process: ${figures}`);
    // Ideal is 2× on two idle cores. CI shares its two cores with PostgreSQL and with this test's own
    // client; 1.15× still separates "the second process adds a core" from "it only queues behind the
    // first" (≈1.0×, e.g. on a shared lock) with room for that noise.
    expect(ratio).toBeGreaterThanOrEqual(1.15);
  }, 180_000);
});

/** Seconds every core of this machine has spent idle so far. */
function idleSeconds(): number {
  return cpus().reduce((sum, cpu) => sum + cpu.times.idle, 0) / 1000;
}
