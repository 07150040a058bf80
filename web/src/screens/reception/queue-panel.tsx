import { Table } from '../../components/table.js';
import { COMMON, dateText, pick, t } from '../../i18n.js';
import { M } from './messages.js';
import type { QueueEntry } from './offline-queue.js';
import { SHOWN_LABEL } from './shown-label.js';

/** What was registered while offline, with the outcome of each re-check; hidden while empty. */
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
      <Table
        rows={props.queue}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({
          class: e.status === 'flagged' ? 'row-bad' : e.status === 'confirmed' ? 'row-good' : '',
          'data-status': e.status,
        })}
        columns={[
          {
            heading: t(M.colTime),
            cell: (e) => (
              <>
                {dateText(e.asOf)}{' '}
                {new Date(e.recordedAt).toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' })}
              </>
            ),
          },
          { heading: t(M.colShown), cell: (e) => t(SHOWN_LABEL[e.shown]) },
          {
            heading: t(M.colNumbers),
            class: 'mono',
            cell: (e) => (
              <>
                {e.insurerNumber} {e.symbol}・{e.number}
                {e.branch ? `・${e.branch}` : ''}
              </>
            ),
          },
          { heading: t(COMMON.name), cell: (e) => e.name || '—' },
          { heading: t(M.colStatus), cell: (e) => <QueueStatus entry={e} /> },
        ]}
      />
    </section>
  );
}

/** Where an entry's re-check stands; a flagged one says why and what to do. */
function QueueStatus({ entry: e }: { entry: QueueEntry }) {
  return (
    <>
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
    </>
  );
}
