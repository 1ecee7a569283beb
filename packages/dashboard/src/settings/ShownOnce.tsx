import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../ui/controls';
import { copyText } from '../ui/copy';

/**
 * A secret shown this once (a new token, an invitation's link): the server keeps only its
 * fingerprint, so it can never be shown again. The panel takes the focus whenever `value`
 * changes, so that it is seen (and read out) before anything else.
 */
export function ShownOnce({
  id,
  title,
  children,
  value,
  testId,
  copyLabel,
  copied: said,
  onDone,
}: {
  id: string;
  title: ReactNode;
  /** What it is and what to do with it, under the title. */
  children: ReactNode;
  value: string;
  testId: string;
  copyLabel: string;
  /** What the copy says when it is done, or when it failed. */
  copied: { done: string; failed: string };
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    heading.current?.focus();
  }, [value]);
  const copy = () => void copyText(value, said).then(setCopied);

  return (
    <section
      aria-labelledby={id}
      className="mb-3 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <h3
        id={id}
        ref={heading}
        tabIndex={-1}
        className="font-semibold text-amber-950 focus:outline-none"
      >
        {title}
      </h3>
      <p className="text-amber-950">{children}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid={testId}
          className="min-w-0 flex-1 basis-64 select-all break-all rounded border border-slate-200 bg-white px-2 py-1.5 font-mono text-xs text-slate-900"
        >
          {value}
        </code>
        <Button variant="secondary" onClick={copy}>
          {copied ? (
            <Check aria-hidden className="h-4 w-4" />
          ) : (
            <Copy aria-hidden className="h-4 w-4" />
          )}
          {copied ? 'Copied' : copyLabel}
        </Button>
      </div>
      <Button variant="ghost" onClick={onDone}>
        Done
      </Button>
    </section>
  );
}
