import type { ComponentChildren } from 'preact';
import { symbolNumberHeading, symbolNumberText } from './symbol-number.js';

/** One column after the 記号・番号・枝番 column. */
export interface MemberColumn<R> {
  heading: ComponentChildren;
  cell: (row: R) => ComponentChildren;
  class?: string;
}

/** A table of members: 記号・番号・枝番 first, then the columns the screen asks for. */
export function MemberTable<R extends { memberId: string; symbol: string; number: string; branch: string }>(props: {
  rows: R[];
  columns: Array<MemberColumn<R>>;
  /** Attributes of a row (its tone, a data attribute for tests and styles). */
  rowAttributes?: (row: R) => Record<string, string>;
}) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{symbolNumberHeading()}</th>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={r.memberId} {...props.rowAttributes?.(r)}>
              <td class="mono">{symbolNumberText(r)}</td>
              {props.columns.map((c, i) => (
                <td key={i} class={c.class}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
