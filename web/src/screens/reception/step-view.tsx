import type { CardReader } from '../../../../src/domain/readers.js';
import { t } from '../../i18n.js';
import { useFocusOnChange } from '../../ui.js';
import { Choose } from './choose-step.js';
import { ConsentStep } from './consent-step.js';
import { FaceCheck } from './face-step.js';
import { IdentityStep } from './identity-step.js';
import { Insert } from './insert-step.js';
import { LockedStep } from './locked-step.js';
import { M } from './messages.js';
import { NumberEntry } from './number-step.js';
import { OfflineRecord } from './offline-record-step.js';
import { PinPad } from './pin-step.js';
import { Result } from './result-step.js';
import type { Step, TerminalActions } from './steps.js';

/** The current step's screen; its heading takes the focus whenever the step changes. */
export function StepView(props: { step: Step; asOf: string; reader: CardReader; actions: TerminalActions }) {
  const { step, actions } = props;
  const stepKey = step.kind === 'consent' ? `consent-${step.index}` : step.kind;
  const heading = useFocusOnChange<HTMLHeadingElement>(stepKey);
  switch (step.kind) {
    case 'choose':
      return <Choose step={step} asOf={props.asOf} heading={heading} actions={actions} />;
    case 'insert':
      return <Insert step={step} heading={heading} actions={actions} />;
    case 'identity':
      return <IdentityStep step={step} reader={props.reader} heading={heading} actions={actions} />;
    case 'face':
      return <FaceCheck step={step} heading={heading} actions={actions} />;
    case 'pin':
      return <PinPad step={step} heading={heading} actions={actions} />;
    case 'locked':
      return <LockedStep step={step} reader={props.reader} heading={heading} actions={actions} />;
    case 'consent':
      return <ConsentStep step={step} heading={heading} actions={actions} />;
    case 'number':
      return <NumberEntry step={step} heading={heading} actions={actions} />;
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
      return <Result step={step} heading={heading} actions={actions} />;
    case 'offline':
      return <OfflineRecord step={step} heading={heading} actions={actions} />;
  }
}
