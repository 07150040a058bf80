/**
 * `shikaku oqs exchange`: file exchange as the 連携アプリケーション does it (issue #15; docs/OQS.md
 * §Files). Request XML files dropped into `--req` are answered into `--res` under the request's name
 * with `req` turned into `res` (OQSsiquery01req_0001.xml → OQSsiquery01res_0001.xml), and the request is
 * moved aside into `--done` (default `<req>/done`). Against a server (`--server URL --token T`, the
 * provider's token) or, without --server, against the store itself (`--db`), acting as the provider
 * each file names.
 *
 * Crash safety: the answer is written to a dot-file in `--res`, flushed, then renamed to its name, and
 * only then is the request moved. Killed at any point, no request is lost (it is still in `--req` and
 * answered again) and no half answer carries a final name (dot-files left behind are removed on start).
 *
 * Test hook: SHIKAKU_TEST_OQS_EXCHANGE_KILL_AFTER=N makes the process SIGKILL itself after writing
 * the temporary answer of its N-th file, before the rename (test/oqs-exchange.test.ts).
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import { encodeMessage } from '../oqs/envelope.js';
import { partialHeaderOf } from '../oqs/request.js';
import { type Actor, systemActor } from '../services/actor.js';
import type { ServiceContext } from '../services/context.js';
import { oqsSearch, readInput } from '../services/oqs.js';
import { authenticate } from '../services/tokens.js';
import { openRuntime } from './runtime.js';

/** Turns request XML bytes into answer XML bytes; throws ExchangeStop when answering is impossible now. */
export type Answerer = (request: Buffer) => Promise<Buffer>;

/** The server or the configuration refuses every file (a bad token, the server down): stop, keep the files. */
export class ExchangeStop extends Error {}

/** The answer's file name: `req` → `res` (case kept), else `_res` before the extension. */
export function answerName(requestName: string): string {
  if (/req/.test(requestName)) return requestName.replace('req', 'res');
  if (/REQ/.test(requestName)) return requestName.replace('REQ', 'RES');
  const ext = extname(requestName);
  return `${basename(requestName, ext)}_res${ext || '.xml'}`;
}

const TMP_PREFIX = '.oqs-partial-';

/** Writes `bytes` to `dir/name` atomically: a flushed dot-file renamed into place. */
function writeAtomically(dir: string, name: string, bytes: Buffer, afterTmp?: () => void): Promise<void> {
  const tmp = join(dir, `${TMP_PREFIX}${process.pid}-${name}`);
  const fd = openSync(tmp, 'w', 0o640);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  afterTmp?.();
  return rename(tmp, join(dir, name)).then(() => {
    // The rename itself made durable before the request is moved away.
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  });
}

export interface ExchangeOptions {
  reqDir: string;
  resDir: string;
  doneDir?: string | undefined;
  answer: Answerer;
  /** Leave files younger than this alone: the clinic system may still be writing them. */
  settleMs?: number;
  log?: (line: string) => void;
}

let killCounter = 0;
function testKillHook(): (() => void) | undefined {
  const after = Number(process.env.SHIKAKU_TEST_OQS_EXCHANGE_KILL_AFTER ?? 0);
  if (!after) return undefined;
  return () => {
    killCounter++;
    if (killCounter >= after) process.kill(process.pid, 'SIGKILL');
  };
}

/** Removes the temporary answers of a run that was killed. */
export async function cleanPartials(resDir: string): Promise<void> {
  for (const name of await readdir(resDir))
    if (name.startsWith(TMP_PREFIX)) await rm(join(resDir, name), { force: true });
}

/** One pass over `reqDir`: every settled request file answered; the names processed. */
export async function exchangeOnce(options: ExchangeOptions): Promise<string[]> {
  const doneDir = options.doneDir ?? join(options.reqDir, 'done');
  await mkdir(options.resDir, { recursive: true });
  await mkdir(doneDir, { recursive: true });
  const settle = options.settleMs ?? 0;
  const names = (await readdir(options.reqDir)).filter((n) => !n.startsWith('.') && /\.xml$/i.test(n)).sort();
  const processed: string[] = [];
  const hook = testKillHook();
  for (const name of names) {
    const path = join(options.reqDir, name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || Date.now() - info.mtimeMs < settle) continue;
    const bytes = await readFile(path);
    const answer = await options.answer(bytes);
    await writeAtomically(options.resDir, answerName(name), answer, hook);
    await rename(path, join(doneDir, name));
    processed.push(name);
    options.log?.(`${name} → ${answerName(name)}`);
  }
  return processed;
}

