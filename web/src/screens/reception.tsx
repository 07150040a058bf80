import type { TargetedSubmitEvent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../src/domain/digits.js';
import { isValidInsurerNumber } from '../../../src/domain/insurer-number.js';
import { LEGACY_CARD_LAST_USE_DATE, TEMPORARY_MEASURES } from '../../../src/domain/proofs.js';
import { ApiError, api, OfflineError } from '../api.js';
import { COMMON, dateText, messages, pick, ratioText, relationshipText, sexText, t } from '../i18n.js';
import { Icon, type IconName } from '../icons.js';
import {
  documentFor,
  loadQueue,
  newEntryId,
  type QueueEntry,
  type ShownDocument,
  saveQueue,
  type VerificationAnswer,
} from '../offline-queue.js';
import { ErrorBox, Field, type Session, Shell, TokenGate, useFocusOnChange } from '../ui.js';

const M = messages({
  title: ['窓口 資格確認', 'Reception: eligibility check'],
  intro: [
    '医療機関・薬局の受付端末です。医療機関（provider）のトークンでログインしてください。',
    'The reception terminal of a clinic or pharmacy. Log in with a provider token.',
  ],
  online: ['オンライン', 'Online'],
  offlineStatus: ['オフライン', 'Offline'],
  queued: ['未確認 {n}件', '{n} to re-check'],
  asOfHint: ['過去の日付で再現できます', 'Replay an earlier day'],
  choose: ['お持ちの保険証を選んでください', 'What will you show?'],
  mynaCard: ['マイナ保険証', 'My Number card'],
  mynaCardText: ['マイナンバーカードをカードリーダーに置く', 'Place the My Number card on the reader'],
  smartphone: ['スマホのマイナ保険証', 'Smartphone'],
  smartphoneText: ['スマートフォンをリーダーにかざす', 'Hold the smartphone to the reader'],
  certificate: ['資格確認書', 'Eligibility certificate'],
  certificateText: ['記号・番号を入力して確認', 'Check by the numbers on it'],
  legacyCard: ['健康保険証', 'Health insurance card'],
  legacyCardText: ['{date}まで（経過措置）', 'until {date} (transitional)'],
  insertTitle: ['カードをリーダーに置いてください', 'Place the card on the reader'],
  insertPhoneTitle: ['スマートフォンをリーダーにかざしてください', 'Hold the smartphone to the reader'],
  cardId: ['カードID（カードリーダーの代わり）', 'Card id (stands in for the reader)'],
  cardIdHint: [
    'デモでは `npm start` が表示するカードIDを入力します。',
    'In the demo, type a card id printed by `npm start`.',
  ],
  recentCards: ['最近読み取ったカード', 'Recently read cards'],
  read: ['読み取る', 'Read'],
  cardNotFound: ['カードを読み取れません。置き直してください。', 'The card cannot be read. Place it again.'],
  identityTitle: ['本人確認の方法を選んでください', 'How will you confirm it is you?'],
  face: ['顔認証', 'Face recognition'],
  faceText: ['カメラに顔を向けてください', 'Look at the camera'],
  pin: ['暗証番号', 'PIN'],
  pinText: ['4桁の暗証番号を入力', 'Enter your 4-digit PIN'],
  visual: ['職員が目視で確認', 'Staff visual check'],
  visualText: ['顔写真で職員が確認します', 'Staff compare the photo'],
  faceChecking: ['顔認証中です。カメラを見てください…', 'Checking your face. Look at the camera…'],
  pinTitle: ['暗証番号（4桁）を入力してください', 'Enter your PIN (4 digits)'],
  pinLabel: ['暗証番号', 'PIN'],
  pinWrong: [
    '暗証番号が違います。あと{n}回間違えるとロックされます。',
    'Wrong PIN. {n} more wrong tries lock the card.',
  ],
  pinLastTry: ['暗証番号が違います。次に間違えるとロックされます。', 'Wrong PIN. The next wrong try locks the card.'],
  confirm: ['確定', 'OK'],
  clear: ['訂正', 'Clear'],
  deleteDigit: ['1文字消す', 'Delete a digit'],
  digit: ['数字 {d}', 'Digit {d}'],
  lockedTitle: ['暗証番号がロックされました', 'The PIN is locked'],
  lockedNext: [
    '顔認証または職員の目視で本人確認を続けられます。暗証番号の初期化はお住まいの市区町村窓口で行います。',
    'You can go on with face recognition or a staff check. The PIN is reset at the municipal office.',
  ],
  useFace: ['顔認証で続ける', 'Continue with face recognition'],
  useVisual: ['目視で続ける', 'Continue with a staff check'],
  startOver: ['最初に戻る', 'Start over'],
  consentStep: ['同意の確認 {i} / {n}', 'Consent {i} of {n}'],
  consentMedication: [
    '過去の診療・お薬の情報を、この医療機関・薬局に提供することに同意しますか？',
    'Do you agree to share your past treatment and medication information with this clinic or pharmacy?',
  ],
  consentMedicationText: [
    'より良い医療のために、医師・薬剤師が過去の処方や診療の情報を確認します。',
    'Doctors and pharmacists check your past prescriptions and treatment to care for you better.',
  ],
  consentCheckups: [
    '特定健診などの健診情報を提供することに同意しますか？',
    'Do you agree to share your health check-up results?',
  ],
  consentCheckupsText: ['健診の結果を診療の参考にします。', 'Check-up results help the doctor.'],
  consentLimit: [
    '高額療養費制度の限度額情報を提供することに同意しますか？',
    'Do you agree to share your high-cost medical expense limit?',
  ],
  consentLimitText: [
    '同意すると、窓口での支払いが自己負担限度額までになります（限度額適用認定証は不要です）。',
    'If you agree, you pay at most your monthly limit at the counter (no separate limit certificate needed).',
  ],
  agree: ['同意する', 'I agree'],
  disagree: ['同意しない', 'I do not agree'],
  verifying: ['資格を確認しています…', 'Checking eligibility…'],
  numberTitle: ['{doc}の記号・番号を入力してください', 'Enter the numbers on the {doc}'],
  docCertificate: ['資格確認書', 'eligibility certificate'],
  docLegacy: ['健康保険証', 'health insurance card'],
  insurerHint: ['8桁。最後の1桁は検証番号です。', '8 digits; the last one is a check digit.'],
  insurerNeed8: ['あと{n}桁', '{n} more digits'],
  insurerBad: ['検証番号が合いません。入力を確かめてください。', 'The check digit does not match. Check the number.'],
  insurerOk: ['保険者番号の形式は正しいです', 'The insurer number is well-formed'],
  branchHint: ['2桁（なければ空欄）', '2 digits (leave empty if none)'],
  branchBad: ['枝番は2桁の数字です', 'The branch is 2 digits'],
  check: ['確認する', 'Check'],
  eligible: ['資格あり', 'Eligible'],
  eligibleSub: ['保険診療を受けられます', 'Covered by health insurance'],
  ineligible: ['資格なし', 'Not eligible'],
  ineligibleSub: ['この保険証では保険診療を受けられません', 'Not covered with this proof'],
  notFound: ['資格情報が見つかりません', 'No qualification found'],
  notFoundSub: ['下の案内に沿って対応してください', 'Follow the advice below'],
  ambiguous: ['複数の資格が該当します', 'More than one qualification matches'],
  ambiguousSub: ['保険証の提示を受けて確認してください', 'Ask for a proof to decide'],
  reasons: ['理由・注意', 'Reasons and warnings'],
  fallbacks: ['窓口での対応', 'What to do at the counter'],
  limitNoConsent: ['同意なし（表示しません）', 'not shared (no consent)'],
  limitNone: ['該当なし', 'none'],
  specificDisease: ['特定疾病', 'Specific disease'],
  nextPatient: ['次の方へ', 'Next patient'],
  insurer: ['保険者', 'Insurer'],
  symbolNumber: ['記号・番号・枝番', 'Symbol · number · branch'],
  checkedFor: ['{date} の資格', 'Eligibility on {date}'],
  offlineTitle: ['オンライン資格確認に接続できません', 'The eligibility service cannot be reached'],
  offlineText: [
    '通信障害のため確認できません。患者さんが提示したものを記録して受付してください。回線が戻ると自動で再確認します。',
    'The service is unreachable. Record what the patient shows and register them; the terminal re-checks automatically once the line is back.',
  ],
  shown: ['提示されたもの', 'What the patient showed'],
  shownNotice: ['マイナ保険証＋資格情報のお知らせ', 'My Number card + qualification notice'],
  shownPortal: ['マイナ保険証＋マイナポータルの資格情報画面', 'My Number card + portal eligibility screen'],
  shownCertificate: ['資格確認書', 'Eligibility certificate'],
  shownLegacy: ['健康保険証', 'Health insurance card'],
  transcribe: ['記載されている内容', 'What it says'],
  nameOptional: ['氏名（控え）', 'Name (for the list)'],
  record: ['記録して受付する', 'Record and register'],
  recorded: [
    '記録しました。回線が戻り次第、自動で再確認します。',
    'Recorded. It is re-checked as soon as the line is back.',
  ],
  queueTitle: ['通信障害中の受付記録', 'Registered while offline'],
  queueEmpty: ['記録はありません', 'Nothing recorded'],
  recheckNow: ['今すぐ再確認', 'Re-check now'],
  clearDone: ['確認済みを消去', 'Clear confirmed'],
  colTime: ['受付', 'Registered'],
  colShown: ['提示', 'Shown'],
  colNumbers: ['記号・番号', 'Numbers'],
  colStatus: ['再確認', 'Re-check'],
  statusPending: ['確認待ち', 'waiting'],
  statusConfirmed: ['資格あり（確認済み）', 'eligible (confirmed)'],
  statusFlagged: ['要対応：資格を確認できません', 'Action needed: not confirmed'],
  flaggedAlert: [
    '再確認で資格を確認できなかった受付が{n}件あります。患者さんへの連絡・療養費の扱いを確認してください。',
    '{n} registration(s) could not be confirmed on re-check. Contact the patient and settle the payment.',
  ],
  back: ['戻る', 'Back'],
});

type CardMethod = 'card' | 'smartphone';
type DocumentMethod = 'certificate' | 'legacy_card';
interface Signed {
  certificate: string;
  signature: string;
  challenge: string;
}
type Consent = { medication: boolean; healthCheckups: boolean; limitInfo: boolean };
type Step =
  | { kind: 'choose' }
  | { kind: 'insert'; method: CardMethod; error?: unknown }
  | { kind: 'identity'; method: CardMethod; cardId: string; challenge: string }
  | { kind: 'pin'; method: CardMethod; cardId: string; challenge: string; remaining?: number; error?: unknown }
  | { kind: 'face'; method: CardMethod; cardId: string; challenge: string; identity: 'face' | 'visual' }
  | { kind: 'locked'; method: CardMethod; cardId: string; challenge: string; message: string }
  | { kind: 'consent'; signed: Signed; identity: 'face' | 'pin' | 'visual'; index: number; consent: Consent }
  | { kind: 'number'; document: DocumentMethod; error?: unknown }
  | { kind: 'verifying' }
  | { kind: 'result'; answer: VerificationAnswer; asOf: string; limitConsent: boolean }
  | { kind: 'offline'; shown: ShownDocument; prefill?: Partial<NumberForm> };

interface NumberForm {
  insurerNumber: string;
  symbol: string;
  number: string;
  branch: string;
  birthDate: string;
}

/** The last day a 健康保険証 can be shown at all: its end of use or the last dated measure, whichever is later. */
const LEGACY_LAST_DAY = TEMPORARY_MEASURES.filter((m) => m.code === 'LEGACY_CARD_TEMPORARY_MEASURE')
  .map((m) => m.until)
  .reduce((a, b) => (a > b ? a : b), LEGACY_CARD_LAST_USE_DATE);

const RECENT_CARDS = 'shikaku.reception.cards';

function recentCards(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(RECENT_CARDS) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function rememberCard(cardId: string): void {
  const next = [cardId, ...recentCards().filter((c) => c !== cardId)].slice(0, 8);
  localStorage.setItem(RECENT_CARDS, JSON.stringify(next));
}

export function ReceptionScreen() {
  return (
    <TokenGate screen="reception" roles={['provider']} title={t(M.title)} kind="reception" intro={t(M.intro)}>
      {(session, logout) => <Terminal session={session} logout={logout} />}
    </TokenGate>
  );
}

function Terminal({ session, logout }: { session: Session; logout: () => void }) {
  const [asOf, setAsOf] = useState(session.who.today);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [online, setOnline] = useState(true);
  const [queue, setQueue] = useState<QueueEntry[]>(loadQueue);
  const [notice, setNotice] = useState<string | null>(null);
  const token = session.token;

  const updateQueue = useCallback((next: QueueEntry[]) => {
    saveQueue(next);
    setQueue(next);
  }, []);

  const call = useCallback(
    async <T,>(path: string, body?: unknown): Promise<T> => {
      try {
        const answer = await api<T>(path, { token, body });
        setOnline(true);
        return answer;
      } catch (e) {
        if (e instanceof OfflineError) setOnline(false);
        else setOnline(true);
        throw e;
      }
    },
    [token],
  );

  // Re-verify what was registered offline, for the day of each visit, once the hub answers again.
  const busy = useRef(false);
  const recheck = useCallback(async () => {
    if (busy.current) return;
    busy.current = true;
    try {
      let current = loadQueue();
      const pending = current.filter((e) => e.status === 'pending');
      if (pending.length === 0) {
        if (!online)
          await api('/healthz').then(
            () => setOnline(true),
            () => setOnline(false),
          );
        return;
      }
      for (const entry of pending) {
        let answer: VerificationAnswer;
        try {
          answer = await api<VerificationAnswer>('/api/v1/verifications', {
            token,
            body: {
              method: 'number',
              asOf: entry.asOf,
              document: documentFor(entry.shown),
              insurerNumber: entry.insurerNumber,
              symbol: entry.symbol,
              number: entry.number,
              ...(entry.branch ? { branch: entry.branch } : {}),
              birthDate: entry.birthDate,
            },
          });
        } catch (e) {
          if (e instanceof OfflineError) {
            setOnline(false);
            return;
          }
          // A refused request (bad numbers typed while offline) cannot be confirmed: flag it.
          const problem = e instanceof ApiError ? e.problem : null;
          answer = {
            outcome: 'not_found',
            reasons: problem ? [{ code: problem.code, ja: problem.ja, en: problem.en }] : [],
            fallbacks: [],
            qualification: null,
            verificationId: '',
          };
        }
        setOnline(true);
        current = loadQueue().map((q) =>
          q.id === entry.id
            ? {
                ...q,
                status: answer.outcome === 'eligible' ? 'confirmed' : 'flagged',
                checkedAt: new Date().toISOString(),
                outcome: answer.outcome,
                reasons: answer.reasons,
                fallbacks: answer.fallbacks,
                verificationId: answer.verificationId,
              }
            : q,
        );
        updateQueue(current);
      }
    } finally {
      busy.current = false;
    }
  }, [token, online, updateQueue]);

  useEffect(() => {
    const timer = setInterval(() => void recheck(), 3000);
    const onOnline = () => void recheck();
    window.addEventListener('online', onOnline);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', onOnline);
    };
  }, [recheck]);

  const reset = () => {
    setNotice(null);
    setStep({ kind: 'choose' });
  };

  /** Any failure to reach the hub during a check leads to the offline record. */
  const failed = (e: unknown, shown: ShownDocument, prefill?: Partial<NumberForm>): boolean => {
    if (e instanceof OfflineError) {
      setStep({ kind: 'offline', shown, ...(prefill ? { prefill } : {}) });
      return true;
    }
    return false;
  };

  const insert = async (method: CardMethod, cardId: string) => {
    try {
      const { challenge } = await call<{ challenge: string }>('/api/v1/verifications/challenge');
      rememberCard(cardId);
      setStep({ kind: 'identity', method, cardId, challenge });
    } catch (e) {
      if (!failed(e, 'notice')) setStep({ kind: 'insert', method, error: e });
    }
  };

  const sign = async (
    from: { method: CardMethod; cardId: string; challenge: string },
    identity: 'face' | 'pin' | 'visual',
    pin?: string,
  ) => {
    // Only the card's identity travels on: `from` may be any step carrying it.
    const card = { method: from.method, cardId: from.cardId, challenge: from.challenge };
    try {
      const signed = await call<{ certificate: string; signature: string }>(
        `/api/v1/cards/${encodeURIComponent(from.cardId)}:sign`,
        { challenge: from.challenge, ...(pin ? { pin } : {}) },
      );
      setStep({
        kind: 'consent',
        // Only what the hub needs: the chip's answer also names the certificate serial.
        signed: { certificate: signed.certificate, signature: signed.signature, challenge: from.challenge },
        identity,
        index: 0,
        consent: { medication: false, healthCheckups: false, limitInfo: false },
      });
    } catch (e) {
      if (failed(e, 'notice')) return;
      if (e instanceof ApiError && e.code === 'CARD_PIN_WRONG') {
        setStep({ ...card, kind: 'pin', remaining: Number(e.problem.remainingTries ?? 0) });
      } else if (e instanceof ApiError && e.code === 'CARD_PIN_LOCKED') {
        setStep({ ...card, kind: 'locked', message: pick(e.problem) });
      } else if (identity === 'pin') {
        setStep({ ...card, kind: 'pin', error: e });
      } else {
        setStep({ kind: 'insert', method: card.method, error: e });
      }
    }
  };

  const verifyCard = async (signed: Signed, identity: 'face' | 'pin' | 'visual', consent: Consent) => {
    setStep({ kind: 'verifying' });
    try {
      const answer = await call<VerificationAnswer>('/api/v1/verifications', {
        method: 'card',
        asOf,
        card: signed,
        identityCheck: identity,
        consent,
      });
      setStep({ kind: 'result', answer, asOf, limitConsent: consent.limitInfo });
    } catch (e) {
      if (!failed(e, 'notice')) {
        setNotice(null);
        setStep({ kind: 'insert', method: 'card', error: e });
      }
    }
  };

  const verifyNumber = async (document: DocumentMethod, form: NumberForm) => {
    setStep({ kind: 'verifying' });
    try {
      const answer = await call<VerificationAnswer>('/api/v1/verifications', {
        method: 'number',
        asOf,
        document,
        insurerNumber: normalizeDigitInput(form.insurerNumber),
        symbol: form.symbol.trim(),
        number: form.number.trim(),
        ...(form.branch.trim() ? { branch: normalizeDigitInput(form.branch) } : {}),
        birthDate: form.birthDate,
      });
      setStep({ kind: 'result', answer, asOf, limitConsent: false });
    } catch (e) {
      if (!failed(e, document, form)) setStep({ kind: 'number', document, error: e });
    }
  };

  const record = (shown: ShownDocument, form: NumberForm, name: string) => {
    const entry: QueueEntry = {
      id: newEntryId(),
      recordedAt: new Date().toISOString(),
      asOf,
      shown,
      insurerNumber: normalizeDigitInput(form.insurerNumber),
      symbol: form.symbol.trim(),
      number: form.number.trim(),
      branch: normalizeDigitInput(form.branch),
      birthDate: form.birthDate,
      name: name.trim(),
      status: 'pending',
    };
    updateQueue([...loadQueue(), entry]);
    setNotice(t(M.recorded));
    setStep({ kind: 'choose' });
  };

  const pending = queue.filter((e) => e.status === 'pending').length;
  const status = (
    <span class={online ? 'pill good' : 'pill bad'} role="status">
      <span aria-hidden="true">{online ? '●' : '▲'}</span> {online ? t(M.online) : t(M.offlineStatus)}
      {pending > 0 && <> · {t(M.queued, { n: pending })}</>}
    </span>
  );

  return (
    <Shell title={t(M.title)} kind="reception" onLogout={logout} status={status}>
      <div class="toolbar">
        <label class="inline">
          {t(COMMON.asOf)}
          <input
            type="date"
            value={asOf}
            onInput={(e) => setAsOf((e.currentTarget as HTMLInputElement).value || session.who.today)}
            aria-describedby="asof-hint"
          />
        </label>
        <span id="asof-hint" class="hint">
          {t(M.asOfHint)}
        </span>
      </div>
      {notice && step.kind === 'choose' && (
        <p class="alert good" role="status">
          {notice}
        </p>
      )}
      <div class="terminal">
        <StepView
          step={step}
          asOf={asOf}
          setStep={setStep}
          reset={reset}
          insert={insert}
          sign={sign}
          verifyCard={verifyCard}
          verifyNumber={verifyNumber}
          record={record}
        />
      </div>
      <QueuePanel
        queue={queue}
        onRecheck={() => void recheck()}
        onClear={() => updateQueue(queue.filter((e) => e.status !== 'confirmed'))}
      />
    </Shell>
  );
}

interface StepProps {
  step: Step;
  asOf: string;
  setStep: (step: Step) => void;
  reset: () => void;
  insert: (method: CardMethod, cardId: string) => Promise<void>;
  sign: (
    from: { method: CardMethod; cardId: string; challenge: string },
    identity: 'face' | 'pin' | 'visual',
    pin?: string,
  ) => Promise<void>;
  verifyCard: (signed: Signed, identity: 'face' | 'pin' | 'visual', consent: Consent) => Promise<void>;
  verifyNumber: (document: DocumentMethod, form: NumberForm) => Promise<void>;
  record: (shown: ShownDocument, form: NumberForm, name: string) => void;
}

function StepView(props: StepProps) {
  const { step } = props;
  const stepKey = step.kind === 'consent' ? `consent-${step.index}` : step.kind;
  const heading = useFocusOnChange<HTMLHeadingElement>(stepKey);
  switch (step.kind) {
    case 'choose':
      return <Choose asOf={props.asOf} setStep={props.setStep} heading={heading} />;
    case 'insert':
      return <Insert step={step} heading={heading} insert={props.insert} reset={props.reset} />;
    case 'identity':
      return (
        <section class="step">
          <h1 tabIndex={-1} ref={heading}>
            {t(M.identityTitle)}
          </h1>
          <div class="big-choices two">
            <button
              type="button"
              class="big-choice"
              onClick={() => props.setStep({ ...step, kind: 'face', identity: 'face' })}
            >
              <span class="choice-icon" aria-hidden="true">
                <Icon name="face" size={44} />
              </span>
              <span class="choice-title">{t(M.face)}</span>
              <span class="choice-text">{t(M.faceText)}</span>
            </button>
            <button type="button" class="big-choice" onClick={() => props.setStep({ ...step, kind: 'pin' })}>
              <span class="choice-icon" aria-hidden="true">
                <Icon name="keypad" size={44} />
              </span>
              <span class="choice-title">{t(M.pin)}</span>
              <span class="choice-text">{t(M.pinText)}</span>
            </button>
          </div>
          <div class="row">
            <button
              type="button"
              class="secondary"
              onClick={() => props.setStep({ ...step, kind: 'face', identity: 'visual' })}
            >
              {t(M.visual)} — {t(M.visualText)}
            </button>
            <button type="button" class="ghost" onClick={props.reset}>
              {t(M.startOver)}
            </button>
          </div>
        </section>
      );
    case 'face':
      return <FaceCheck step={step} heading={heading} sign={props.sign} />;
    case 'pin':
      return <PinPad step={step} heading={heading} sign={props.sign} reset={props.reset} />;
    case 'locked':
      return (
        <section class="step">
          <div class="banner bad" role="alert">
            <span class="banner-icon" aria-hidden="true">
              <Icon name="lock" size={44} />
            </span>
            <div>
              <h1 tabIndex={-1} ref={heading}>
                {t(M.lockedTitle)}
              </h1>
              <p>{step.message}</p>
            </div>
          </div>
          <p>{t(M.lockedNext)}</p>
          <div class="row">
            <button
              type="button"
              class="primary"
              onClick={() => props.setStep({ ...step, kind: 'face', identity: 'face' })}
            >
              {t(M.useFace)}
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => props.setStep({ ...step, kind: 'face', identity: 'visual' })}
            >
              {t(M.useVisual)}
            </button>
            <button type="button" class="ghost" onClick={props.reset}>
              {t(M.startOver)}
            </button>
          </div>
        </section>
      );
    case 'consent':
      return <ConsentStep step={step} heading={heading} setStep={props.setStep} verifyCard={props.verifyCard} />;
    case 'number':
      return <NumberEntry step={step} heading={heading} verifyNumber={props.verifyNumber} reset={props.reset} />;
    case 'verifying':
      return (
        <section class="step center" aria-busy="true">
          <div class="spinner" aria-hidden="true" />
          <h1 tabIndex={-1} ref={heading}>
            {t(M.verifying)}
          </h1>
        </section>
      );
    case 'result':
      return <Result step={step} heading={heading} reset={props.reset} />;
    case 'offline':
      return <OfflineRecord step={step} heading={heading} record={props.record} reset={props.reset} />;
  }
}

