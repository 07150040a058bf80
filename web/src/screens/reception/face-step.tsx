import { useEffect } from 'preact/hooks';
import { t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { M } from './messages.js';
import type { StepProps } from './steps.js';

/** Face recognition (or the staff check) runs for a moment, then the chip signs without a PIN. */
export function FaceCheck({ step, heading, actions }: StepProps<'face'>) {
  useEffect(() => {
    // The reader's camera matches the face to the card's photo; the chip then signs without a PIN.
    const timer = setTimeout(() => void actions.sign(step, step.identity), 500);
    return () => clearTimeout(timer);
  }, []);
  return (
    <section class="step center" aria-busy="true">
      <div class="face-frame" aria-hidden="true">
        <Icon name={step.identity === 'face' ? 'face' : 'eye'} size={72} />
      </div>
      <h1 tabIndex={-1} ref={heading}>
        {step.identity === 'face' ? t(M.faceChecking) : t(M.visualText)}
      </h1>
    </section>
  );
}
