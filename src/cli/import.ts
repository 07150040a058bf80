import { readFileSync, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { ShikakuError } from '../domain/codes.js';
import { isIsoDate } from '../domain/dates.js';
import { assertInsurerNumber } from '../domain/insurer-number.js';
import { type CsvImportReport, errorColumns, formatRowError, importCsv } from '../services/csv-import.js';
import { openRuntime } from './runtime.js';

/** Exit code when some rows failed (the good rows are written; re-run after fixing the bad ones). */
export const EXIT_ROWS_FAILED = 3;

function csvCell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The failures as a CSV (line, code, columns, messages): no personal data, only what to fix where. */
export function errorReportCsv(report: CsvImportReport): string {
  const lines = ['line,code,columns,ja,en'];
  for (const row of report.rows) {
    if (row.ok) continue;
    const columns = errorColumns(report.header, row.error).join(' ');
    lines.push([row.line, row.error.code, columns, row.error.ja, row.error.en].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function summaryLine(report: CsvImportReport): string {
  return (
    `取込 ${report.total}行: 成功 ${report.accepted}（新規 ${report.written}、取込済 ${report.replayed}）、エラー ${report.rejected} / ` +
    `${report.total} rows: ${report.accepted} accepted (${report.written} written, ${report.replayed} already imported), ` +
    `${report.rejected} rejected`
  );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import notifications from a CSV file (UTF-8; columns in docs/IMPORT.md) / 届出CSVの取込')
    .argument('<file>', 'CSV file')
    .option('--insurer <insurerNumber>', '保険者番号 of the rows (else the 保険者番号 column)')
    .option('--recorded-on <date>', '届出日 for rows without one (default: today in Japan)')
    .option('--report <file>', 'write the failed rows (line, code, messages) to this CSV')
    .option('--db <path|url>', 'SQLite file or postgres:// URL')
    .action(async (file: string, opts: { insurer?: string; recordedOn?: string; report?: string; db?: string }) => {
      const insurerNumber = opts.insurer === undefined ? undefined : assertInsurerNumber(opts.insurer);
      if (opts.recordedOn !== undefined && !isIsoDate(opts.recordedOn)) {
        throw new ShikakuError('VALIDATION_DATE', { option: '--recorded-on' });
      }
      const bytes = readFileSync(file);
      const ctx = await openRuntime(opts);
      const bar = process.stderr.isTTY
        ? new cliProgress.SingleBar(
            { stream: process.stderr, format: '{bar} {value}/{total} rows', hideCursor: true },
            cliProgress.Presets.shades_classic,
          )
        : null;
      let report: CsvImportReport;
      try {
        report = await importCsv(ctx, bytes, {
          insurerNumber,
          recordedOn: opts.recordedOn,
          onProgress: (done, total) => {
            if (!bar) return;
            if (done === 1) bar.start(total, 0);
            bar.update(done);
          },
        });
      } finally {
        bar?.stop();
        await ctx.store.close();
      }
      for (const row of report.rows) {
        if (!row.ok) console.log(formatRowError(report.header, row.line, row.error));
      }
      if (opts.report !== undefined) writeFileSync(opts.report, errorReportCsv(report));
      console.log(summaryLine(report));
      process.exitCode = report.rejected > 0 ? EXIT_ROWS_FAILED : 0;
    });
}
