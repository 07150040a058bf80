import type { TimelineEvent } from '../../answers.js';
import { callFile, saveBlob } from '../../api.js';
import { dateText, t } from '../../i18n.js';
import { certificateReasonText, noticeReasonText } from '../../labels.js';
import { M } from './messages.js';

/** How each kind of document is named, explained and fetched. */
const KINDS = {
  certificate: {
    name: M.certificate,
    id: 'certificateId',
    reason: certificateReasonText,
    fallback: 'certificate.pdf',
    file: (token: string, certificateId: string) =>
      callFile('GET /api/v1/certificates/{certificateId}.pdf', { token, params: { certificateId } }),
  },
  notice: {
    name: M.notice,
    id: 'noticeId',
    reason: noticeReasonText,
    fallback: 'notice.pdf',
    file: (token: string, noticeId: string) =>
      callFile('GET /api/v1/notices/{noticeId}.pdf', { token, params: { noticeId } }),
  },
} as const;

/** The certificates and notices issued to a member, each offered as its PDF. */
export function MemberDocuments(props: { token: string; events: TimelineEvent[]; setError: (e: unknown) => void }) {
  const issued = props.events.filter(
    (e) => (e.kind === 'certificate' && e.detail.event === 'issued') || e.kind === 'notice',
  );
  // Certificates first, then notices, each in the order they were issued.
  const documents = [...issued.filter((e) => e.kind === 'certificate'), ...issued.filter((e) => e.kind === 'notice')];
  const save = async (kind: (typeof KINDS)[keyof typeof KINDS], id: string) => {
    try {
      const { blob, filename } = await kind.file(props.token, id);
      saveBlob(blob, filename ?? kind.fallback);
    } catch (e) {
      props.setError(e);
    }
  };
  return (
    <>
      <h2>{t(M.documents)}</h2>
      {documents.length === 0 && <p>{t(M.noDocuments)}</p>}
      <ul class="plain stack">
        {documents.map((e) => {
          const kind = KINDS[e.kind as keyof typeof KINDS];
          const id = String(e.detail[kind.id]);
          return (
            <DocumentItem
              key={id}
              name={t(kind.name)}
              on={e.on}
              reason={kind.reason(String(e.detail.reason))}
              onSave={() => void save(kind, id)}
            />
          );
        })}
      </ul>
    </>
  );
}

/** One issued document: its kind, day and reason, and a button naming it for screen readers. */
function DocumentItem(props: { name: string; on: string; reason: string; onSave: () => void }) {
  return (
    <li class="row">
      <span>
        {props.name} {dateText(props.on)}（{props.reason}）
      </span>
      <button type="button" class="secondary" onClick={props.onSave}>
        {t(M.pdf)}
        <span class="sr-only">
          {' '}
          {props.name} {props.on}
        </span>
      </button>
    </li>
  );
}
