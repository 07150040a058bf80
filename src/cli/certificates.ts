import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { ExOfficioRunResult } from '../contract/certificates.js';
import { ShikakuError } from '../domain/codes.js';
import { isIsoDate } from '../domain/dates.js';
import { assertInsurerNumber } from '../domain/insurer-number.js';
import { type Actor, systemActor } from '../services/actor.js';
import { runExOfficio, summarize } from '../services/issuance-run.js';
import { issueNotices } from '../services/notices.js';
import { openRuntime } from './runtime.js';

/** What each reason means, for the summary table (ja / en). */
export const REASON_LABELS: Readonly<Record<string, string>> = {
  no_card: 'カード未取得 / no card',
  not_registered: '利用登録なし / not registered',
  registration_cancelled: '利用登録解除 / registration cancelled',
  cert_expired: '電子証明書期限切れ / certificate expired',
  card_returned: 'カード返納 / card returned',
  usable_myna_card: 'マイナ保険証利用可 / usable card',
  valid_legacy_card: '有効な健康保険証 / valid legacy card',
  already_has_certificate: '交付済み / already has one',
  not_eligible: '資格なし / not covered',
  on_application_policy: '申請による交付 / on application (policy)',
};

/** The CLI acts as the association's admin from the console (audit actor `admin:cli`). */
function cliAdmin(insurerNumber: string): Actor {
  return systemActor('admin', { tokenId: 'cli', insurerNumber });
}

/** A progress bar on a terminal (started at the first report), nothing elsewhere. */
function progressBar(unit: string) {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { stream: process.stderr, format: `{bar} {value}/{total} ${unit} {eta_formatted}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  return {
    shown: bar !== null,
    update(done: number, total: number): void {
      if (!bar) return;
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    },
    stop(): void {
      bar?.stop();
    },
  };
}

function dateOption(value: string | undefined, option: string): string | undefined {
  if (value !== undefined && !isIsoDate(value)) throw new ShikakuError('VALIDATION_DATE', { option });
  return value;
}

/** The summary by outcome and reason, as aligned text lines. */
export function summaryTable(result: ExOfficioRunResult): string[] {
  const rows = summarize(result);
  const lines = [
    `${result.dryRun ? '職権交付（試行） / ex-officio dry run' : '職権交付 / ex-officio run'} ${result.insurerNumber} ` +
      `as of ${result.asOf}${result.runId ? ` (run ${result.runId}${result.resumed ? ', resumed' : ''})` : ''}`,
    '',
    `  ${'outcome'.padEnd(8)} ${'reason'.padEnd(24)} ${'count'.padStart(7)}  説明 / meaning`,
  ];
  for (const r of rows) {
    lines.push(
      `  ${(r.outcome === 'issued' ? '交付' : '対象外').padEnd(r.outcome === 'issued' ? 6 : 5)} ${r.reason.padEnd(24)} ` +
        `${String(r.count).padStart(7)}  ${REASON_LABELS[r.reason] ?? ''}`,
    );
  }
  lines.push('', `  合計 / total: 交付 issued ${result.issued.length}, 対象外 skipped ${result.skipped.length}`);
  return lines;
}

export function registerCertificates(program: Command): void {
  const certificates = program.command('certificates').description('資格確認書 / eligibility certificates');
  certificates
    .command('issue-ex-officio')
    .description('職権交付: decide for every member on a date and issue (idempotent, resumable)')
    .requiredOption('--insurer <insurerNumber>', '保険者番号')
    .requiredOption('--as-of <date>', 'the day to decide for and issue on (YYYY-MM-DD, from 2024-12-02)')
    .option('--dry-run', 'decide and report, write nothing')
    .option('--batch-size <n>', 'members per transaction', '500')
    .option('--json', 'print the whole answer as JSON instead of the summary')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(
      async (opts: {
        insurer: string;
        asOf: string;
        dryRun?: boolean;
        batchSize: string;
        json?: boolean;
        db?: string;
      }) => {
        const insurerNumber = assertInsurerNumber(opts.insurer);
        const asOf = dateOption(opts.asOf, '--as-of') as string;
        const batchSize = Number(opts.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1) {
          throw new ShikakuError('VALIDATION_FAILED', { option: '--batch-size' });
        }
        const ctx = await openRuntime(opts);
        const bar = progressBar('members');
        let result: ExOfficioRunResult;
        try {
          result = await runExOfficio(
            ctx,
            cliAdmin(insurerNumber),
            { insurerNumber, asOf, dryRun: opts.dryRun === true },
            {
              batchSize,
              onProgress: (p) => {
                bar.update(p.done, p.total);
                // Without a TTY (logs, CI): one line per batch.
                if (!bar.shown && !opts.json) {
                  console.error(`progress ${p.done}/${p.total} issued ${p.issued} skipped ${p.skipped}`);
                }
              },
            },
          );
        } finally {
          bar.stop();
          await ctx.store.close();
        }
        console.log(opts.json ? JSON.stringify(result, null, 2) : summaryTable(result).join('\n'));
      },
    );

  const notices = program.command('notices').description('資格情報のお知らせ / qualification notices');
  notices
    .command('issue')
    .description('お知らせ to every member without one, issued on a date (idempotent)')
    .requiredOption('--insurer <insurerNumber>', '保険者番号')
    .requiredOption('--as-of <date>', '交付日 (YYYY-MM-DD)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (opts: { insurer: string; asOf: string; db?: string }) => {
      const insurerNumber = assertInsurerNumber(opts.insurer);
      const asOf = dateOption(opts.asOf, '--as-of') as string;
      const ctx = await openRuntime(opts);
      const bar = progressBar('members');
      try {
        const result = await issueNotices(
          ctx,
          cliAdmin(insurerNumber),
          { insurerNumber, asOf },
          { onProgress: (done, total) => bar.update(done, total) },
        );
        bar.stop();
        const reasons = new Map<string, number>();
        for (const s of result.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
        console.log(
          `お知らせ ${insurerNumber} ${asOf}: 交付 issued ${result.issued.length}, 対象外 skipped ${result.skipped.length}` +
            (reasons.size ? ` (${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ')})` : ''),
        );
      } finally {
        bar.stop();
        await ctx.store.close();
      }
    });
}

