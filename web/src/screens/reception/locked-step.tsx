import { type CardReader, identityCheckAllowed } from '../../../../src/domain/readers.js';
import { t } from '../../i18n.js';
import { Banner } from './banner.js';
import { M } from './messages.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/** How the patient may still be identified once the PIN is locked: the face first, then the staff. */
const IDENTITY_CHECKS = [
  { identity: 'face', label: 'useFace', tone: 'primary' },
  { identity: 'visual', label: 'useVisual', tone: 'secondary' },
] as const;

/** The PIN is locked: the patient may still go on with the face (not on a generic reader) or a staff check. */
export function LockedStep({ step, reader, heading, actions }: StepProps<'locked'> & { reader: CardReader }) {
  return (
    <section class="step">
      <Banner tone="bad" role="alert" icon="lock" iconSize={44} heading={heading} title={t(M.lockedTitle)}>
        {step.message}
      </Banner>
      <p>{t(M.lockedNext)}</p>
      <div class="row">
        {IDENTITY_CHECKS.filter(({ identity }) => identityCheckAllowed(reader, identity)).map(
          ({ identity, label, tone }) => (
            <button
              key={identity}
              type="button"
              class={tone}
              onClick={() => actions.setStep({ ...step, kind: 'face', identity })}
            >
              {t(M[label])}
            </button>
          ),
        )}
        <ResetButton reset={actions.reset} label="startOver" />
      </div>
    </section>
  );
}
