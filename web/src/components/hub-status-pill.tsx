import { hubStatusText } from '../i18n.js';

/** The hub registration of a member as a coloured pill; a registration not yet queryable shows as pending. */
export function HubStatusPill(props: { status: string; pending?: boolean | undefined }) {
  const tone =
    props.status === 'registered' ? (props.pending ? 'warn' : 'good') : props.status === 'mismatch' ? 'bad' : 'warn';
  return <span class={`pill ${tone}`}>{hubStatusText(props.status)}</span>;
}
