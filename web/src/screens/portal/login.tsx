import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import type { PortalSession } from '../../answers.js';
import { ApiError, call } from '../../api.js';
import { t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { ErrorBox, Field, useFocusOnChange } from '../../ui.js';
import { M } from './messages.js';

const RECENT = 'shikaku.portal.card';

/** Log in with the card: read it (its id stands in for the reader), then its PIN; the card signs a challenge. */
export function Login(props: { onLogin: (s: PortalSession) => void; notice: string | null }) {
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
      const { challenge } = await call('GET /api/v1/me/challenge');
      const signed = await call('POST /api/v1/me/card:sign', {
        body: { cardId: cardId.trim(), challenge, pin },
      });
      const session = await call('POST /api/v1/me/session', {
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
