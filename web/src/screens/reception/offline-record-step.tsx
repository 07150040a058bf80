import { useState } from 'preact/hooks';
import { EMPTY_NUMBER_FORM, NumberFields, type NumberForm, numbersFilled } from '../../components/number-fields.js';
import { t } from '../../i18n.js';
import { Field } from '../../ui.js';
import { Banner } from './banner.js';
import { insurerNumberFeedback } from './insurer-number-feedback.js';
import { M } from './messages.js';
import type { ShownDocument } from './offline-queue.js';
import { ProofForm } from './proof-form.js';
import { SHOWN_DOCUMENTS, SHOWN_LABEL } from './shown-label.js';
import type { StepProps } from './steps.js';

/** The hub is unreachable: record what the patient showed, to be re-checked once it answers. */
export function OfflineRecord({ step, heading, actions }: StepProps<'offline'>) {
  const [shown, setShown] = useState<ShownDocument>(step.shown);
  const [form, setForm] = useState<NumberForm>({ ...EMPTY_NUMBER_FORM, ...step.prefill });
  const [name, setName] = useState('');
  const set = (key: keyof NumberForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const insurer = insurerNumberFeedback(form.insurerNumber);
  const ready = insurer.ok !== null && numbersFilled(form);
  return (
    <section class="step">
      <Banner tone="warn" role="alert" icon="plug" iconSize={44} heading={heading} title={t(M.offlineTitle)}>
        {t(M.offlineText)}
      </Banner>
      <ProofForm
        ready={ready}
        onSubmit={() => actions.record(shown, form, name)}
        submitLabel={t(M.record)}
        reset={actions.reset}
        resetLabel="startOver"
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
      </ProofForm>
    </section>
  );
}
