import type { InputHTMLAttributes, ReactNode } from 'react';

/**
 * A checkbox or radio button with its name in bold and what it means under it; the whole line
 * is its label, so a click on the words ticks it and a screen reader reads both.
 */
export function Option({
  label,
  description,
  descriptionClassName = 'text-slate-600',
  type = 'checkbox',
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'className'> & {
  type?: 'checkbox' | 'radio';
  label: ReactNode;
  /** What choosing it does. */
  description?: ReactNode;
  descriptionClassName?: string;
}) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input type={type} {...input} className="mt-0.5 h-4 w-4 shrink-0 accent-blue-600" />
      <span>
        <span className="font-medium text-slate-900">{label}</span>
        {description ? (
          <span className={`block ${descriptionClassName}`}>{description}</span>
        ) : null}
      </span>
    </label>
  );
}

/** Options under a legend that names them together (the events to send, the kinds of file). */
export function OptionList({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="space-y-2">
      <legend className="mb-1 text-sm font-medium text-slate-700">{legend}</legend>
      {children}
    </fieldset>
  );
}
