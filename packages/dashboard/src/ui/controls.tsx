import type {
  ButtonHTMLAttributes,
  InputHTMLAttributes,
  ReactNode,
  SelectHTMLAttributes,
} from 'react';
import { useId } from 'react';

const variants = {
  primary: 'bg-blue-600 text-on-accent hover:bg-blue-800 disabled:bg-blue-300',
  secondary:
    'border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400',
  danger: 'border border-red-300 bg-white text-red-700 hover:bg-red-50',
  ghost: 'text-slate-700 hover:bg-slate-100',
} as const;

export function Button({
  variant = 'primary',
  className = '',
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants }) {
  return (
    <button
      type="button"
      {...props}
      className={`inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium transition-colors disabled:cursor-not-allowed ${variants[variant]} ${className}`}
    />
  );
}

export const inputClass =
  'w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-900 placeholder:text-slate-500 focus:border-blue-600 focus:outline-none focus:ring-2 focus:ring-blue-600/30';

/** A control under its visible label: every field is named for screen readers too. */
function Labeled({
  label,
  hint,
  children,
}: {
  label: string;
  hint?: ReactNode;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children(id)}
      {hint ? <p className="text-xs text-slate-600">{hint}</p> : null}
    </div>
  );
}

export function Field({
  label,
  hint,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode }) {
  return (
    <Labeled label={label} hint={hint}>
      {(id) => <input id={id} className={inputClass} {...props} />}
    </Labeled>
  );
}

/** A choice of a select, named in the admin's words. */
export type SelectOption = { value: string; label: string; disabled?: boolean };

/** A labelled select of `options`, then of any `children` (an option kept for another reason). */
export function SelectField({
  label,
  options = [],
  children,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  options?: readonly SelectOption[];
}) {
  return (
    <Labeled label={label}>
      {(id) => (
        <select id={id} className={inputClass} {...props}>
          {options.map((o) => (
            <option key={o.value} value={o.value} disabled={o.disabled}>
              {o.label}
            </option>
          ))}
          {children}
        </select>
      )}
    </Labeled>
  );
}

/** Select options from a record of value → label, in the record's order. */
export const optionsOf = (labels: Readonly<Record<string, string>>): SelectOption[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

/** A form's error, announced as it appears; nothing while there is none. */
export function FormError({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  );
}

/** Good news the reader should see first (a change that worked), announced as it appears. */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p
      role="status"
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800"
    >
      {children}
    </p>
  );
}

export function Card({
  title,
  children,
  actions,
}: {
  title?: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      {title || actions ? (
        <div className="mb-3 flex items-center justify-between gap-2">
          {title ? <h2 className="text-base font-semibold text-slate-900">{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export const statusColor = {
  online: 'bg-green-500',
  away: 'bg-amber-400',
  offline: 'bg-slate-400',
} as const;

export function StatusDot({ status, label }: { status: keyof typeof statusColor; label?: string }) {
  return (
    <span
      className={`inline-block h-2.5 w-2.5 shrink-0 rounded-full ${statusColor[status]}`}
      role="img"
      aria-label={label ?? status}
      title={label ?? status}
    />
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <div role="status" className="flex items-center justify-center p-6 text-sm text-slate-600">
      <span className="mr-2 h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-blue-600" />
      {label}…
    </div>
  );
}

/** The next page of an infinite query, when there is one. */
export function LoadMore({
  list,
}: {
  list: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
}) {
  if (!list.hasNextPage) return null;
  return (
    <Button
      variant="secondary"
      onClick={() => void list.fetchNextPage()}
      disabled={list.isFetchingNextPage}
    >
      Load more
    </Button>
  );
}