type HeadingRef = ReturnType<typeof useFocusOnChange<HTMLHeadingElement>>;

function Choose({ asOf, setStep, heading }: { asOf: string; setStep: (s: Step) => void; heading: HeadingRef }) {
  const legacy = asOf <= LEGACY_LAST_DAY;
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {t(M.choose)}
      </h1>
      <div class={`big-choices ${legacy ? 'four' : 'three'}`}>
        <BigChoice
          icon="card"
          title={t(M.mynaCard)}
          text={t(M.mynaCardText)}
          primary
          onClick={() => setStep({ kind: 'insert', method: 'card' })}
        />
        <BigChoice
          icon="phone"
          title={t(M.smartphone)}
          text={t(M.smartphoneText)}
          onClick={() => setStep({ kind: 'insert', method: 'smartphone' })}
        />
        <BigChoice
          icon="document"
          title={t(M.certificate)}
          text={t(M.certificateText)}
          onClick={() => setStep({ kind: 'number', document: 'certificate' })}
        />
        {legacy && (
          <BigChoice
            icon="legacy"
            title={t(M.legacyCard)}
            text={t(M.legacyCardText, { date: dateText(LEGACY_LAST_DAY) })}
            onClick={() => setStep({ kind: 'number', document: 'legacy_card' })}
          />
        )}
      </div>
    </section>
  );
}

