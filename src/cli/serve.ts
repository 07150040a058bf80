import type { Command } from 'commander';
import { ShikakuError } from '../domain/codes.js';
import { buildApp, LOGGER_OPTIONS } from '../http/app.js';
import { loadDemo } from '../services/demo.js';
import { startBulkWorker } from '../services/oqs-bulk.js';
import { openRuntime } from './runtime.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the API, FHIR, OpenAPI docs and web pages / サーバーを起動')
    .option('--port <port>', 'port (0–65535)', parsePort, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--db <path|url>', 'SQLite file (default ./data/shikaku.db) or postgres:// URL')
    .option('--demo', 'load the demo association and print ready tokens and requests')
    .action(async (opts) => {
      const ctx = await openRuntime(opts);
      // The demo goes through the API of a quiet in-process app, so its requests stay out of the log.
      const demo = opts.demo
        ? await buildApp({ ctx }).then(async (quiet) => {
            try {
              return await loadDemo(quiet, ctx);
            } finally {
              await quiet.close();
            }
          })
        : null;
      const app = await buildApp({ ctx, logger: LOGGER_OPTIONS });
      // OQS 一括照会 answers in the background; stopped (its batch in hand finished) with the app.
      const bulkWorker = startBulkWorker(ctx);
      app.addHook('onClose', async () => bulkWorker.stop());
      const close = async () => {
        await app.close();
        await ctx.store.close();
        process.exit(0);
      };
      process.once('SIGINT', close);
      process.once('SIGTERM', close);
      await app.listen({ port: opts.port, host: opts.host });
      const base = `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${opts.port}`;
      if (demo) console.log(demo.describe(base));
      console.log(`Shikaku is serving ${ctx.store.description} at ${base}  (API docs: ${base}/docs)`);
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d{1,5}$/.test(text.trim()) || port > 65_535) {
    throw new ShikakuError(
      'VALIDATION_FAILED',
      { option: '--port' },
      {
        ja: `--port は 0〜65535 の整数で指定してください（${text}）`,
        en: `--port takes a whole number from 0 to 65535, not "${text}"`,
      },
    );
  }
  return port;
}
