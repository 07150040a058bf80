import type { MemberRef } from '../../answers.js';
import { MemberTable } from '../../components/member-table.js';
import type { Column } from '../../components/table.js';
import { COMMON, t } from '../../i18n.js';
import { MemberButton } from './member-link.js';

/** Members named in the dashboard: name (a link to the member), kana, and one more column when asked. */
export function MemberRefTable<R extends MemberRef>(props: {
  rows: R[];
  extra?: { label: string; value: (r: R) => string };
}) {
  const columns: Array<Column<R>> = [
    { heading: t(COMMON.name), cell: (r) => <MemberButton member={r} /> },
    { heading: t(COMMON.nameKana), cell: (r) => r.nameKana },
  ];
  const { extra } = props;
  if (extra) columns.push({ heading: extra.label, cell: extra.value });
  return <MemberTable rows={props.rows} columns={columns} />;
}
