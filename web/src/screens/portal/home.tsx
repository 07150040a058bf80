import { useEffect, useState } from 'preact/hooks';
import type { QualificationScreen } from '../../answers.js';
import { ApiError, call, callFile, saveBlob } from '../../api.js';
import { COMMON, dateText, ratioText, relationshipText, sexText, t } from '../../i18n.js';
import { ErrorBox, useFocusOnChange } from '../../ui.js';
import { ApplyCertificate } from './apply-certificate.js';
import { CardWarnings } from './card-warnings.js';
import { M } from './messages.js';
import { NoticeReissue } from './notice-reissue.js';
import type { StoredSession } from './portal-session.js';

/** The logged-in member's page: card warnings, eligibility (as the お知らせ shows it), applications. */
export function Home({ session, onExpired }: { session: StoredSession; onExpired: () => void }) {
  const [screen, setScreen] = useState<QualificationScreen | null>(null);
  const [selected, setSelected] = useState(session.memberId);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const heading = useFocusOnChange<HTMLHeadingElement>('home');
  const handle = (e: unknown) => {
    if (e instanceof ApiError && e.status === 401) onExpired();
    else setError(e);
  };
  const load = async () => {
    try {
      setScreen(await call('GET /api/v1/me/qualification', { token: session.token }));
    } catch (e) {
      handle(e);
    }
  };
  useEffect(() => {
    void load();
    const left = session.endsAt - Date.now();
    const timer = setTimeout(onExpired, Math.max(0, left));
    return () => clearTimeout(timer);
  }, [session.token]);

  const download = async () => {
    setSaved(false);
    try {
      const { blob, filename } = await callFile('GET /api/v1/me/qualification.pdf', { token: session.token });
      saveBlob(blob, filename ?? 'shikaku-shikaku-joho.pdf');
      setSaved(true);
    } catch (e) {
      handle(e);
    }
  };

  const entry = screen?.members.find((m) => m.memberId === selected) ?? screen?.members[0];
  const time = new Date(session.endsAt).toLocaleTimeString('ja-JP', {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (
    <>
      <section class="portal-card">
        <h1 tabIndex={-1} ref={heading}>
          {t(M.hello, { name: session.name })}
        </h1>
        <p class="hint">{t(M.sessionUntil, { time })}</p>
        <CardWarnings session={session} />
      </section>
      <ErrorBox error={error} />
      {screen && entry && (
        <section class="portal-card" aria-labelledby="elig-title">
          <h2 id="elig-title">{t(M.eligibility)}</h2>
          <p class="hint">{t(M.eligibilityIntro)}</p>
          <p class="as-of">{t(M.asOf, { date: dateText(screen.asOf) })}</p>
          {screen.members.length > 1 && (
            <fieldset class="person-tabs">
              <legend class="sr-only">{t(M.who)}</legend>
              {screen.members.map((m) => (
                <button
                  key={m.memberId}
                  type="button"
                  class="secondary"
                  aria-pressed={m.memberId === entry.memberId}
                  onClick={() => setSelected(m.memberId)}
                >
                  {m.name}
                </button>
              ))}
            </fieldset>
          )}
          <dl class="elig" data-member={entry.memberId}>
            <dt>{t(COMMON.name)}</dt>
            <dd>
              <strong>{entry.name}</strong>（{entry.nameKana}）
            </dd>
            <dt>{t(COMMON.birthDate)}</dt>
            <dd>
              {dateText(entry.birthDate)} · {sexText(entry.sex)}
            </dd>
            <dt>{t(COMMON.insurerName)}</dt>
            <dd>{entry.insurerName}</dd>
            <dt>{t(COMMON.insurerNumber)}</dt>
            <dd class="mono">{entry.insurerNumber}</dd>
            <dt>
              {t(COMMON.symbol)}・{t(COMMON.number)}
            </dt>
            <dd class="mono big-number">
              {entry.symbol}・{entry.number}
            </dd>
            <dt>{t(COMMON.branch)}</dt>
            <dd class="mono">{entry.branch}</dd>
            <dt>{t(COMMON.relationship)}</dt>
            <dd>{relationshipText(entry.relationship)}</dd>
            <dt>{t(COMMON.acquiredOn)}</dt>
            <dd>{dateText(entry.acquiredOn)}</dd>
            {entry.lostOn && (
              <>
                <dt>{t(COMMON.lostOn)}</dt>
                <dd>{dateText(entry.lostOn)}</dd>
              </>
            )}
            <dt>{t(COMMON.burdenRatio)}</dt>
            <dd>
              <strong>{ratioText(entry.burdenRatio)}</strong>
            </dd>
            <dt>{t(M.myNumberHeld)}</dt>
            <dd class="mono">{entry.myNumber ?? '—'}</dd>
            <dt>{t(M.certificate)}</dt>
            <dd>
              {entry.certificate ? t(M.certificateUntil, { date: dateText(entry.certificate.validUntil) }) : t(M.none)}
            </dd>
          </dl>
          <div class="row top-gap">
            <button type="button" class="primary" onClick={() => void download()}>
              {t(M.downloadPdf)}
            </button>
            {saved && (
              <span role="status" class="pill good">
                {t(M.pdfSaved)}
              </span>
            )}
          </div>
        </section>
      )}
      {screen && <ApplyCertificate session={session} members={screen.members} onDone={load} onError={handle} />}
      {screen && <NoticeReissue session={session} onError={handle} />}
    </>
  );
}
