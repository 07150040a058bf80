import { useEffect, useState } from 'preact/hooks';
import type { ApplicationRow } from '../../answers.js';
import { ApiError, call } from '../../api.js';
import { symbolNumberText } from '../../components/symbol-number.js';
import { Table } from '../../components/table.js';
import { COMMON, dateText, t } from '../../i18n.js';
import { applicationKindText, applicationStateText, certificateReasonText } from '../../labels.js';
import { ErrorBox } from '../../ui.js';
import { MemberWithNote } from './member-link.js';
import { M } from './messages.js';

/** The applications received from members, approved or refused one by one. */
export function ApplicationsPanel(props: { token: string; onDone: () => void }) {
  const [rows, setRows] = useState<ApplicationRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = async () => {
    try {
      const answer = await call('GET /api/v1/applications', { token: props.token, query: { state: 'received' } });
      setRows(answer.items);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError && e.status === 404 && e.code === 'NOT_FOUND' ? new Error(t(M.notAvailable)) : e);
    }
  };
  useEffect(() => {
    void load();
  }, []);
  const decide = async (row: ApplicationRow, decision: 'approve' | 'refuse') => {
    try {
      await call('POST /api/v1/applications/{applicationId}:{decision}', {
        token: props.token,
        params: { applicationId: row.applicationId, decision },
        body: {},
      });
      setMessage(t(M.decided, { state: decision === 'approve' ? t(M.approve) : t(M.refuse) }));
      props.onDone();
      await load();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card">
      <h1>{t(M.appTitle)}</h1>
      <ErrorBox error={error} />
      {message && (
        <p class="alert good" role="status">
          {message}
        </p>
      )}
      {rows && rows.length === 0 && <p>{t(M.noApplications)}</p>}
      {rows && rows.length > 0 && (
        <Table
          rows={rows}
          rowKey={(r) => r.applicationId}
          columns={[
            { heading: t(M.receivedOn), cell: (r) => dateText(r.receivedOn) },
            { heading: t(M.kind), cell: (r) => applicationKindText(r.kind) },
            {
              heading: t(M.reason),
              cell: (r) => (r.kind === 'certificate' ? certificateReasonText(r.reason) : (r.reason ?? '—')),
            },
            {
              heading: t(M.member),
              cell: (r) => <MemberWithNote member={r.member} note={symbolNumberText(r.member)} mono />,
            },
            { heading: t(M.state), cell: (r) => applicationStateText(r.state) },
            {
              heading: <span class="sr-only">{t(M.whatToDo)}</span>,
              cell: (r) => (
                <div class="row">
                  <button type="button" class="primary" onClick={() => void decide(r, 'approve')}>
                    {t(M.approve)}
                  </button>
                  <button type="button" class="danger" onClick={() => void decide(r, 'refuse')}>
                    {t(M.refuse)}
                  </button>
                </div>
              ),
            },
          ]}
        />
      )}
      {message === null && error === null && rows === null && <p aria-busy="true">{t(COMMON.loading)}</p>}
    </section>
  );
}
