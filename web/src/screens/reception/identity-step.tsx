import { t } from '../../i18n.js';
import { BigChoice } from './big-choice.js';
import { M } from './messages.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/** How the patient proves the card is theirs: face, PIN, or a staff check of the photo. */
export function IdentityStep({ step, heading, actions }: StepProps<'identity'>) {
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {t(M.identityTitle)}
      </h1>
      <div class="big-choices two">
        <BigChoice
          icon="face"
          title={t(M.face)}
          text={t(M.faceText)}
          onClick={() => actions.setStep({ ...step, kind: 'face', identity: 'face' })}
        />
        <BigChoice
          icon="keypad"
          title={t(M.pin)}
          text={t(M.pinText)}
          onClick={() => actions.setStep({ ...step, kind: 'pin' })}
        />
      </div>
      <div class="row">
        <button
          type="button"
          class="secondary"
          onClick={() => actions.setStep({ ...step, kind: 'face', identity: 'visual' })}
        >
          {t(M.visual)} — {t(M.visualText)}
        </button>
        <ResetButton reset={actions.reset} label="startOver" />
      </div>
    </section>
  );
}
