import { COMMON, dateText, pick, t } from '../../i18n.js';
import { M } from './messages.js';
import type { QueueEntry } from './offline-queue.js';
import { SHOWN_LABEL } from './shown-label.js';

export function QueuePanel(props: { queue: QueueEntry[]; onRecheck: () => void; onClear: () => void }) {
  const flagged = props.queue.filter((e) => e.status === 'flagged').length;
  if (props.queue.length === 0) return null;
  return (
    <section class="card queue" aria-labelledby="queue-title">
      <div class="row spread">
        <h2 id="queue-title">
          {t(M.queueTitle)} ({props.queue.length})
        </h2>
        <div class="row">
          <button type="button" class="secondary" onClick={props.onRecheck}>
            {t(M.recheckNow)}
          </button>
          <button type="button" class="ghost" onClick={props.onClear}>
            {t(M.clearDone)}
          </button>
        </div>
      </div>
      {flagged > 0 && (
        <p class="alert bad" role="alert">
          {t(M.flaggedAlert, { n: flagged })}
        </p>
      )}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(M.colTime)}</th>
              <th scope="col">{t(M.colShown)}</th>
              <th scope="col">{t(M.colNumbers)}</th>
              <th scope="col">{t(COMMON.name)}</th>
              <th scope="col">{t(M.colStatus)}</th>
            </tr>
          </thead>
          <tbody>
            {props.queue.map((e) => (
              <tr
                key={e.id}
                class={e.status === 'flagged' ? 'row-bad' : e.status === 'confirmed' ? 'row-good' : ''}
                data-status={e.status}
              >
                <td>
                  {dateText(e.asOf)}{' '}
                  {new Date(e.recordedAt).toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' })}
                </td>
                <td>{t(SHOWN_LABEL[e.shown])}</td>
                <td class="mono">
                  {e.insurerNumber} {e.symbol}・{e.number}
                  {e.branch ? `・${e.branch}` : ''}
                </td>
                <td>{e.name || '—'}</td>
                <td>
                  {e.status === 'pending' && <span class="pill warn">{t(M.statusPending)}</span>}
                  {e.status === 'confirmed' && <span class="pill good">{t(M.statusConfirmed)}</span>}
                  {e.status === 'flagged' && (
                    <>
                      <span class="pill bad">{t(M.statusFlagged)}</span>
                      <ul class="plain small">
                        {(e.reasons ?? []).map((r) => (
                          <li key={r.code}>{pick(r)}</li>
                        ))}
                        {(e.fallbacks ?? []).map((f) => (
                          <li key={f.code}>→ {pick(f)}</li>
                        ))}
                      </ul>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
