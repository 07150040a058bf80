import { useId, useState } from 'preact/hooks';
import type { NotificationResult, UploadJob, UploadReport } from './answers.js';
import { call, saveBlob } from './api.js';
import { HubStatusPill } from './components/hub-status-pill.js';
import { symbolNumberText } from './components/symbol-number.js';
import { Table } from './components/table.js';
import { useSubmission } from './components/use-submission.js';
import { fieldText, messages, pick, t } from './i18n.js';
import { ErrorBox } from './ui.js';

const M = messages({
  title: ['届出CSVの取込', 'Upload a CSV of notifications'],
  file: ['CSVファイル（UTF-8）', 'CSV file (UTF-8)'],
  hint: [
    '列は docs/IMPORT.md のとおりです（種別・記号・番号・氏名…）。1行ずつ処理し、誤りのある行は取り込みません。',
    'Columns as in docs/IMPORT.md (kind, symbol, number, name…). Each row is processed alone; a row with an error is not imported.',
  ],
  upload: ['取り込む', 'Upload'],
  uploading: ['取り込み中…', 'Uploading…'],
  progress: ['取り込み中: {processed} / {total} 行', 'Importing: {processed} / {total} rows'],
  summary: [
    '{total}行中 成功 {accepted}行（新規 {written}、取込済 {replayed}）・エラー {rejected}行',
    '{total} rows: {accepted} accepted ({written} new, {replayed} already imported), {rejected} rejected',
  ],
  errorsTitle: ['エラーのある行', 'Rows with errors'],
  line: ['行', 'Line'],
  code: ['コード', 'Code'],
  columns: ['列', 'Columns'],
  message: ['内容', 'What is wrong'],
  downloadReport: ['エラーレポートをダウンロード（CSV）', 'Download the error report (CSV)'],
  acceptedTitle: ['取り込んだ行', 'Imported rows'],
  numbers: ['記号・番号・枝番', 'Symbol · number · branch'],
  hub: ['中間サーバー登録', 'Hub registration'],
  availableOn: ['照会可能日', 'Queryable from'],
  replayed: ['取込済', 'already imported'],
  mismatchFields: ['住民票と異なる項目: {fields}', 'Differs from the resident record: {fields}'],
  nearMatch: [
    '{field} {n}文字目: 届出「{given}」/ 住民票「{recorded}」',
    '{field} character {n}: given “{given}” / recorded “{recorded}”',
  ],
});

