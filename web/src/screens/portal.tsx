import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../src/domain/digits.js';
import { ApiError, api, apiBlob, saveBlob } from '../api.js';
import { COMMON, dateText, messages, pick, ratioText, relationshipText, sexText, t } from '../i18n.js';
import { Icon } from '../icons.js';
import { APPLICATION_REASONS, certificateReasonText } from '../labels.js';
import { ErrorBox, Field, Select, Shell, useFocusOnChange } from '../ui.js';

const M = messages({
  title: ['加入者ポータル', 'Member portal'],
  loginTitle: ['マイナンバーカードでログイン', 'Log in with your My Number card'],
  loginIntro: [
    'カードをスマートフォンまたはカードリーダーで読み取り、利用者証明用電子証明書の暗証番号（数字4桁）を入力します。',
    'Read your card with a smartphone or a card reader, then enter the PIN of its user certificate (4 digits).',
  ],
  cardId: ['カードID（読み取り装置の代わり）', 'Card id (stands in for the reader)'],
  cardIdHint: [
    'デモでは `npm start` が表示するカードIDを入力します。',
    'In the demo, type a card id printed by `npm start`.',
  ],
  readCard: ['カードを読み取る', 'Read the card'],
  pinTitle: ['暗証番号（数字4桁）', 'PIN (4 digits)'],
  pinHint: [
    '利用者証明用電子証明書の暗証番号です。3回間違えるとロックされます。',
    'The PIN of the user certificate. Three wrong tries lock it.',
  ],
  login: ['ログイン', 'Log in'],
  loggingIn: ['確認しています…', 'Checking…'],
  pinWrong: ['暗証番号が違います。あと{n}回間違えるとロックされます。', 'Wrong PIN. {n} more wrong tries lock it.'],
  pinLast: ['暗証番号が違います。次に間違えるとロックされます。', 'Wrong PIN. The next wrong try locks it.'],
  otherCard: ['別のカードにする', 'Use another card'],
  hello: ['{name} さん', 'Hello, {name}'],
  sessionUntil: ['{time} まで有効', 'Session until {time}'],
  certExpiringSoon: [
    '電子証明書の有効期限（{date}）が近づいています。お住まいの市区町村で更新してください。',
    'Your certificate expires on {date}. Renew it at your municipal office.',
  ],
  certGrace: [
    '電子証明書の有効期限（{date}）が過ぎています。猶予期間中はマイナ保険証を使えますが、早めに市区町村で更新してください。',
    'Your certificate expired on {date}. It still works as an insurance card during the grace period: renew it soon at your municipal office.',
  ],
  cardExpiringSoon: [
    'マイナンバーカードの有効期限（{date}）が近づいています。',
    'Your My Number card expires on {date}.',
  ],
  cardGrace: [
    'マイナンバーカードの有効期限（{date}）が過ぎています（猶予期間中）。',
    'Your My Number card expired on {date} (grace period).',
  ],
  notRegistered: [
    'このカードは健康保険証として利用登録されていません。医療機関のカードリーダーで登録できます。',
    'This card is not registered as a health insurance card. Register it at a clinic’s card reader.',
  ],
  eligibility: ['資格情報', 'Your eligibility'],
  eligibilityIntro: [
    '「資格情報のお知らせ」と同じ内容です。マイナ保険証と一緒に医療機関で提示できます。',
    'The same as the qualification notice: show it with your My Number card at a clinic.',
  ],
  asOf: ['{date} 現在', 'As of {date}'],
  who: ['表示する人', 'Person'],
  downloadPdf: ['PDFで保存', 'Save as PDF'],
  pdfSaved: ['PDFを保存しました', 'The PDF was saved'],
  certificate: ['資格確認書', 'Eligibility certificate'],
  certificateUntil: ['交付済み（{date}まで有効）', 'issued (valid until {date})'],
  none: ['なし', 'none'],
  myNumberHeld: ['個人番号（下4桁）', 'My Number (last 4)'],
  applyTitle: ['資格確認書の申請', 'Apply for an eligibility certificate'],
  applyIntro: [
    'マイナ保険証を使えない方は、資格確認書の交付を申請できます。',
    'If you cannot use a My Number insurance card, you can apply for an eligibility certificate.',
  ],
  applyFor: ['対象者', 'For'],
  reason: ['申請理由', 'Reason'],
  apply: ['申請する', 'Apply'],
  applied: ['資格確認書を交付しました（{date}まで有効）。', 'A certificate was issued (valid until {date}).'],
  appliedFee: ['再交付手数料 {fee}円', 'Reissue fee ¥{fee}'],
  noticeTitle: ['資格情報のお知らせの再交付', 'Reissue of the qualification notice'],
  noticeIntro: [
    'マイナポータルで資格情報を確認できない方に、お知らせを再交付します。',
    'The notice is reissued to those who cannot see their eligibility in the portal.',
  ],
  cannotUsePortal: [
    'スマートフォン等でマイナポータルを利用できない',
    'I cannot use the portal on a smartphone or computer',
  ],
  requestNotice: ['再交付を申請する', 'Request a reissue'],
  noticeRequested: ['受け付けました（受付番号 {id}）', 'Received (application {id})'],
  logout: ['ログアウト', 'Log out'],
  warnings: ['カードについてのお知らせ', 'About your card'],
  expired: [
    'ログインの有効期限が切れました。もう一度ログインしてください。',
    'Your session ended. Please log in again.',
  ],
});