export function registerPrint(program: Command): void {
  program
    .command('print')
    .description('bulk print for the print shop: one PDF per member, or one merged PDF / 一括印刷')
    .argument('<kind>', 'notices | certificates')
    .requiredOption('--insurer <insurerNumber>', '保険者番号')
    .requiredOption('--out <dir>', 'folder for the PDFs (created)')
    .option('--merged', 'one PDF with every document')
    .option('--as-of <date>', 'certificates usable / members covered on this day (default today)')
    .option('--issued-on <date>', 'only the documents issued on this day (e.g. the day of a run)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .option('--allow-local-portal-url', 'print お知らせ whose QR code points at this machine (tests, rehearsals)')
    .action(
      async (
        kind: string,
        opts: {
          insurer: string;
          out: string;
          merged?: boolean;
          asOf?: string;
          issuedOn?: string;
          db?: string;
          allowLocalPortalUrl?: boolean;
        },
      ) => {
        if (kind !== 'notices' && kind !== 'certificates') {
          throw new ShikakuError(
            'VALIDATION_FAILED',
            { argument: 'kind' },
            {
              ja: '印刷対象は notices か certificates です',
              en: 'kind must be notices or certificates',
            },
          );
        }
        const insurerNumber = assertInsurerNumber(opts.insurer);
        const asOf = dateOption(opts.asOf, '--as-of');
        const issuedOn = dateOption(opts.issuedOn, '--issued-on');
        // The PDF stack (pdfkit, fontkit) loads only for this command.
        const { printDocuments } = await import('../services/documents/print.js');
        const { portalUrl } = await import('../services/documents/printed.js');
        if (kind === 'notices' && !opts.allowLocalPortalUrl) refuseLocalPortalUrl(portalUrl());
        const ctx = await openRuntime(opts);
        const bar = progressBar('documents');
        try {
          const report = await printDocuments(ctx, cliAdmin(insurerNumber), {
            kind,
            insurerNumber,
            outDir: opts.out,
            merged: opts.merged === true,
            ...(asOf ? { asOf } : {}),
            ...(issuedOn ? { issuedOn } : {}),
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.stop();
          const rate = report.seconds > 0 ? report.documents / report.seconds : 0;
          console.log(
            `印刷 / printed ${report.documents} ${kind} → ${report.files.length} file(s) in ${opts.out} ` +
              `(${(report.bytes / 1024).toFixed(0)} KiB, ${report.seconds.toFixed(1)} s, ${rate.toFixed(1)} documents/s)`,
          );
        } finally {
          bar.stop();
          await ctx.store.close();
        }
      },
    );
}

/**
 * The QR code on a printed お知らせ sends the member to the portal: a URL of this machine (the default
 * when SHIKAKU_PORTAL_URL is unset) would reach nobody once the paper is in the post.
 */
export function refuseLocalPortalUrl(url: string): void {
  let host = '';
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    host = '';
  }
  const local =
    host === '' || host === 'localhost' || host.endsWith('.localhost') || /^(127\.|0\.0\.0\.0$)|^::1?$/.test(host);
  if (!local) return;
  throw new ShikakuError(
    'VALIDATION_FAILED',
    { env: 'SHIKAKU_PORTAL_URL', portalUrl: url },
    {
      ja: `お知らせのQRコードが加入者の開けないURL（${url}）になります。SHIKAKU_PORTAL_URL にポータルの公開URLを設定してください（試し刷りは --allow-local-portal-url）`,
      en: `the お知らせ QR code would point at ${url}, which no member can open: set SHIKAKU_PORTAL_URL to the portal's public URL (or pass --allow-local-portal-url for a rehearsal)`,
    },
  );
}
