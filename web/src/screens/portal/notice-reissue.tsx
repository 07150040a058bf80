import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { PortalSession } from '../../answers.js';
import { ApiError, call } from '../../api.js';
import { pick, t } from '../../i18n.js';
import { ErrorBox } from '../../ui.js';
import { M } from './messages.js';

/** A member asks for the qualification notice again (for those who cannot use the portal). */
export function NoticeReissue(props: { session: PortalSession; onError: (e: unknown) => void }) {
  const [cannotUse, setCannotUse] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const received = await call('POST /api/v1/applications', {
        token: props.session.token,
        body: { kind: 'notice_reissue', memberId: props.session.memberId, portalUsable: !cannotUse },
      });
      setDone(t(M.noticeRequested, { id: received.applicationId.slice(0, 8) }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) props.onError(err);
      else setError(err);
    }
  };
  return (
    <section class="portal-card" aria-labelledby="notice-title">
      <h2 id="notice-title">{t(M.noticeTitle)}</h2>
      <p class="hint">{t(M.noticeIntro)}</p>
      <form class="stack" onSubmit={submit}>
        <label class="radio">
          <input
            type="checkbox"
            checked={cannotUse}
            onChange={(e) => setCannotUse((e.currentTarget as HTMLInputElement).checked)}
          />
          {t(M.cannotUsePortal)}
        </label>
        <button type="submit" class="secondary">
          {t(M.requestNotice)}
        </button>
      </form>
      {done && (
        <p class="alert good" role="status">
          {done}
        </p>
      )}
      {error instanceof ApiError ? (
        <p class="alert warn" role="alert">
          {pick(error.problem)}
        </p>
      ) : (
        <ErrorBox error={error} />
      )}
    </section>
  );
}
