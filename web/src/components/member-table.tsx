import { symbolNumberHeading, symbolNumberText } from './symbol-number.js';
import { type Column, Table } from './table.js';

/** A table of members: 記号・番号・枝番 first, then the columns the screen asks for. */
export function MemberTable<R extends { memberId: string; symbol: string; number: string; branch: string }>(props: {
  rows: R[];
  columns: Array<Column<R>>;
  rowAttributes?: (row: R) => Record<string, string | number>;
}) {
  const numbers: Column<R> = { heading: symbolNumberHeading(), cell: symbolNumberText, class: 'mono' };
  return (
    <Table
      rows={props.rows}
      rowKey={(r) => r.memberId}
      columns={[numbers, ...props.columns]}
      rowAttributes={props.rowAttributes}
    />
  );
}
