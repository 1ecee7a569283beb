import type { CreateApiTokenReply } from '@parley/protocol';
import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '../ui/controls';
import { copyText } from '../ui/copy';

/**
 * A new token's secret, shown this once: the server keeps only its hash, so it can never be
 * shown again. The panel takes the focus, so that it is seen (and read out) before anything else.
 */
export function NewTokenSecret({
  created,
  onDone,
}: {
  created: CreateApiTokenReply;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    heading.current?.focus();
  }, []);

  const copy = () =>
    void copyText(created.secret, {
      done: 'Token copied',
      failed: 'Copy failed: select the token instead',
    }).then(setCopied);

  return (
    <section
      aria-labelledby="new-token-title"
      className="mb-3 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <h3
        id="new-token-title"
        ref={heading}
        tabIndex={-1}
        className="font-semibold text-amber-950 focus:outline-none"
      >
        Token “{created.token.name}” created
      </h3>
      <p className="text-amber-950">
        <strong>Copy it now: you won&apos;t see it again.</strong> Parley keeps only a fingerprint
        of it. If it is lost, revoke it and create another.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          data-testid="new-token-secret"
          className="min-w-0 flex-1 basis-64 select-all break-all rounded border border-slate-200 bg-white px-2 py-1.5 font-mono text-xs text-slate-900"
        >
          {created.secret}
        </code>
        <Button variant="secondary" onClick={copy}>
          {copied ? (
            <Check aria-hidden className="h-4 w-4" />
          ) : (
            <Copy aria-hidden className="h-4 w-4" />
          )}
          {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <Button variant="ghost" onClick={onDone}>
        Done
      </Button>
    </section>
  );
}