/** One proof the patient can show: a big button with its icon, name and how it is read. */
function BigChoice(props: { icon: IconName; title: string; text: string; primary?: boolean; onClick: () => void }) {
  return (
    <button type="button" class={`big-choice${props.primary ? ' primary-choice' : ''}`} onClick={props.onClick}>
      <span class="choice-icon" aria-hidden="true">
        <Icon name={props.icon} size={44} />
      </span>
      <span class="choice-title">{props.title}</span>
      <span class="choice-text">{props.text}</span>
    </button>
  );
}

function Insert(props: {
  step: Extract<Step, { kind: 'insert' }>;
  heading: HeadingRef;
  insert: (method: CardMethod, cardId: string) => Promise<void>;
  reset: () => void;
}) {
  const [cardId, setCardId] = useState('');
  const [busy, setBusy] = useState(false);
  const recent = recentCards();
  const go = async (id: string) => {
    if (!id.trim()) return;
    setBusy(true);
    await props.insert(props.step.method, id.trim());
    setBusy(false);
  };
  const error = props.step.error;
  const notFound = error instanceof ApiError && error.code === 'CARD_NOT_FOUND';
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={props.heading}>
        {props.step.method === 'card' ? t(M.insertTitle) : t(M.insertPhoneTitle)}
      </h1>
      <div class="reader" aria-hidden="true">
        <div class={props.step.method === 'card' ? 'reader-card' : 'reader-phone'} />
      </div>
      <form
        class="stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void go(cardId);
        }}
      >
        <Field label={t(M.cardId)} value={cardId} onInput={setCardId} hint={t(M.cardIdHint)} name="cardId" required />
        {notFound ? (
          <p class="alert bad" role="alert">
            {t(M.cardNotFound)}
          </p>
        ) : (
          <ErrorBox error={error} />
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {t(M.read)}
          </button>
          <button type="button" class="ghost" onClick={props.reset}>
            {t(M.back)}
          </button>
        </div>
      </form>
      {recent.length > 0 && (
        <div class="recent">
          <h2>{t(M.recentCards)}</h2>
          <ul class="chips">
            {recent.map((id) => (
              <li key={id}>
                <button type="button" class="chip" onClick={() => void go(id)}>
                  {id.slice(0, 8)}…<span class="sr-only">{id}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function FaceCheck(props: { step: Extract<Step, { kind: 'face' }>; heading: HeadingRef; sign: StepProps['sign'] }) {
  const { step } = props;
  useEffect(() => {
    // The reader's camera matches the face to the card's photo; the chip then signs without a PIN.
    const timer = setTimeout(() => void props.sign(step, step.identity), 500);
    return () => clearTimeout(timer);
  }, []);
  return (
    <section class="step center" aria-busy="true">
      <div class="face-frame" aria-hidden="true">
        <Icon name={step.identity === 'face' ? 'face' : 'eye'} size={72} />
      </div>
      <h1 tabIndex={-1} ref={props.heading}>
        {step.identity === 'face' ? t(M.faceChecking) : t(M.visualText)}
      </h1>
    </section>
  );
}

function PinPad(props: {
  step: Extract<Step, { kind: 'pin' }>;
  heading: HeadingRef;
  sign: StepProps['sign'];
  reset: () => void;
}) {
  const { step } = props;
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, [step.remaining, step.error]);
  const press = (d: string) => setPin((p) => (p.length < 4 ? p + d : p));
  const submit = async () => {
    if (pin.length !== 4 || busy) return;
    setBusy(true);
    await props.sign(step, 'pin', pin);
    // Cleared in the same update as the answer, so the next try starts from an empty pad.
    setPin('');
    setBusy(false);
  };
  const onSubmit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    void submit();
  };
  const remaining = step.remaining;
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={props.heading}>
        {t(M.pinTitle)}
      </h1>
      {remaining !== undefined && (
        <p class="alert bad" role="alert">
          {remaining <= 1 ? t(M.pinLastTry) : t(M.pinWrong, { n: remaining })}
        </p>
      )}
      <ErrorBox error={step.error} />
      <form class="pinpad" onSubmit={onSubmit}>
        <label for="pin-input" class="sr-only">
          {t(M.pinLabel)}
        </label>
        <input
          id="pin-input"
          ref={input}
          class="pin-display"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={4}
          value={pin}
          onInput={(e) =>
            setPin(
              normalizeDigitInput((e.currentTarget as HTMLInputElement).value)
                .replace(/\D/g, '')
                .slice(0, 4),
            )
          }
        />
        <div class="pin-dots" aria-hidden="true">
          {[0, 1, 2, 3].map((i) => (
            <span key={i} class={i < pin.length ? 'dot on' : 'dot'} />
          ))}
        </div>
        <div class="keys">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
            <button key={d} type="button" class="key" aria-label={t(M.digit, { d })} onClick={() => press(d)}>
              {d}
            </button>
          ))}
          <button type="button" class="key key-fn" onClick={() => setPin('')}>
            {t(M.clear)}
          </button>
          <button type="button" class="key" aria-label={t(M.digit, { d: '0' })} onClick={() => press('0')}>
            0
          </button>
          <button type="submit" class="key key-ok" disabled={pin.length !== 4 || busy}>
            {t(M.confirm)}
          </button>
        </div>
      </form>
      <div class="row">
        <button type="button" class="ghost" onClick={props.reset}>
          {t(M.startOver)}
        </button>
      </div>
    </section>
  );
}

const CONSENTS = [
  { key: 'medication', question: M.consentMedication, text: M.consentMedicationText },
  { key: 'healthCheckups', question: M.consentCheckups, text: M.consentCheckupsText },
  { key: 'limitInfo', question: M.consentLimit, text: M.consentLimitText },
] as const;

function ConsentStep(props: {
  step: Extract<Step, { kind: 'consent' }>;
  heading: HeadingRef;
  setStep: (s: Step) => void;
  verifyCard: StepProps['verifyCard'];
}) {
  const { step } = props;
  const item = CONSENTS[step.index];
  if (!item) return null;
  const answer = (value: boolean) => {
    const consent = { ...step.consent, [item.key]: value };
    if (step.index + 1 < CONSENTS.length) props.setStep({ ...step, index: step.index + 1, consent });
    else void props.verifyCard(step.signed, step.identity, consent);
  };
  return (
    <section class="step consent">
      <p class="step-count">{t(M.consentStep, { i: step.index + 1, n: CONSENTS.length })}</p>
      <h1 tabIndex={-1} ref={props.heading}>
        {t(item.question)}
      </h1>
      <p class="lead">{t(item.text)}</p>
      <div class="big-choices two">
        <button type="button" class="big-choice agree" onClick={() => answer(true)}>
          <span class="choice-title">{t(M.agree)}</span>
        </button>
        <button type="button" class="big-choice disagree" onClick={() => answer(false)}>
          <span class="choice-title">{t(M.disagree)}</span>
        </button>
      </div>
    </section>
  );
}

/** The 保険者番号 check as the clerk types: how many digits are missing, or whether the check digit fits. */
function insurerNumberFeedback(value: string): { error: string | null; ok: string | null } {
  const digits = normalizeDigitInput(value);
  if (digits === '') return { error: null, ok: null };
  if (!/^\d*$/.test(digits)) return { error: t(M.insurerBad), ok: null };
  if (digits.length < 8) return { error: null, ok: null };
  if (digits.length > 8 || !isValidInsurerNumber(digits)) return { error: t(M.insurerBad), ok: null };
  return { error: null, ok: `✓ ${t(M.insurerOk)}` };
}

function NumberEntry(props: {
  step: Extract<Step, { kind: 'number' }>;
  heading: HeadingRef;
  verifyNumber: StepProps['verifyNumber'];
  reset: () => void;
}) {
  const [form, setForm] = useState<NumberForm>({
    insurerNumber: '',
    symbol: '',
    number: '',
    branch: '',
    birthDate: '',
  });
  const set = (key: keyof NumberForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const insurer = insurerNumberFeedback(form.insurerNumber);
  const digits = normalizeDigitInput(form.insurerNumber);
  const missing = digits.length > 0 && digits.length < 8 && /^\d+$/.test(digits) ? 8 - digits.length : 0;
  const branchBad = form.branch.trim() !== '' && !/^\d{2}$/.test(normalizeDigitInput(form.branch));
  const ready = insurer.ok !== null && form.symbol.trim() && form.number.trim() && form.birthDate && !branchBad;
  const docName = props.step.document === 'certificate' ? t(M.docCertificate) : t(M.docLegacy);
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={props.heading}>
        {t(M.numberTitle, { doc: docName })}
      </h1>
      <form
        class="number-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) void props.verifyNumber(props.step.document, form);
        }}
      >
        <Field
          label={t(COMMON.insurerNumber)}
          value={form.insurerNumber}
          onInput={set('insurerNumber')}
          inputMode="numeric"
          maxLength={12}
          required
          name="insurerNumber"
          hint={missing ? `${t(M.insurerHint)} ${t(M.insurerNeed8, { n: missing })}` : t(M.insurerHint)}
          error={insurer.error}
          ok={insurer.ok}
          class="wide"
        />
        <Field label={t(COMMON.symbol)} value={form.symbol} onInput={set('symbol')} required name="symbol" />
        <Field label={t(COMMON.number)} value={form.number} onInput={set('number')} required name="number" />
        <Field
          label={t(COMMON.branch)}
          value={form.branch}
          onInput={set('branch')}
          inputMode="numeric"
          maxLength={2}
          name="branch"
          hint={t(M.branchHint)}
          error={branchBad ? t(M.branchBad) : null}
        />
        <Field
          label={t(COMMON.birthDate)}
          value={form.birthDate}
          onInput={set('birthDate')}
          type="date"
          required
          name="birthDate"
        />
        <div class="wide">
          <ErrorBox error={props.step.error} />
        </div>
        <div class="row wide">
          <button type="submit" class="primary" disabled={!ready}>
            {t(M.check)}
          </button>
          <button type="button" class="ghost" onClick={props.reset}>
            {t(M.back)}
          </button>
        </div>
      </form>
    </section>
  );
}