const SESSION_KEY = 'shikaku.portal.session';

interface PortalSession {
  token: string;
  expiresAt: string;
  expiresIn: number;
  /** When this browser's session ends, by its own clock (set on receipt: the server's may differ). */
  endsAt?: number;
  memberId: string;
  insurerNumber: string;
  name: string;
  card: {
    kind: 'card' | 'smartphone';
    expiresOn: string;
    state: 'valid' | 'expiring_soon' | 'grace' | 'expired';
    certificateExpiresOn: string;
    certificateState: 'valid' | 'expiring_soon' | 'grace' | 'expired';
    registration: 'active' | 'never' | 'cancelled' | 'lapsed';
  };
}

function storedSession(): PortalSession | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as PortalSession | null;
    return value?.endsAt && value.endsAt > Date.now() ? value : null;
  } catch {
    return null;
  }
}

export function PortalScreen() {
  const [session, setSession] = useState<PortalSession | null>(storedSession);
  const [notice, setNotice] = useState<string | null>(null);
  const logout = (message: string | null = null) => {
    sessionStorage.removeItem(SESSION_KEY);
    setSession(null);
    setNotice(message);
  };
  const login = (answer: PortalSession) => {
    const s = { ...answer, endsAt: Date.now() + answer.expiresIn * 1000 };
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    setNotice(null);
    setSession(s);
  };
  return (
    <Shell title={t(M.title)} kind="portal" onLogout={session ? () => logout() : undefined}>
      {session ? (
        <Home session={session} onExpired={() => logout(t(M.expired))} />
      ) : (
        <Login onLogin={login} notice={notice} />
      )}
    </Shell>
  );
}

const RECENT = 'shikaku.portal.card';

