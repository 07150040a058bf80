import type { MemberRef } from '../../answers.js';
import { t } from '../../i18n.js';
import { MemberRefTable } from './member-ref-table.js';
import { M } from './messages.js';

/** The members whose My Number was never notified, with what the association should ask of the employer. */
export function WithoutMyNumber(props: { rows: MemberRef[]; Heading: 'h2' | 'h3' }) {
  const { Heading } = props;
  return (
    <>
      <Heading>{t(M.noMyNumberTitle)}</Heading>
      <p class="hint">{t(M.noMyNumberFix)}</p>
      <MemberRefTable rows={props.rows} />
    </>
  );
}
