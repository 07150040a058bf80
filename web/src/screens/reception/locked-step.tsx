import { t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { M } from './messages.js';
import type { HeadingRef, StepOf, TerminalActions } from './steps.js';

/** The PIN is locked: the patient may still go on with the face or a staff check. */
export function LockedStep(props: {
  step: StepOf<'locked'>;
  heading: HeadingRef;
  setStep: TerminalActions['setStep'];
  reset: () => void;
}) {
  const { step } = props;
  return (
    <section class="step">
      <div class="banner bad" role="alert">
        <span class="banner-icon" aria-hidden="true">
          <Icon name="lock" size={44} />
        </span>
        <div>
          <h1 tabIndex={-1} ref={props.heading}>
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
}
