import { t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { M } from './messages.js';
import type { HeadingRef, StepOf, TerminalActions } from './steps.js';

/** How the patient proves the card is theirs: face, PIN, or a staff check of the photo. */
export function IdentityStep(props: {
  step: StepOf<'identity'>;
  heading: HeadingRef;
  setStep: TerminalActions['setStep'];
  reset: () => void;
}) {
  const { step } = props;
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={props.heading}>
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
}
