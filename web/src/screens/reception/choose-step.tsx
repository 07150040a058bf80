import { LEGACY_CARD_LAST_USE_DATE, TEMPORARY_MEASURES } from '../../../../src/domain/proofs.js';
import { dateText, t } from '../../i18n.js';
import { BigChoice } from './big-choice.js';
import { M } from './messages.js';
import type { StepProps } from './steps.js';

/** The last day a 健康保険証 can be shown at all: its end of use or the last dated measure, whichever is later. */
const LEGACY_LAST_DAY = TEMPORARY_MEASURES.filter((m) => m.code === 'LEGACY_CARD_TEMPORARY_MEASURE')
  .map((m) => m.until)
  .reduce((a, b) => (a > b ? a : b), LEGACY_CARD_LAST_USE_DATE);

/** The first step: which proof the patient shows (the 健康保険証 only while it may still be used). */
export function Choose({ asOf, heading, actions }: StepProps<'choose'> & { asOf: string }) {
  const legacy = asOf <= LEGACY_LAST_DAY;
  return (
    <section class="step">
      <h1 tabIndex={-1} ref={heading}>
        {t(M.choose)}
      </h1>
      <div class={`big-choices ${legacy ? 'four' : 'three'}`}>
        <BigChoice
          icon="card"
          title={t(M.mynaCard)}
          text={t(M.mynaCardText)}
          primary
          onClick={() => actions.setStep({ kind: 'insert', method: 'card' })}
        />
        <BigChoice
          icon="phone"
          title={t(M.smartphone)}
          text={t(M.smartphoneText)}
          onClick={() => actions.setStep({ kind: 'insert', method: 'smartphone' })}
        />
        <BigChoice
          icon="document"
          title={t(M.certificate)}
          text={t(M.certificateText)}
          onClick={() => actions.setStep({ kind: 'number', document: 'certificate' })}
        />
        {legacy && (
          <BigChoice
            icon="legacy"
            title={t(M.legacyCard)}
            text={t(M.legacyCardText, { date: dateText(LEGACY_LAST_DAY) })}
            onClick={() => actions.setStep({ kind: 'number', document: 'legacy_card' })}
          />
        )}
      </div>
    </section>
  );
}
