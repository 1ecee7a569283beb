import type { HTMLAttributes, ReactNode } from 'react';

type Column = {
  label: ReactNode;
  /** Extra classes of the heading (`hidden lg:table-cell` for a column shown on wide screens). */
  className?: string;
};

/**
 * A table from 768 px up; below, each row is a card of its own, its cells one under another,
 * and the headings are hidden (a cell names its value itself, `md:hidden`, where it must).
 */
export function CardTable({ columns, children }: { columns: Column[]; children: ReactNode }) {
  return (
    <table className="w-full text-left text-sm max-md:block">
      <thead className="border-b border-slate-200 text-slate-600 max-md:hidden">
        <tr>
          {columns.map((column, i) => (
            <th key={i} className={`py-2 pr-3 font-medium last:pr-0 ${column.className ?? ''}`}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="max-md:block">{children}</tbody>
    </table>
  );
}

/**
 * A row of a CardTable: ruled off from the next one, a card on a phone. `layout` says how its
 * cells sit on the card (`max-md:block` one under another, or a grid of its own).
 */
export function CardRow({
  layout = 'max-md:block max-md:py-2',
  ruled = true,
  ...props
}: HTMLAttributes<HTMLTableRowElement> & { layout?: string; ruled?: boolean }) {
  const rule = ruled ? 'border-b border-slate-100 last:border-0' : '';
  return <tr {...props} className={`${rule} ${layout}`} />;
}
