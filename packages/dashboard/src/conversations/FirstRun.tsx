import { useQuery } from '@tanstack/react-query';
import { Copy } from 'lucide-react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { serverUrl } from '../api/server-url';
import { installSnippet } from '../settings/snippet';
import { Button } from '../ui/controls';
import { copyText } from '../ui/copy';

const anyConversation = { any: true };

/** True until the first conversation ever starts (live: it sits under the lists' key). */
export function useNoConversationsYet(): boolean {
  const { data } = useQuery({
    queryKey: keys.conversationList(anyConversation),
    queryFn: () => call('listConversations', { query: { limit: 1 } }),
  });
  return data?.items.length === 0;
}

/** The inbox before the first chat: how to put the widget on a site, and where to try it. */
export function InstallWidget() {
  const snippet = installSnippet();
  const copy = () =>
    void copyText(snippet, { done: 'Copied', failed: 'Copy it by hand: the browser refused' });
  return (
    <section aria-labelledby="install-title" className="mx-auto max-w-xl space-y-3 p-6 text-sm">
      <h2 id="install-title" className="text-lg font-semibold text-slate-900">
        No chats yet: add the widget to your site
      </h2>
      <p className="text-slate-700">
        Paste these two lines before <code>&lt;/body&gt;</code> on every page where visitors should
        be able to chat. Chats appear here as they start.
      </p>
      <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-100 p-3 text-xs text-slate-900">
        {snippet}
      </pre>
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={copy}>
          <Copy aria-hidden className="h-4 w-4" /> Copy the snippet
        </Button>
        <a
          className="text-blue-700 underline"
          href={serverUrl('/demo')}
          target="_blank"
          rel="noreferrer"
        >
          Try it on the demo page
        </a>
        <Link className="text-blue-700 underline" to="/settings/widget">
          Colours, texts and allowed sites
        </Link>
      </div>
    </section>
  );
}
