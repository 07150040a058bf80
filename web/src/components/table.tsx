import type { ComponentChildren } from 'preact';

/** One column of a table: its heading and how a row fills its cell. */
export interface Column<R> {
  heading: ComponentChildren;
  cell: (row: R) => ComponentChildren;
  class?: string;
}

/** A scrollable table of rows, one column per entry of `columns`. */
export function Table<R>(props: {
  rows: R[];
  columns: Array<Column<R>>;
  rowKey: (row: R) => string | number;
  /** Attributes of a row (its tone, a data attribute for tests and styles). */
  rowAttributes?: (row: R) => Record<string, string | number>;
  class?: string;
}) {
  return (
    <div class="table-wrap">
      <table class={props.class}>
        <thead>
          <tr>
            {props.columns.map((c, i) => (
              <th key={i} scope="col">
                {c.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={props.rowKey(r)} {...props.rowAttributes?.(r)}>
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
