import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import { t } from '../../i18n.js';
import { ErrorBox } from '../../ui.js';
import { M } from './messages.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/** The 4-digit PIN on a keypad (or the keyboard); a wrong PIN says how many tries are left. */
export function PinPad({ step, heading, actions }: StepProps<'pin'>) {
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
    await actions.sign(step, 'pin', pin);
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
      <h1 tabIndex={-1} ref={heading}>
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
        <ResetButton reset={actions.reset} label="startOver" />
      </div>
    </section>
  );
}
