import type { ComponentChildren } from 'preact';
import { ResetButton } from './reset-button.js';

/** The form of the numbers on a proof: its fields, then the submit button (while ready) and the way out. */
export function ProofForm(props: {
  ready: boolean;
  onSubmit: () => void;
  submitLabel: string;
  reset: () => void;
  resetLabel: 'back' | 'startOver';
  children: ComponentChildren;
}) {
  return (
    <form
      class="number-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (props.ready) props.onSubmit();
      }}
    >
      {props.children}
      <div class="row wide">
        <button type="submit" class="primary" disabled={!props.ready}>
          {props.submitLabel}
        </button>
        <ResetButton reset={props.reset} label={props.resetLabel} />
      </div>
    </form>
  );
}
