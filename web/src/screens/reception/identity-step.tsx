import { type CardReader, identityCheckAllowed } from '../../../../src/domain/readers.js';
import { t } from '../../i18n.js';
import { BigChoice } from './big-choice.js';
import { M } from './messages.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/**
 * How the patient proves the card is theirs: face, PIN, or a staff check of the photo. A generic
 * reader has no camera, so there only the PIN or the staff check (seed 001 Q5).
 */
export function IdentityStep({ step, reader, heading, actions }: StepProps<'identity'> & { reader: CardReader }) {
  const face = identityCheckAllowed(reader, 'face');
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {t(M.identityTitle)}
      </h1>
      {!face && <p class="hint">{t(M.noFaceOnGeneric)}</p>}
      <div class="big-choices two">
        {face && (
          <BigChoice
            icon="face"
            title={t(M.face)}
            text={t(M.faceText)}
            onClick={() => actions.setStep({ ...step, kind: 'face', identity: 'face' })}
          />
        )}
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