function Login(props: { onLogin: (s: PortalSession) => void; notice: string | null }) {
  const [cardId, setCardId] = useState(() => localStorage.getItem(RECENT) ?? '');
  const [step, setStep] = useState<'card' | 'pin'>('card');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [remaining, setRemaining] = useState<number | null>(null);
  const heading = useFocusOnChange<HTMLHeadingElement>(step);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (step === 'card') {
      if (cardId.trim()) {
        setStep('pin');
        setError(null);
      }
      return;
    }
    if (pin.length !== 4) return;
    setBusy(true);
    setError(null);
    try {
      const { challenge } = await api<{ challenge: string }>('/api/v1/me/challenge');
      const signed = await api<{ certificate: string; signature: string }>('/api/v1/me/card:sign', {
        body: { cardId: cardId.trim(), challenge, pin },
      });
      const session = await api<PortalSession>('/api/v1/me/session', {
        body: { certificate: signed.certificate, challenge, signature: signed.signature },
      });
      localStorage.setItem(RECENT, cardId.trim());
      props.onLogin(session);
    } catch (err) {
      setPin('');
      if (err instanceof ApiError && err.code === 'CARD_PIN_WRONG') {
        setRemaining(Number(err.problem.remainingTries ?? 0));
      } else {
        setRemaining(null);
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="portal-card">
      <div class="row">
        <Icon name="card" size={36} class="brand-icon" />
        <h1 tabIndex={-1} ref={heading}>
          {t(M.loginTitle)}
        </h1>
      </div>
      {props.notice && (
        <p class="alert info" role="status">
          {props.notice}
        </p>
      )}
      <p>{t(M.loginIntro)}</p>
      <form class="stack" onSubmit={submit}>
        {step === 'card' ? (
          <>
            <Field
              label={t(M.cardId)}
              value={cardId}
              onInput={setCardId}
              hint={t(M.cardIdHint)}
              required
              name="cardId"
            />
            <button type="submit" class="primary" disabled={!cardId.trim()}>
              {t(M.readCard)}
            </button>
          </>
        ) : (
          <>
            <Field
              label={t(M.pinTitle)}
              value={pin}
              onInput={(v) => setPin(normalizeDigitInput(v).replace(/\D/g, '').slice(0, 4))}
              type="password"
              inputMode="numeric"
              maxLength={4}
              hint={t(M.pinHint)}
              required
              name="pin"
              class="pin-field"
              error={remaining === null ? null : remaining <= 1 ? t(M.pinLast) : t(M.pinWrong, { n: remaining })}
            />
            <button type="submit" class="primary" disabled={pin.length !== 4 || busy}>
              {busy ? t(M.loggingIn) : t(M.login)}
            </button>
            <button
              type="button"
              class="ghost"
              onClick={() => {
                setStep('card');
                setPin('');
                setRemaining(null);
              }}
            >
              {t(M.otherCard)}
            </button>
          </>
        )}
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

interface QualificationEntry {
  memberId: string;
  relationship: 'insured' | 'dependent';
  insurerNumber: string;
  insurerName: string;
  symbol: string;
  number: string;
  branch: string;
  name: string;
  nameKana: string;
  birthDate: string;
  sex: 'male' | 'female';
  acquiredOn: string;
  lostOn: string | null;
  burdenRatio: number | null;
  burdenRatioAsOf?: string;
  myNumber: string | null;
  certificate: { certificateId: string; issuedOn: string; validUntil: string } | null;
  noticeId: string | null;
}

interface QualificationScreen {
  asOf: string;
  members: QualificationEntry[];
}

function Warnings({ session }: { session: PortalSession }) {
  const c = session.card;
  const items: Array<{ tone: 'warn' | 'bad' | 'info'; text: string }> = [];
  if (c.certificateState === 'expiring_soon')
    items.push({ tone: 'warn', text: t(M.certExpiringSoon, { date: dateText(c.certificateExpiresOn) }) });
  if (c.certificateState === 'grace')
    items.push({ tone: 'bad', text: t(M.certGrace, { date: dateText(c.certificateExpiresOn) }) });
  if (c.state === 'expiring_soon')
    items.push({ tone: 'warn', text: t(M.cardExpiringSoon, { date: dateText(c.expiresOn) }) });
  if (c.state === 'grace') items.push({ tone: 'bad', text: t(M.cardGrace, { date: dateText(c.expiresOn) }) });
  if (c.registration !== 'active') items.push({ tone: 'info', text: t(M.notRegistered) });
  if (items.length === 0) return null;
  return (
    <section class="stack" aria-label={t(M.warnings)}>
      {items.map((item) => (
        <p key={item.text} class={`alert ${item.tone}`}>
          {item.text}
        </p>
      ))}
    </section>
  );
}

function Home({ session, onExpired }: { session: PortalSession; onExpired: () => void }) {
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
      setScreen(await api<QualificationScreen>('/api/v1/me/qualification', { token: session.token }));
    } catch (e) {
      handle(e);
    }
  };
  useEffect(() => {
    void load();
    const left = (session.endsAt ?? Date.now()) - Date.now();
    const timer = setTimeout(onExpired, Math.max(0, left));
    return () => clearTimeout(timer);
  }, [session.token]);

  const download = async () => {
    setSaved(false);
    try {
      const { blob, filename } = await apiBlob('/api/v1/me/qualification.pdf', { token: session.token });
      saveBlob(blob, filename ?? 'shikaku-shikaku-joho.pdf');
      setSaved(true);
    } catch (e) {
      handle(e);
    }
  };

  const entry = screen?.members.find((m) => m.memberId === selected) ?? screen?.members[0];
  const time = new Date(session.endsAt ?? Date.now()).toLocaleTimeString('ja-JP', {
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
        <Warnings session={session} />
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

function ApplyCertificate(props: {
  session: PortalSession;
  members: QualificationEntry[];
  onDone: () => Promise<void>;
  onError: (e: unknown) => void;
}) {
  const [memberId, setMemberId] = useState(props.session.memberId);
  const [reason, setReason] = useState<string>('needs_assistance');
  const [result, setResult] = useState<{ validUntil: string; feeYen?: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLParagraphElement>(null);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const issued = await api<{ validUntil: string; feeYen?: number }>('/api/v1/certificates', {
        token: props.session.token,
        body: { memberId, reason },
      });
      setResult(issued);
      await props.onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) props.onError(err);
      else setError(err);
    } finally {
      setBusy(false);
    }
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
          value={reason}
          onChange={setReason}
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

function NoticeReissue(props: { session: PortalSession; onError: (e: unknown) => void }) {
  const [cannotUse, setCannotUse] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    setDone(null);
    try {
      const received = await api<{ applicationId: string; state: string; refusalCode?: string | null }>(
        '/api/v1/applications',
        {
          token: props.session.token,
          body: { kind: 'notice_reissue', memberId: props.session.memberId, portalUsable: !cannotUse },
        },
      );
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
