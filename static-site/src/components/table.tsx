import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';

export interface Column<R> {
  key: string;
  label: string;
  align?: 'left' | 'right';
  /** Sort value and default text. */
  value?: (row: R) => string | number | null | undefined;
  render?: (row: R) => ComponentChildren;
  class?: string;
}

/** A sortable table; click a header to sort, click again to reverse. Rows may be clickable. */
export function DataTable<R>(props: {
  columns: Column<R>[];
  rows: R[];
  onRowClick?: (row: R) => void;
  rowKey?: (row: R, index: number) => string;
  footer?: ComponentChildren;
  testId?: string;
  empty?: ComponentChildren;
  initialSort?: { key: string; desc: boolean };
  rowClass?: (row: R) => string;
}) {
  const [sort, setSort] = useState<{ key: string; desc: boolean } | null>(props.initialSort ?? null);
  const sorted = useMemo(() => {
    if (!sort) return props.rows;
    const col = props.columns.find((c) => c.key === sort.key);
    if (!col) return props.rows;
    const get = col.value ?? ((r: R) => (r as any)[col.key]);
    return [...props.rows].sort((a, b) => {
      const x = get(a);
      const y = get(b);
      const cmp = x === y ? 0 : x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : x < y ? -1 : 1;
      return sort.desc ? -cmp : cmp;
    });
  }, [props.rows, sort, props.columns]);
  if (!props.rows.length && props.empty) return <>{props.empty}</>;
  return (
    <div class="table-wrap">
      <table class="data" data-testid={props.testId}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                class={(c.align === 'right' ? 'num ' : '') + (sort?.key === c.key ? 'sorted' : '')}
                onClick={() => setSort(sort?.key === c.key ? { key: c.key, desc: !sort.desc } : { key: c.key, desc: c.align === 'right' })}
                aria-sort={sort?.key === c.key ? (sort.desc ? 'descending' : 'ascending') : undefined}
              >
                {c.label}
                {sort?.key === c.key && <span class="sort-mark">{sort.desc ? ' ▾' : ' ▴'}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row, i) => (
            <tr
              key={props.rowKey ? props.rowKey(row, i) : i}
              class={(props.onRowClick ? 'clickable ' : '') + (props.rowClass?.(row) ?? '')}
              onClick={props.onRowClick ? () => props.onRowClick!(row) : undefined}
            >
              {props.columns.map((c) => (
                <td class={(c.align === 'right' ? 'num ' : '') + (c.class ?? '')} data-col={c.key}>
                  {c.render ? c.render(row) : String((c.value ? c.value(row) : (row as any)[c.key]) ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {props.footer && <tfoot>{props.footer}</tfoot>}
      </table>
    </div>
  );
}
