import { useEffect, useState } from 'preact/hooks';
import type { PaperCertificate, TimelineEvent } from '../../answers.js';
import { call, callFile, saveBlob } from '../../api.js';
import { dateText, t } from '../../i18n.js';
import { certificateReasonText, noticeReasonText, paperCertificateKindText } from '../../labels.js';
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
  /** The paper of a 資格確認書 holder: 高齢受給者証, 限度額適用認定証, 特定疾病療養受療証 (not on the timeline). */
  paper: {
    fallback: 'paper-certificate.pdf',
    file: (token: string, paperCertificateId: string) =>
      callFile('GET /api/v1/paper-certificates/{paperCertificateId}.pdf', { token, params: { paperCertificateId } }),
  },
} as const;

type Saveable = { fallback: string; file: (token: string, id: string) => ReturnType<typeof callFile> };

/** The certificates, notices and paper certificates issued to a member, each offered as its PDF. */
export function MemberDocuments(props: {
  token: string;
  memberId: string;
  events: TimelineEvent[];
  setError: (e: unknown) => void;
}) {
  const [papers, setPapers] = useState<PaperCertificate[]>([]);
  const { token, memberId, events, setError } = props;
  // Read again whenever the page reloads the timeline (after an approval, a run …).
  useEffect(() => {
    call('GET /api/v1/members/{memberId}/paper-certificates', { token, params: { memberId } })
      .then((answer) => setPapers(answer.paperCertificates))
      .catch(setError);
  }, [token, memberId, events, setError]);
  const issued = props.events.filter(
    (e) => (e.kind === 'certificate' && e.detail.event === 'issued') || e.kind === 'notice',
  );
  // Certificates first, then notices, each in the order they were issued.
  const documents = [...issued.filter((e) => e.kind === 'certificate'), ...issued.filter((e) => e.kind === 'notice')];
  const save = async (kind: Saveable, id: string) => {
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
      {documents.length === 0 && papers.length === 0 && <p>{t(M.noDocuments)}</p>}
      <ul class="plain stack">
        {documents.map((e) => {
          const kind = KINDS[e.kind as 'certificate' | 'notice'];
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
        {papers.map((p) => (
          <DocumentItem
            key={p.paperCertificateId}
            name={paperCertificateKindText(p.kind)}
            on={p.issuedOn}
            reason={t(M.paperValidity, { from: dateText(p.validFrom), until: dateText(p.validUntil) })}
            onSave={() => void save(KINDS.paper, p.paperCertificateId)}
          />
        ))}
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
