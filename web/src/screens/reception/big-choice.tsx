import { Icon, type IconName } from '../../icons.js';

/** One proof the patient can show: a big button with its icon, name and how it is read. */
export function BigChoice(props: {
  icon: IconName;
  title: string;
  text: string;
  primary?: boolean | undefined;
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
