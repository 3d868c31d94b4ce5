'use client';
// The frame every list table sits in: the query's error, a loading state, one sentence when there
// are no rows, else a horizontally scrollable table named by a caption that only assistive tech
// reads, with its column headers. The caller draws the body rows, so each table keeps its cells.
import type { ReactNode } from 'react';
import { ActionsHeader, Empty, ErrorNote, Loading } from './ui';

export interface Column {
  label: ReactNode;
  /** On the header cell: `num` right-aligns, `hide-sm` hides the column on a phone. */
  className?: string;
}

export function TableShell<T>({
  rows,
  loading = false,
  error,
  caption,
  empty,
  columns,
  actions = false,
  testId,
  children,
}: {
  rows: readonly T[];
  loading?: boolean;
  error?: unknown;
  caption: ReactNode;
  /** Said instead of the table when there are no rows; without it the bare table is drawn. */
  empty?: ReactNode;
  columns: readonly Column[];
  /** A last column of row buttons, its header named for assistive tech only. */
  actions?: boolean;
  /** On the <table>. */
  testId?: string;
  /** The body's <tr> elements, given the rows (never called while loading). */
  children: (rows: readonly T[]) => ReactNode;
}) {
  return (
    <>
      <ErrorNote error={error} />
      {loading ? (
        <Loading />
      ) : rows.length === 0 && empty !== undefined ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data-table" data-testid={testId}>
            <caption className="sr-only">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th key={i} scope="col" className={c.className}>
                    {c.label}
                  </th>
                ))}
                {actions ? <ActionsHeader /> : null}
              </tr>
            </thead>
            <tbody>{children(rows)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}
