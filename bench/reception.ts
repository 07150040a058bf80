/**
 * A reception desk during an import (issue #20, target `receptionP99DuringImportRatio`): number
 * verifications at 8 connections against the server, idle and then while an employer uploads a CSV
 * of notifications to the same server and store (`POST /api/v1/notifications:import`, in files of
 * 10,000 rows, the upload limit's size, each answered with a job polled to its end). The figure is
 * the p99 during the import over the idle p99.
 * The CSV's 記号 and My Numbers are clear of the store's, and its people's resident records are
 * loaded first (untimed), so its rows are accepted as in the import part.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Keyring } from '../src/security/keyring.js';
import type { Store } from '../src/store/db.js';
import { MAIN_INSURER } from './generate.js';
import { type WrkResult, wrk } from './http.js';
import { importCsvText, loadResidents } from './import.js';

const ROWS_PER_UPLOAD = 10_000;

export interface ReceptionFigures {
  idle: WrkResult;
  during: WrkResult;
  rows: number;
  accepted: number;
  importSeconds: number;
  /** How long each load run lasted, s. */
  windowSeconds: number;
}

/**
 * The accepted rows of one upload: a file of more than 1,000 rows is answered 202 with a job
 * (issue #19 §1), polled to its end like the console screen does, so the upload counts until its
 * rows are recorded.
 */
async function uploadAccepted(url: string, token: string, response: Response): Promise<number> {
  let answer = (await response.json()) as { accepted: number; status?: string };
  const location = response.headers.get('location');
  while (response.status === 202 && location && answer.status !== 'done') {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const polled = await fetch(`${url}${location}`, { headers: { authorization: `Bearer ${token}` } });
    if (!polled.ok) throw new Error(`upload job answered ${polled.status}: ${await polled.text()}`);
    answer = (await polled.json()) as typeof answer;
  }
  return answer.accepted;
}

export async function receptionDuringImport(options: {
  url: string;
  store: Store;
  databaseUrl: string | undefined;
  keyring: Keyring;
  seed: string;
  rows: number;
  /** Number requests (a bench/workload.ts list written as JSON lines). */
  bodies: string;
  providerToken: string;
  adminToken: string;
  /** The import's rows/s measured in the import part: sets the loaded window to the import's length. */
  expectedRowsPerSecond: number;
}): Promise<ReceptionFigures> {
  // Clear of every 記号 and My Number in the store, this run's earlier uploads included (--reuse).
  const {
    rows: [free],
  } = await sql<{ symbol: number | string | null; people: number | string }>`select
      (select max(cast(symbol as integer)) from members where insurer_number = ${MAIN_INSURER}) as symbol,
      (select count(*) from residents) as people`.execute(options.store.db);
  const { csv, residents } = importCsvText(
    options.rows,
    `${options.seed}:reception`,
    Math.max(9001, Number(free?.symbol ?? 0) + 1),
    Number(free?.people ?? 0),
  );
  await loadResidents(options.store, options.databaseUrl, options.keyring, residents);
  const [header, ...lines] = csv.trimEnd().split('\n');
  const window = Math.max(2, Math.floor((0.8 * options.rows) / options.expectedRowsPerSecond));
  const load = { connections: 8, bodies: options.bodies, path: '/api/v1/verifications', token: options.providerToken };
  const idle = await wrk(options.url, { ...load, seconds: window });
  const started = performance.now();
  const upload = (async () => {
    let accepted = 0;
    for (let i = 0; i < lines.length; i += ROWS_PER_UPLOAD) {
      const response = await fetch(`${options.url}/api/v1/notifications:import`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${options.adminToken}` },
        body: `${[header, ...lines.slice(i, i + ROWS_PER_UPLOAD)].join('\n')}\n`,
      });
      if (!response.ok) throw new Error(`import upload answered ${response.status}: ${await response.text()}`);
      accepted += await uploadAccepted(options.url, options.adminToken, response);
    }
    return accepted;
  })();
  // Settled here, awaited after the load run: a failed upload must not go unhandled meanwhile.
  const uploaded = upload.then(
    (accepted) => ({ accepted }),
    (error: unknown) => ({ error }),
  );
  const during = await wrk(options.url, { ...load, seconds: window });
  const outcome = await uploaded;
  if ('error' in outcome) throw outcome.error;
  const { accepted } = outcome;
  return {
    idle,
    during,
    rows: lines.length,
    accepted,
    importSeconds: (performance.now() - started) / 1000,
    windowSeconds: window,
  };
}
