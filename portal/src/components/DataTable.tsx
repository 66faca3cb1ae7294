import type { ReactNode } from "react";

export interface Column<T> {
  /** Column heading. */
  header: string;
  /** The cell's content. */
  cell: (row: T) => ReactNode;
  /** Right-aligns numbers. */
  numeric?: boolean;
}

interface DataTableProps<T> {
  /** Names the table for screen readers (visually hidden unless `showCaption`). */
  caption: string;
  showCaption?: boolean;
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
}

/** A plain accessible table (caption, column headers); scrolls sideways on narrow screens. */
export function DataTable<T>({ caption, showCaption, columns, rows, rowKey }: DataTableProps<T>) {
  return (
    <div className="table-wrap">
      <table>
        <caption className={showCaption ? undefined : "visually-hidden"}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.numeric ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.numeric ? "num" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