const OUTCOME = {
  eligible: { title: M.eligible, sub: M.eligibleSub, tone: 'good', icon: 'check' },
  ineligible: { title: M.ineligible, sub: M.ineligibleSub, tone: 'bad', icon: 'cross' },
  not_found: { title: M.notFound, sub: M.notFoundSub, tone: 'bad', icon: 'question' },
  ambiguous: { title: M.ambiguous, sub: M.ambiguousSub, tone: 'warn', icon: 'bang' },
} as const;

function Result(props: { step: Extract<Step, { kind: 'result' }>; heading: HeadingRef; reset: () => void }) {
  const { answer, asOf, limitConsent } = props.step;
  const o = OUTCOME[answer.outcome];
  const q = answer.qualification;
  return (
    <section class="step result">
      <div class={`banner ${o.tone}`} role="status" data-outcome={answer.outcome}>
        <span class="banner-icon" aria-hidden="true">
          <Icon name={o.icon} size={40} />
        </span>
        <div>
          <h1 tabIndex={-1} ref={props.heading}>
            {t(o.title)}
          </h1>
          <p>
            {t(o.sub)} · {t(M.checkedFor, { date: dateText(asOf) })}
          </p>
        </div>
      </div>
      {q && (
        <div class="qualification">
          <div class="who">
            <p class="kana">{q.nameKana}</p>
            <p class="person-name">{q.name}</p>
            <p class="meta">
              {dateText(q.birthDate)} · {sexText(q.sex)} · {relationshipText(q.relationship)}
            </p>
          </div>
          <div class="ratio">
            <span class="ratio-label">{t(COMMON.burdenRatio)}</span>
            <span class="ratio-value">{ratioText(q.burdenRatio)}</span>
          </div>
          <dl class="facts">
            <div>
              <dt>{t(M.symbolNumber)}</dt>
              <dd class="mono big">
                {q.symbol}・{q.number}・{q.branch}
              </dd>
            </div>
            <div>
              <dt>{t(M.insurer)}</dt>
              <dd>
                {q.insurerName} <span class="mono nowrap">（{q.insurerNumber}）</span>
              </dd>
            </div>
            <div>
              <dt>{t(COMMON.limitCategory)}</dt>
              <dd>{q.limitCategory ?? (limitConsent ? t(M.limitNone) : t(M.limitNoConsent))}</dd>
            </div>
            <div>
              <dt>{t(COMMON.acquiredOn)}</dt>
              <dd>
                {dateText(q.acquiredOn)}
                {q.lostOn && (
                  <>
                    {' '}
                    → {t(COMMON.lostOn)} {dateText(q.lostOn)}
                  </>
                )}
              </dd>
            </div>
            {q.specificDisease.length > 0 && (
              <div>
                <dt>{t(M.specificDisease)}</dt>
                <dd>
                  {q.specificDisease.map((d) => `${d.category} (${d.monthlyLimitYen.toLocaleString()}円)`).join('、')}
                </dd>
              </div>
            )}
          </dl>
        </div>
      )}
      {answer.reasons.length > 0 && (
        <div class={`notes ${answer.outcome === 'eligible' ? 'warn' : 'bad'}`}>
          <h2>{t(M.reasons)}</h2>
          <ul>
            {answer.reasons.map((r) => (
              <li key={r.code}>
                {pick(r)} <code class="code">{r.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {answer.fallbacks.length > 0 && (
        <div class="notes info">
          <h2>{t(M.fallbacks)}</h2>
          <ul>
            {answer.fallbacks.map((f) => (
              <li key={f.code}>
                {pick(f)} <code class="code">{f.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="row">
        <button type="button" class="primary big-button" onClick={props.reset}>
          {t(M.nextPatient)}
        </button>
      </div>
    </section>
  );
}

const SHOWN: Array<{ value: ShownDocument; label: typeof M.shownNotice }> = [
  { value: 'notice', label: M.shownNotice },
  { value: 'portal', label: M.shownPortal },
  { value: 'certificate', label: M.shownCertificate },
  { value: 'legacy_card', label: M.shownLegacy },
];

function OfflineRecord(props: {
  step: Extract<Step, { kind: 'offline' }>;
  heading: HeadingRef;
  record: StepProps['record'];
  reset: () => void;
}) {
  const [shown, setShown] = useState<ShownDocument>(props.step.shown);
  const [form, setForm] = useState<NumberForm>({
    insurerNumber: '',
    symbol: '',
    number: '',
    branch: '',
    birthDate: '',
    ...props.step.prefill,
  });
  const [name, setName] = useState('');
  const set = (key: keyof NumberForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const insurer = insurerNumberFeedback(form.insurerNumber);
  const ready = insurer.ok !== null && form.symbol.trim() && form.number.trim() && form.birthDate;
  return (
    <section class="step">
      <div class="banner warn" role="alert">
        <span class="banner-icon" aria-hidden="true">
          <Icon name="plug" size={44} />
        </span>
        <div>
          <h1 tabIndex={-1} ref={props.heading}>
            {t(M.offlineTitle)}
          </h1>
          <p>{t(M.offlineText)}</p>
        </div>
      </div>
      <form
        class="number-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) props.record(shown, form, name);
        }}
      >
        <fieldset class="wide">
          <legend>{t(M.shown)}</legend>
          <div class="radios">
            {SHOWN.map((s) => (
              <label key={s.value} class="radio">
                <input
                  type="radio"
                  name="shown"
                  value={s.value}
                  checked={shown === s.value}
                  onChange={() => setShown(s.value)}
                />
                {t(s.label)}
              </label>
            ))}
          </div>
        </fieldset>
        <h2 class="wide">{t(M.transcribe)}</h2>
        <Field
          label={t(COMMON.insurerNumber)}
          value={form.insurerNumber}
          onInput={set('insurerNumber')}
          inputMode="numeric"
          required
          name="insurerNumber"
          error={insurer.error}
          ok={insurer.ok}
          class="wide"
        />
        <Field label={t(COMMON.symbol)} value={form.symbol} onInput={set('symbol')} required name="symbol" />
        <Field label={t(COMMON.number)} value={form.number} onInput={set('number')} required name="number" />
        <Field
          label={t(COMMON.branch)}
          value={form.branch}
          onInput={set('branch')}
          inputMode="numeric"
          maxLength={2}
          name="branch"
        />
        <Field
          label={t(COMMON.birthDate)}
          value={form.birthDate}
          onInput={set('birthDate')}
          type="date"
          required
          name="birthDate"
        />
        <Field label={t(M.nameOptional)} value={name} onInput={setName} name="name" class="wide" />
        <div class="row wide">
          <button type="submit" class="primary" disabled={!ready}>
            {t(M.record)}
          </button>
          <button type="button" class="ghost" onClick={props.reset}>
            {t(M.startOver)}
          </button>
        </div>
      </form>
    </section>
  );
}

const SHOWN_LABEL: Record<ShownDocument, typeof M.shownNotice> = {
  notice: M.shownNotice,
  portal: M.shownPortal,
  certificate: M.shownCertificate,
  legacy_card: M.shownLegacy,
};

function QueuePanel(props: { queue: QueueEntry[]; onRecheck: () => void; onClear: () => void }) {
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
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(M.colTime)}</th>
              <th scope="col">{t(M.colShown)}</th>
              <th scope="col">{t(M.colNumbers)}</th>
              <th scope="col">{t(COMMON.name)}</th>
              <th scope="col">{t(M.colStatus)}</th>
            </tr>
          </thead>
          <tbody>
            {props.queue.map((e) => (
              <tr
                key={e.id}
                class={e.status === 'flagged' ? 'row-bad' : e.status === 'confirmed' ? 'row-good' : ''}
                data-status={e.status}
              >
                <td>
                  {dateText(e.asOf)}{' '}
                  {new Date(e.recordedAt).toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' })}
                </td>
                <td>{t(SHOWN_LABEL[e.shown])}</td>
                <td class="mono">
                  {e.insurerNumber} {e.symbol}・{e.number}
                  {e.branch ? `・${e.branch}` : ''}
                </td>
                <td>{e.name || '—'}</td>
                <td>
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