/** The error report as `shikaku import --report` writes it: line,code,columns,ja,en, UTF-8 with BOM. */
export function errorReportCsv(report: UploadReport): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = ['line,code,columns,ja,en'];
  for (const row of report.rows) {
    if (row.ok) continue;
    lines.push([row.line, row.error.code, row.columns.join(' '), row.error.ja, row.error.en].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The hub status of one registration with what to do about it (mismatch fields, near-match hints). */
export function HubResult({ result }: { result: NotificationResult }) {
  return (
    <>
      <HubStatusPill status={result.hubStatus} />
      {result.mismatch && (
        <ul class="plain small">
          <li>{t(M.mismatchFields, { fields: result.mismatch.fields.map(fieldText).join('・') })}</li>
          {result.mismatch.nearMatch.map((n) => (
            <li key={`${n.field}-${n.index}`}>
              {t(M.nearMatch, { field: fieldText(n.field), n: n.index + 1, given: n.given, recorded: n.recorded })}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** How often a long upload's job is polled. */
const POLL_MS = 1000;

/**
 * Choose a CSV file, upload it as text/csv, show the per-row report and offer the error report. A long
 * file is answered with a job: it is polled until done, showing its progress, then its report.
 */
export function CsvUpload(props: { token: string; onDone?: (report: UploadReport) => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const { busy, error, result: report, run } = useSubmission<UploadReport>();
  const [progress, setProgress] = useState<UploadJob | null>(null);

  const finished = async (answer: UploadReport | UploadJob): Promise<UploadReport> => {
    let job = answer;
    while ('jobId' in job) {
      setProgress(job);
      if (job.report) return job.report;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await call('GET /api/v1/notifications/jobs/{jobId}', { token: props.token, params: { jobId: job.jobId } });
    }
    return job;
  };

  const upload = async () => {
    if (!file) return;
    await run(
      async () => {
        try {
          // The bytes go as they are: the server refuses a file that is not UTF-8 instead of guessing.
          const answer = await call('POST /api/v1/notifications:import', {
            token: props.token,
            text: { body: file, type: 'text/csv' },
          });
          return await finished(answer);
        } finally {
          setProgress(null);
        }
      },
      (answer) => props.onDone?.(answer),
    );
  };

  const failed = report?.rows.filter((r): r is Extract<UploadReport['rows'][number], { ok: false }> => !r.ok) ?? [];
  const accepted = report?.rows.filter((r): r is Extract<UploadReport['rows'][number], { ok: true }> => r.ok) ?? [];
  return (
    <section class="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(M.title)}</h2>
      <form
        class="dropzone stack"
        onSubmit={(e) => {
          e.preventDefault();
          void upload();
        }}
      >
        <div class="field">
          <label for={`${id}-file`}>{t(M.file)}</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            aria-describedby={`${id}-hint`}
            onChange={(e) => setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null)}
          />
          <p class="hint" id={`${id}-hint`}>
            {t(M.hint)}
          </p>
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={!file || busy}>
            {busy ? t(M.uploading) : t(M.upload)}
          </button>
        </div>
      </form>
      {progress && (
        <p class="alert" role="status">
          {t(M.progress, { processed: progress.processed, total: progress.total })}
        </p>
      )}
      <ErrorBox error={error} />
      {report && (
        <div class="stack" aria-live="polite">
          <p class={report.rejected > 0 ? 'alert bad' : 'alert good'} role="status">
            {t(M.summary, {
              total: report.total,
              accepted: report.accepted,
              written: report.written,
              replayed: report.replayed,
              rejected: report.rejected,
            })}
          </p>
          {failed.length > 0 && (
            <>
              <div class="row spread">
                <h3>{t(M.errorsTitle)}</h3>
                <button
                  type="button"
                  class="secondary"
                  onClick={() =>
                    saveBlob(
                      new Blob([errorReportCsv(report)], { type: 'text/csv;charset=utf-8' }),
                      `${(file?.name ?? 'import').replace(/\.csv$/i, '')}-errors.csv`,
                    )
                  }
                >
                  {t(M.downloadReport)}
                </button>
              </div>
              <Table
                class="errors"
                rows={failed}
                rowKey={(row) => row.line}
                rowAttributes={(row) => ({ class: 'row-bad', 'data-line': row.line })}
                columns={[
                  { heading: t(M.line), class: 'mono', cell: (row) => row.line },
                  { heading: t(M.code), cell: (row) => <code>{row.error.code}</code> },
                  { heading: t(M.columns), cell: (row) => row.columns.join('、') || '—' },
                  { heading: t(M.message), cell: (row) => pick(row.error) },
                ]}
              />
            </>
          )}
          {accepted.length > 0 && (
            <details open={accepted.length <= 20}>
              <summary>
                {t(M.acceptedTitle)} ({accepted.length})
              </summary>
              <Table
                rows={accepted}
                rowKey={(row) => row.line}
                rowAttributes={(row) => ({ 'data-line': row.line })}
                columns={[
                  { heading: t(M.line), class: 'mono', cell: (row) => row.line },
                  {
                    heading: t(M.numbers),
                    class: 'mono',
                    cell: (row) => (
                      <>
                        {symbolNumberText(row.result)}
                        {row.replayed && <span class="pill muted">{t(M.replayed)}</span>}
                      </>
                    ),
                  },
                  { heading: t(M.hub), cell: (row) => <HubResult result={row.result} /> },
                  { heading: t(M.availableOn), cell: (row) => row.result.hubAvailableOn },
                ]}
              />
            </details>
          )}
        </div>
      )}
    </section>
  );
}
