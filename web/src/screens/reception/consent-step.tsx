import { t } from '../../i18n.js';
import { M } from './messages.js';
import type { StepProps } from './steps.js';

const CONSENTS = [
  { key: 'medication', question: M.consentMedication, text: M.consentMedicationText },
  { key: 'healthCheckups', question: M.consentCheckups, text: M.consentCheckupsText },
  { key: 'limitInfo', question: M.consentLimit, text: M.consentLimitText },
] as const;

/** The three consents, one question a screen; after the last the card is verified. */
export function ConsentStep({ step, heading, actions }: StepProps<'consent'>) {
  const item = CONSENTS[step.index];
  if (!item) return null;
  const answer = (value: boolean) => {
    const consent = { ...step.consent, [item.key]: value };
    if (step.index + 1 < CONSENTS.length) actions.setStep({ ...step, index: step.index + 1, consent });
    else void actions.verifyCard(step.signed, step.identity, consent);
  };
  return (
    <section class="step consent">
      <p class="step-count">{t(M.consentStep, { i: step.index + 1, n: CONSENTS.length })}</p>
      <h1 tabIndex={-1} ref={heading}>
        {t(item.question)}
      </h1>
      <p class="lead">{t(item.text)}</p>
      <div class="big-choices two">
        <button type="button" class="big-choice agree" onClick={() => answer(true)}>
          <span class="choice-title">{t(M.agree)}</span>
        </button>
        <button type="button" class="big-choice disagree" onClick={() => answer(false)}>
          <span class="choice-title">{t(M.disagree)}</span>
        </button>
      </div>
    </section>
  );
}
