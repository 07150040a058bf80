import type { PdfFile, TimelineEvent } from '../../answers.js';
import { callFile, saveBlob } from '../../api.js';
import { dateText, t } from '../../i18n.js';
import { certificateReasonText, noticeReasonText } from '../../labels.js';
import { M } from './messages.js';
/** The certificates and notices issued to a member, each offered as its PDF. */
export function MemberDocuments(props: { token: string; events: TimelineEvent[]; setError: (e: unknown) => void }) {
  const certificates = props.events.filter((e) => e.kind === 'certificate' && e.detail.event === 'issued');
  const notices = props.events.filter((e) => e.kind === 'notice');
  const save = async (file: Promise<PdfFile>, fallback: string) => {
    try {
      const { blob, filename } = await file;
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
        {certificates.map((c) => (
          <li key={String(c.detail.certificateId)} class="row">
            <span>
              {t(M.certificate)} {dateText(c.on)}（{certificateReasonText(String(c.detail.reason))}）
            </span>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void save(
                  callFile('GET /api/v1/certificates/{certificateId}.pdf', {
                    token: props.token,
                    params: { certificateId: String(c.detail.certificateId) },
                  }),
                  'certificate.pdf',
                )
              }
            >
              {t(M.pdf)}
              <span class="sr-only">
                {' '}
                {t(M.certificate)} {c.on}
              </span>
            </button>
          </li>
        ))}
        {notices.map((n) => (
          <li key={String(n.detail.noticeId)} class="row">
            <span>
              {t(M.notice)} {dateText(n.on)}（{noticeReasonText(String(n.detail.reason))}）
            </span>
            <button
              type="button"
              class="secondary"
              onClick={() =>
                void save(
                  callFile('GET /api/v1/notices/{noticeId}.pdf', {
                    token: props.token,
                    params: { noticeId: String(n.detail.noticeId) },
                  }),
                  'notice.pdf',
                )
              }
            >
              {t(M.pdf)}
              <span class="sr-only">
                {' '}
                {t(M.notice)} {n.on}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
