import { Copy } from 'lucide-react';
import { Button, Card } from '../ui/controls';
import { copyText } from '../ui/copy';

/** A site's install snippet, to copy: the default site's in Settings → Widget, each in Sites. */
export function InstallSnippet({ snippet }: { snippet: string }) {
  return (
    <Card
      title="Install"
      actions={
        <Button
          variant="secondary"
          onClick={() =>
            void copyText(snippet, {
              done: 'Snippet copied',
              failed: 'Copy failed: select the text instead',
            })
          }
        >
          <Copy aria-hidden className="h-4 w-4" /> Copy
        </Button>
      }
    >
      <p className="mb-2 text-sm text-slate-600">
        Paste before &lt;/body&gt; on every page of your site:
      </p>
      <pre
        className="whitespace-pre-wrap break-all rounded bg-slate-900 p-3 text-xs text-slate-100"
        aria-label="Install snippet"
      >
        {snippet}
      </pre>
    </Card>
  );
}
