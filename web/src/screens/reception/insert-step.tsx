import { useState } from 'preact/hooks';
import { ApiError } from '../../api.js';
import { t } from '../../i18n.js';
import { ErrorBox, Field } from '../../ui.js';
import { M } from './messages.js';
import { recentCards } from './recent-cards.js';
import { ResetButton } from './reset-button.js';
import type { StepProps } from './steps.js';

/** The card or smartphone on the reader (its id typed, or one of the recent cards tapped). */
export function Insert({ step, heading, actions }: StepProps<'insert'>) {
  const [cardId, setCardId] = useState('');
  const [busy, setBusy] = useState(false);
  const recent = recentCards();
  const go = async (id: string) => {
    if (!id.trim()) return;
    setBusy(true);
    await actions.insert(step.method, id.trim());
    setBusy(false);
  };
  const error = step.error;
  const notFound = error instanceof ApiError && error.code === 'CARD_NOT_FOUND';
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {step.method === 'card' ? t(M.insertTitle) : t(M.insertPhoneTitle)}
      </h1>
      <div class="reader" aria-hidden="true">
        <div class={step.method === 'card' ? 'reader-card' : 'reader-phone'} />
      </div>
      <form
        class="stack narrow"
        onSubmit={(e) => {
          e.preventDefault();
          void go(cardId);
        }}
      >
        <Field label={t(M.cardId)} value={cardId} onInput={setCardId} hint={t(M.cardIdHint)} name="cardId" required />
        {notFound ? (
          <p class="alert bad" role="alert">
            {t(M.cardNotFound)}
          </p>
        ) : (
          <ErrorBox error={error} />
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {t(M.read)}
          </button>
          <ResetButton reset={actions.reset} label="back" />
        </div>
      </form>
      {recent.length > 0 && (
        <div class="recent">
          <h2>{t(M.recentCards)}</h2>
          <ul class="chips">
            {recent.map((id) => (
              <li key={id}>
                <button type="button" class="chip" onClick={() => void go(id)}>
                  {id.slice(0, 8)}…<span class="sr-only">{id}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
