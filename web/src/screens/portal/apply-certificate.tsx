import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { CertificateIssued, PortalSession, QualificationEntry } from '../../answers.js';
import { ApiError, call } from '../../api.js';
import { useSubmission } from '../../components/use-submission.js';
import { dateText, relationshipText, t } from '../../i18n.js';
import { APPLICATION_REASONS, certificateReasonText } from '../../labels.js';
import { ErrorBox, Select } from '../../ui.js';
import { M } from './messages.js';

/** A member applies for a 資格確認書 for themself or a dependent; it is issued at once. */
export function ApplyCertificate(props: {
  session: PortalSession;
  members: QualificationEntry[];
  onDone: () => Promise<void>;
  onError: (e: unknown) => void;
}) {
  const [memberId, setMemberId] = useState(props.session.memberId);
  // No reason is pre-selected (issue #19 §6): the member states theirs, the form refuses until then.
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const { busy, error, result, run } = useSubmission<CertificateIssued>((e) => {
    const expired = e instanceof ApiError && e.status === 401;
    if (expired) props.onError(e);
    return expired;
  });
  const resultRef = useRef<HTMLParagraphElement>(null);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (reason === '') {
      setReasonError(t(M.reasonMissing));
      e.currentTarget.querySelector<HTMLSelectElement>('select[name="reason"]')?.focus();
      return;
    }
    await run(
      () => call('POST /api/v1/certificates', { token: props.session.token, body: { memberId, reason } }),
      props.onDone,
    );
  };
  return (
    <section class="portal-card" aria-labelledby="apply-title">
      <h2 id="apply-title">{t(M.applyTitle)}</h2>
      <p class="hint">{t(M.applyIntro)}</p>
      <form class="stack" onSubmit={submit}>
        {props.members.length > 1 && (
          <Select
            label={t(M.applyFor)}
            value={memberId}
            onChange={setMemberId}
            options={props.members.map((m) => ({
              value: m.memberId,
              label: `${m.name}（${relationshipText(m.relationship)}）`,
            }))}
          />
        )}
        <Select
          label={t(M.reason)}
          name="reason"
          value={reason}
          onChange={(value) => {
            setReason(value);
            setReasonError(null);
          }}
          placeholder={t(M.reasonChoose)}
          error={reasonError}
          options={APPLICATION_REASONS.map((r) => ({ value: r, label: certificateReasonText(r) }))}
        />
        <button type="submit" class="primary" disabled={busy}>
          {t(M.apply)}
        </button>
      </form>
      {result && (
        <p class="alert good" role="status" ref={resultRef}>
          {t(M.applied, { date: dateText(result.validUntil) })}
          {result.feeYen ? ` ${t(M.appliedFee, { fee: result.feeYen })}` : ''}
        </p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}
