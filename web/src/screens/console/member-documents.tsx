import type { PdfFile, TimelineEvent } from '../../answers.js';
import { callFile, saveBlob } from '../../api.js';
import { dateText, t } from '../../i18n.js';
import { certificateReasonText, noticeReasonText } from '../../labels.js';
import { M } from './messages.js';

/** The certificates and notices issued to a member, each offered as its PDF. */
export function MemberDocuments(props: { token: string; events: TimelineEvent[]; setError: (e: unknown) => void }) {
  const { token } = props;
  const certificates = props.events.filter((e) => e.kind === 'certificate' && e.detail.event === 'issued');
  const notices = props.events.filter((e) => e.kind === 'notice');
  const save = async (file: () => Promise<PdfFile>, fallback: string) => {
    try {
      const { blob, filename } = await file();
      saveBlob(blob, filename ?? fallback);
    } catch (e) {
      props.setError(e);
    }
  };
  return (
    <>
      <h2>{t(M.documents)}</h2>
      {certificates.length === 0 && notices.length === 0 && <p>{t(M.noDocuments)}</p>}
      <ul class="plain stack">
        {certificates.map((c) => {
          const certificateId = String(c.detail.certificateId);
          return (
            <DocumentItem
              key={certificateId}
              name={t(M.certificate)}
              on={c.on}
              reason={certificateReasonText(String(c.detail.reason))}
              onSave={() =>
                void save(
                  () => callFile('GET /api/v1/certificates/{certificateId}.pdf', { token, params: { certificateId } }),
                  'certificate.pdf',
                )
              }
            />
          );
        })}
        {notices.map((n) => {
          const noticeId = String(n.detail.noticeId);
          return (
            <DocumentItem
              key={noticeId}
              name={t(M.notice)}
              on={n.on}
              reason={noticeReasonText(String(n.detail.reason))}
              onSave={() =>
                void save(
                  () => callFile('GET /api/v1/notices/{noticeId}.pdf', { token, params: { noticeId } }),
                  'notice.pdf',
                )
              }
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
