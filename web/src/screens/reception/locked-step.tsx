import { type CardReader, identityCheckAllowed } from '../../../../src/domain/readers.js';
import { t } from '../../i18n.js';
import { Banner } from './banner.js';
import { M } from './messages.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/** The PIN is locked: the patient may still go on with the face (not on a generic reader) or a staff check. */
export function LockedStep({ step, reader, heading, actions }: StepProps<'locked'> & { reader: CardReader }) {
  return (
    <section class="step">
      <Banner tone="bad" role="alert" icon="lock" iconSize={44} heading={heading} title={t(M.lockedTitle)}>
        {step.message}
      </Banner>
      <p>{t(M.lockedNext)}</p>
      <div class="row">
        {identityCheckAllowed(reader, 'face') && (
          <button
            type="button"
            class="primary"
            onClick={() => actions.setStep({ ...step, kind: 'face', identity: 'face' })}
          >
            {t(M.useFace)}
          </button>
        )}
        <button
          type="button"
          class="secondary"
          onClick={() => actions.setStep({ ...step, kind: 'face', identity: 'visual' })}
        >
          {t(M.useVisual)}
        </button>
        <ResetButton reset={actions.reset} label="startOver" />
      </div>
    </section>
  );
}
