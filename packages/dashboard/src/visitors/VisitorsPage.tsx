import type { Visitor } from '@parley/protocol';
import { MAX_MESSAGE_LENGTH } from '@parley/protocol/limits';
import { useQuery } from '@tanstack/react-query';
import { MessageCirclePlus } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../api/client';
import { useSites } from '../api/hooks';
import { keys } from '../api/keys';
import { submitted, useSave } from '../api/save';
import { visitorLabel } from '../conversations/visitor-label';
import { newClientId } from '../conversations/outbox';
import { SafeLink, VerifiedBadge } from '../conversations/VisitorPanel';
import { CardRow, CardTable } from '../ui/CardTable';
import { Button, Card, inputClass, SelectField, Spinner } from '../ui/controls';
import { formatAge } from '../ui/time';

const columns = [
  { label: 'Visitor' },
  { label: 'Current page' },
  { label: 'On site' },
  { label: 'Browser', className: 'hidden lg:table-cell' },
  { label: <span className="sr-only">Actions</span> },
];

/**
 * Who is on the site now, live; an agent can start a chat with any of them. With several sites,
 * each visitor's site is named, and the list can show one site's.
 */
export default function VisitorsPage() {
  const sites = useSites().data?.items ?? [];
  const [siteChoice, setSiteChoice] = useState('');
  // A choice hidden since (the second site deleted) no longer filters.
  const siteId = sites.length > 1 && sites.some((s) => s.id === siteChoice) ? siteChoice : '';
  const list = useQuery({
    queryKey: keys.onlineVisitors(siteId),
    queryFn: () =>
      call('listVisitors', {
        query: { online: 'true', siteId: siteId || undefined, limit: 100 },
      }),
    staleTime: Infinity,
  });
  const siteName = (id: string) =>
    sites.length > 1 && !siteId ? sites.find((s) => s.id === id)?.name : undefined;
  // "Time on site" ticks without refetching.
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);
  const visitors = list.data?.items ?? [];

  return (
    <div className="h-full overflow-y-auto p-4 md:p-6">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <h1 className="text-xl font-semibold text-slate-900">
          Visitors online ({visitors.length})
        </h1>
        {sites.length > 1 ? (
          <SelectField
            label="Site"
            value={siteId}
            onChange={(e) => setSiteChoice(e.target.value)}
            options={[
              { value: '', label: 'All sites' },
              ...sites.map((s) => ({ value: s.id, label: s.name })),
            ]}
          />
        ) : null}
      </div>
      <Card>
        {list.isPending ? <Spinner /> : null}
        {!list.isPending && visitors.length === 0 ? (
          <p className="p-4 text-center text-sm text-slate-600">
            {siteId
              ? 'Nobody is browsing this site right now.'
              : 'Nobody is browsing your site right now.'}
          </p>
        ) : null}
        {visitors.length > 0 ? (
          <div className="overflow-x-auto">
            {/* On a phone each visitor is a card: the details, then the action, all on screen. */}
            <CardTable columns={columns}>
              {visitors.map((v) => (
                <VisitorRow key={v.id} visitor={v} site={siteName(v.siteId)} now={now} />
              ))}
            </CardTable>
          </div>
        ) : null}
      </Card>
    </div>
  );
}

/**
 * A visitor (and their site, when it is worth saying), and the agent's first message to them
 * once they choose to start a chat: the widget already greets every visitor, so the agent
 * writes the opening line themselves.
 */
function VisitorRow({
  visitor: v,
  site,
  now,
}: {
  visitor: Visitor;
  site: string | undefined;
  now: number;
}) {
  const navigate = useNavigate();
  const [writing, setWriting] = useState(false);
  const [content, setContent] = useState('');
  const label = visitorLabel(v);
  const start = useSave({
    save: (first: string) =>
      call('startChatWithVisitor', {
        params: { id: v.id },
        body: { clientId: newClientId(), content: first },
      }),
    invalidates: [keys.conversationLists],
    onSaved: (reply) => void navigate(`/conversations/${reply.conversation.id}`),
  });
  // Once started, the chat opens: the form stays busy until it has gone.
  const busy = start.busy || start.saved;
  return (
    <>
      <CardRow ruled={!writing}>
        <td className="py-2 pr-3 max-md:block max-md:py-0.5">
          <span className="font-medium text-slate-900">{label}</span>
          {v.email && v.name ? (
            <span className="block text-xs text-slate-600">{v.email}</span>
          ) : null}
          {site ? (
            <span className="block text-xs text-slate-600" data-testid="visitor-site">
              On {site}
            </span>
          ) : null}
          {v.externalId !== null ? (
            <span className="mt-0.5 block">
              <VerifiedBadge externalId={v.externalId} />
            </span>
          ) : null}
        </td>
        <td className="max-w-72 truncate py-2 pr-3 max-md:block max-md:max-w-full max-md:py-0.5">
          {v.currentUrl ? <SafeLink url={v.currentUrl} title={v.currentTitle} /> : '—'}
        </td>
        <td className="py-2 pr-3 tabular-nums text-slate-700 max-md:block max-md:py-0.5">
          <span className="text-slate-600 md:hidden">On site for </span>
          {formatAge(v.visitStartedAt, now)}
        </td>
        <td className="hidden py-2 pr-3 text-slate-700 lg:table-cell">
          {[v.browser, v.os].filter(Boolean).join(' on ') || '—'}
        </td>
        <td className="py-2 text-right max-md:block max-md:pb-0 max-md:text-left">
          <Button
            variant="secondary"
            onClick={() => setWriting(true)}
            disabled={writing}
            aria-label={`Start chat with ${label}`}
          >
            <MessageCirclePlus aria-hidden className="h-4 w-4" /> Start chat
          </Button>
        </td>
      </CardRow>
      {writing ? (
        <CardRow layout="max-md:block">
          <td colSpan={5} className="pb-3 max-md:block">
            <form
              onSubmit={submitted(() => {
                if (content.trim()) start.run(content.trim());
              })}
              className="flex flex-col gap-2 sm:flex-row"
            >
              <label className="sr-only" htmlFor={`first-${v.id}`}>
                First message to {label}
              </label>
              <textarea
                id={`first-${v.id}`}
                className={`${inputClass} min-h-16 flex-1`}
                placeholder={`Write to ${label}…`}
                value={content}
                maxLength={MAX_MESSAGE_LENGTH}
                autoFocus
                onChange={(e) => setContent(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setWriting(false);
                  if (e.key === 'Enter' && !e.shiftKey) {
                    e.preventDefault();
                    e.currentTarget.form?.requestSubmit();
                  }
                }}
              />
              <div className="flex gap-2 sm:flex-col">
                <Button type="submit" disabled={busy || !content.trim()}>
                  Send
                </Button>
                <Button type="button" variant="ghost" onClick={() => setWriting(false)}>
                  Cancel
                </Button>
              </div>
            </form>
          </td>
        </CardRow>
      ) : null}
    </>
  );
}
