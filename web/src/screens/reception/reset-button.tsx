import { t } from '../../i18n.js';
import { M } from './messages.js';

/** Leaves the step for the first one: "back" before anything was asked of the hub, "start over" after. */
export function ResetButton(props: { reset: () => void; label: 'back' | 'startOver' }) {
  return (
    <button type="button" class="ghost" onClick={props.reset}>
      {t(M[props.label])}
    </button>
  );
}