/** Answers against the store itself, as the provider the file names (the CLI runs at the association). */
export function localAnswerer(ctx: ServiceContext, token: Actor | null): Answerer {
  return async (bytes) => {
    const actor =
      token ??
      systemActor('provider', {
        tokenId: 'oqs-exchange',
        providerCode: partialHeaderOf(readInput({ format: 'xml', body: bytes }).tree).institutionCode ?? '',
      });
    const reply = await oqsSearch(ctx, actor, { format: 'xml', body: bytes });
    return encodeMessage(reply.message, 'xml', reply.charset).bytes;
  };
}

/** Answers through a Shikaku server's OQS Web API with a provider's token. */
export function remoteAnswerer(server: string, token: string): Answerer {
  const url = new URL('/oqs-api-pro/MSA01030/ILI01030SV01/search', server).toString();
  return async (bytes) => {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml', accept: 'application/xml' },
        body: bytes,
      });
    } catch (error) {
      throw new ExchangeStop(`server unreachable: ${error instanceof Error ? error.message : error}`);
    }
    const type = response.headers.get('content-type') ?? '';
    // Any answer in the protocol is written, errors included; anything else stops the exchange.
    if (!/xml/i.test(type)) throw new ExchangeStop(`server answered ${response.status} ${type}`);
    return Buffer.from(await response.arrayBuffer());
  };
}

export function registerOqs(program: Command): void {
  const oqs = program.command('oqs').description('OQS-compatible interface (オンライン資格確認) / OQS互換');
  oqs
    .command('exchange')
    .description('answer request XML files from --req into --res, as the 連携アプリケーション / 要求ファイル連携')
    .requiredOption('--req <dir>', 'folder the clinic system writes request files into (req)')
    .requiredOption('--res <dir>', 'folder answers are written into (res)')
    .option('--done <dir>', 'where answered requests are moved (default <req>/done)')
    .option('--server <url>', 'a Shikaku server (else the store itself, --db)')
    .option('--token <token>', "the provider's bearer token (required with --server)")
    .option('--db <path|url>', 'SQLite file or postgres:// URL, without --server')
    .option('--interval <ms>', 'how often to look at --req', (v) => Number(v), 1000)
    .option('--once', 'answer what is there and exit')
    .action(async (opts) => {
      const log = (line: string) => console.log(line);
      let ctx: ServiceContext | null = null;
      let answer: Answerer;
      if (opts.server) {
        if (!opts.token) throw new Error('--server needs --token (a provider token)');
        answer = remoteAnswerer(opts.server, opts.token);
      } else {
        ctx = await openRuntime(opts);
        const actor = opts.token ? await authenticate(ctx, opts.token) : null;
        if (opts.token && actor?.role !== 'provider') throw new Error('--token is not a valid provider token');
        answer = localAnswerer(ctx, actor);
      }
      await mkdir(opts.res, { recursive: true });
      await cleanPartials(opts.res);
      let stop = false;
      const onSignal = () => {
        stop = true;
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        do {
          try {
            await exchangeOnce({
              reqDir: opts.req,
              resDir: opts.res,
              doneDir: opts.done,
              answer,
              settleMs: opts.once ? 0 : 500,
              log,
            });
          } catch (error) {
            if (!(error instanceof ExchangeStop)) throw error;
            console.error(`oqs exchange: ${error.message}; the requests stay in ${opts.req}`);
            if (opts.once) process.exitCode = 1;
          }
          if (!opts.once && !stop) await new Promise((resolve) => setTimeout(resolve, opts.interval));
        } while (!opts.once && !stop);
      } finally {
        await ctx?.store.close();
      }
    });
}
