import { useState } from 'preact/hooks';
import { normalizeDigitInput } from '../../../../src/domain/digits.js';
import { EMPTY_NUMBER_FORM, NumberFields, type NumberForm, numbersFilled } from '../../components/number-fields.js';
import { t } from '../../i18n.js';
import { ErrorBox } from '../../ui.js';
import { insurerNumberFeedback } from './insurer-number-feedback.js';
import { M } from './messages.js';
import { ProofForm } from './proof-form.js';
import type { StepProps } from './steps.js';

/** The numbers of a 資格確認書 or 健康保険証, checked as typed, then verified. */
export function NumberEntry({ step, heading, actions }: StepProps<'number'>) {
  const [form, setForm] = useState<NumberForm>(EMPTY_NUMBER_FORM);
  const set = (key: keyof NumberForm) => (value: string) => setForm((f) => ({ ...f, [key]: value }));
  const insurer = insurerNumberFeedback(form.insurerNumber);
  const digits = normalizeDigitInput(form.insurerNumber);
  const missing = digits.length > 0 && digits.length < 8 && /^\d+$/.test(digits) ? 8 - digits.length : 0;
  const branchBad = form.branch.trim() !== '' && !/^\d{2}$/.test(normalizeDigitInput(form.branch));
  const ready = insurer.ok !== null && numbersFilled(form) && !branchBad;
  const docName = step.document === 'certificate' ? t(M.docCertificate) : t(M.docLegacy);
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {t(M.numberTitle, { doc: docName })}
      </h1>
      <ProofForm
        ready={ready}
        onSubmit={() => void actions.verifyNumber(step.document, form)}
        submitLabel={t(M.check)}
        reset={actions.reset}
        resetLabel="back"
      >
        <NumberFields
          form={form}
          set={set}
          insurer={{
            ...insurer,
            maxLength: 12,
            hint: missing ? `${t(M.insurerHint)} ${t(M.insurerNeed8, { n: missing })}` : t(M.insurerHint),
          }}
          branch={{ hint: t(M.branchHint), error: branchBad ? t(M.branchBad) : null }}
        />
        <div class="wide">
          <ErrorBox error={step.error} />
        </div>
      </ProofForm>
    </section>
  );
}
