import { LEGACY_CARD_LAST_USE_DATE, TEMPORARY_MEASURES } from '../../../../src/domain/proofs.js';
import { dateText, t } from '../../i18n.js';
import { Icon, type IconName } from '../../icons.js';
import { M } from './messages.js';
import type { HeadingRef, Step } from './steps.js';

/** The last day a 健康保険証 can be shown at all: its end of use or the last dated measure, whichever is later. */
const LEGACY_LAST_DAY = TEMPORARY_MEASURES.filter((m) => m.code === 'LEGACY_CARD_TEMPORARY_MEASURE')
  .map((m) => m.until)
  .reduce((a, b) => (a > b ? a : b), LEGACY_CARD_LAST_USE_DATE);

export function Choose({ asOf, setStep, heading }: { asOf: string; setStep: (s: Step) => void; heading: HeadingRef }) {
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
          onClick={() => setStep({ kind: 'insert', method: 'card' })}
        />
        <BigChoice
          icon="phone"
          title={t(M.smartphone)}
          text={t(M.smartphoneText)}
          onClick={() => setStep({ kind: 'insert', method: 'smartphone' })}
        />
        <BigChoice
          icon="document"
          title={t(M.certificate)}
          text={t(M.certificateText)}
          onClick={() => setStep({ kind: 'number', document: 'certificate' })}
        />
        {legacy && (
          <BigChoice
            icon="legacy"
            title={t(M.legacyCard)}
            text={t(M.legacyCardText, { date: dateText(LEGACY_LAST_DAY) })}
            onClick={() => setStep({ kind: 'number', document: 'legacy_card' })}
          />
        )}
      </div>
    </section>
  );
}

/** One proof the patient can show: a big button with its icon, name and how it is read. */
export function BigChoice(props: {
  icon: IconName;
  title: string;
  text: string;
  primary?: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" class={`big-choice${props.primary ? ' primary-choice' : ''}`} onClick={props.onClick}>
      <span class="choice-icon" aria-hidden="true">
        <Icon name={props.icon} size={44} />
      </span>
      <span class="choice-title">{props.title}</span>
      <span class="choice-text">{props.text}</span>
    </button>
  );
}
