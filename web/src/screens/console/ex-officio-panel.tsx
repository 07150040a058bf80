import { useEffect, useState } from 'preact/hooks';
import type { ExOfficioRun } from '../../answers.js';
import { ApiError, call } from '../../api.js';
import { DateSetting } from '../../components/date-setting.js';
import { COMMON, t } from '../../i18n.js';
import { certificateReasonText, skipReasonText } from '../../labels.js';
import { ErrorBox } from '../../ui.js';
import { M } from './messages.js';

function countBy<T>(items: T[], key: (t: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

/** The ex-officio issuance of certificates: a dry run to preview, then the run; counts by reason. */
export function ExOfficioPanel(props: { token: string; insurer: string; today: string; onDone: () => void }) {
  const [asOf, setAsOf] = useState(props.today);
  const [busy, setBusy] = useState<'dry' | 'run' | null>(null);
  const [result, setResult] = useState<ExOfficioRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    if (!busy) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 500);
    return () => clearInterval(timer);
  }, [busy]);
  const run = async (dryRun: boolean) => {
    setBusy(dryRun ? 'dry' : 'run');
    setElapsed(0);
    setError(null);
    try {
      const answer = await call('POST /api/v1/certificates:issue-ex-officio', {
        token: props.token,
        body: { insurerNumber: props.insurer, asOf, ...(dryRun ? { dryRun: true } : {}) },
      });
      setResult({ ...answer, dryRun });
      if (!dryRun) props.onDone();
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 ? new Error(t(M.notAvailable)) : e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card">
      <h1>{t(M.exTitle)}</h1>
      <p>{t(M.exIntro)}</p>
      <div class="row">
        <DateSetting label={t(M.exAsOf)} value={asOf} fallback={props.today} onChange={setAsOf} />
        <button type="button" class="secondary" disabled={busy !== null} onClick={() => void run(true)}>
          {t(M.dryRun)}
        </button>
        <button
          type="button"
          class="primary"
          disabled={busy !== null || !result?.dryRun}
          onClick={() => void run(false)}
        >
          {t(M.run)}
        </button>
      </div>
      {busy && (
        <div class="stack" role="status">
          <progress aria-label={t(M.running)} />
          <span>
            {t(M.running)} {elapsed}s
          </span>
        </div>
      )}
      <ErrorBox error={error} />
      {result && (
        <div class="stack" aria-live="polite">
          <h2>{result.dryRun ? t(M.exPreview) : t(M.exDone)}</h2>
          <p>
            <span class="pill good">{t(M.exIssued, { n: result.issued.length })}</span>{' '}
            <span class="pill muted">{t(M.exSkipped, { n: result.skipped.length })}</span>
          </p>
          <div class="two-col">
            <CountTable
              caption={t(M.exIssued, { n: result.issued.length })}
              counts={countBy(result.issued, (i) => i.reason)}
              label={certificateReasonText}
              showNone
            />
            <CountTable
              caption={t(M.exSkipped, { n: result.skipped.length })}
              counts={countBy(result.skipped, (s) => s.reason)}
              label={skipReasonText}
            />
          </div>
        </div>
      )}
    </section>
  );
}

/** Counts by reason, biggest first. */
function CountTable(props: {
  caption: string;
  counts: Array<[string, number]>;
  label: (reason: string) => string;
  /** Says "none" in a row when there is nothing to count. */
  showNone?: boolean;
}) {
  return (
    <table>
      <caption class="sr-only">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(M.reason)}</th>
          <th scope="col">{t(M.count)}</th>
        </tr>
      </thead>
      <tbody>
        {props.showNone && props.counts.length === 0 && (
          <tr>
            <td colSpan={2}>{t(COMMON.none)}</td>
          </tr>
        )}
        {props.counts.map(([reason, n]) => (
          <tr key={reason}>
            <td>{props.label(reason)}</td>
            <td>{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
