import { useState } from 'preact/hooks';
import { EMPTY_NUMBER_FORM, NumberFields, type NumberForm } from '../../components/number-fields.js';
import { t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { Field } from '../../ui.js';
import { insurerNumberFeedback } from './insurer-number-feedback.js';
import { M } from './messages.js';
import type { ShownDocument } from './offline-queue.js';
import { SHOWN_DOCUMENTS, SHOWN_LABEL } from './shown-label.js';
import type { HeadingRef, StepOf, TerminalActions } from './steps.js';

export function OfflineRecord(props: {
  step: StepOf<'offline'>;
  heading: HeadingRef;
  record: TerminalActions['record'];
  reset: () => void;
}) {
  const [shown, setShown] = useState<ShownDocument>(props.step.shown);
  const [form, setForm] = useState<NumberForm>({ ...EMPTY_NUMBER_FORM, ...props.step.prefill });
  const [name, setName] = useState('');
  const set = (key: keyof NumberForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const insurer = insurerNumberFeedback(form.insurerNumber);
  const ready = insurer.ok !== null && form.symbol.trim() && form.number.trim() && form.birthDate;
  return (
    <section class="step">
      <div class="banner warn" role="alert">
        <span class="banner-icon" aria-hidden="true">
          <Icon name="plug" size={44} />
        </span>
        <div>
          <h1 tabIndex={-1} ref={props.heading}>
            {t(M.offlineTitle)}
          </h1>
          <p>{t(M.offlineText)}</p>
        </div>
      </div>
      <form
        class="number-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) props.record(shown, form, name);
        }}
      >
        <fieldset class="wide">
          <legend>{t(M.shown)}</legend>
          <div class="radios">
            {SHOWN_DOCUMENTS.map((value) => (
              <label key={value} class="radio">
                <input
                  type="radio"
                  name="shown"
                  value={value}
                  checked={shown === value}
                  onChange={() => setShown(value)}
                />
                {t(SHOWN_LABEL[value])}
              </label>
            ))}
          </div>
        </fieldset>
        <h2 class="wide">{t(M.transcribe)}</h2>
        <NumberFields form={form} set={set} insurer={insurer} />
        <Field label={t(M.nameOptional)} value={name} onInput={setName} name="name" class="wide" />
        <div class="row wide">
          <button type="submit" class="primary" disabled={!ready}>
            {t(M.record)}
          </button>
          <button type="button" class="ghost" onClick={props.reset}>
            {t(M.startOver)}
          </button>
        </div>
      </form>
    </section>
  );
}
