import type { Contact, Conversation } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError, call } from '../api/client';
import { useSites, useTeams, useUsers } from '../api/hooks';
import { keys } from '../api/keys';
import { useMe } from '../auth/AuthProvider';
import { placeOf } from '../conversations/place';
import { visitorLabel } from '../conversations/visitor-label';
import { DetailRow, VerifiedBadge, VisitorAnswers } from '../conversations/VisitorPanel';
import { Card, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';
import { ContactData } from './ContactData';
import { contactsState } from './list-state';
import { StartChat } from './StartChat';

const statusStyle: Record<Conversation['status'], string> = {
  open: 'bg-green-50 text-green-800 ring-green-600/30',
  pending: 'bg-amber-50 text-amber-900 ring-amber-600/30',
  closed: 'bg-slate-100 text-slate-700 ring-slate-500/30',
};

/**
 * One person: who they are and what the site told of them, their conversations (each opens in
 * the conversations page), their other records (the same address on another browser or site),
 * a first message to them, and, for admins, their data to export or erase.
 */
export function ContactDetails({ id }: { id: string }) {
  const location = useLocation();
  const me = useMe();
  const { list = '' } = contactsState(location.state);
  const back = `/contacts${list}`;
  const contact = useQuery({
    queryKey: keys.contact(id),
    queryFn: () => call('getContact', { params: { id } }),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  const sites = useSites().data?.items ?? [];
  const siteName = (siteId: string) =>
    sites.length > 1 ? sites.find((s) => s.id === siteId)?.name : undefined;

  // Opened from the list, the page starts at the person's name, which takes the focus.
  const heading = useRef<HTMLHeadingElement>(null);
  const loaded = contact.isSuccess;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  const backLink = (
    <Link
      to={back}
      className="inline-flex items-center gap-1 text-sm font-medium text-blue-700 hover:underline"
    >
      <ArrowLeft aria-hidden className="h-4 w-4" /> All contacts
    </Link>
  );
  if (contact.isPending) return <Spinner />;
  if (contact.isError) {
    const gone = contact.error instanceof ApiError && contact.error.status === 404;
    return (
      <div className="h-full space-y-4 overflow-y-auto p-4 md:p-6">
        {backLink}
        <h1 className="text-xl font-semibold text-slate-900">
          {gone ? 'No such contact' : 'This contact could not be loaded'}
        </h1>
        <p className="text-sm text-slate-700">
          {gone
            ? 'Parley holds nobody by this address: they may have been erased.'
            : contact.error.message}
        </p>
      </div>
    );
  }

  const { contact: c, conversations, related } = contact.data;
  const label = visitorLabel(c);
  const site = siteName(c.siteId);
  const openChat = conversations.some((conv) => conv.status !== 'closed');
  return (
    <div className="h-full space-y-4 overflow-y-auto p-4 md:p-6">
      {backLink}
      <div className="flex flex-wrap items-center gap-2">
        <h1
          ref={heading}
          tabIndex={-1}
          className="min-w-0 break-words text-xl font-semibold text-slate-900 focus:outline-none"
        >
          {label}
        </h1>
        {c.externalId !== null ? <VerifiedBadge externalId={c.externalId} /> : null}
      </div>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 xl:grid-cols-[minmax(0,1fr)_24rem]">
        <div className="space-y-4">
          <Card title="Details">
            <div className="space-y-4 text-sm">
              <dl className="space-y-1.5">
                <DetailRow label="Name">{c.name ?? '—'}</DetailRow>
                <DetailRow label="Email">{c.email ?? '—'}</DetailRow>
                {site ? <DetailRow label="Site">{site}</DetailRow> : null}
                <DetailRow label="Identity">
                  <VerifiedBadge externalId={c.externalId} />
                </DetailRow>
                <DetailRow label="Status">
                  <span className={c.online ? 'font-medium text-green-700' : 'text-slate-600'}>
                    {c.online ? 'On the site now' : 'Offline'}
                  </span>
                </DetailRow>
                <DetailRow label="First seen">{formatDateTime(c.firstSeenAt)}</DetailRow>
                <DetailRow label="Last seen">{formatDateTime(c.lastSeenAt)}</DetailRow>
                <DetailRow label="Browser">
                  {[c.browser, c.os].filter(Boolean).join(' on ') || '—'}
                </DetailRow>
              </dl>
              <VisitorAnswers attributes={c.attributes} />
            </div>
          </Card>
          <ContactConversations conversations={conversations} />
          {related.length > 0 ? (
            <RelatedContacts related={related} siteName={siteName} list={list} />
          ) : null}
        </div>
        <div className="space-y-4">
          <StartChat contact={c} openChat={openChat} />
          {me.role === 'admin' ? <ContactData contact={c} related={related} back={list} /> : null}
        </div>
      </div>
    </div>
  );
}

/** Their conversations, newest first, each a link to it in the conversations page. */
function ContactConversations({ conversations }: { conversations: readonly Conversation[] }) {
  const users = useUsers().data?.items ?? [];
  const sites = useSites().data?.items ?? [];
  const teams = useTeams().data?.items ?? [];
  return (
    <Card title={`Conversations (${conversations.length})`}>
      {conversations.length === 0 ? (
        <p className="text-sm text-slate-600">None.</p>
      ) : (
        <ul className="divide-y divide-slate-100 text-sm" aria-label="Their conversations">
          {conversations.map((conv) => {
            const assignee = users.find((u) => u.id === conv.assigneeId)?.name;
            const place = placeOf(conv, sites, teams);
            return (
              <li key={conv.id} className="space-y-1 py-2.5" data-testid="contact-conversation">
                <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
                  <Link
                    to={`/conversations/${conv.id}`}
                    className="font-medium text-blue-700 hover:underline"
                  >
                    Started {formatDateTime(conv.createdAt)}
                  </Link>
                  <span
                    className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusStyle[conv.status]}`}
                  >
                    {conv.status}
                  </span>
                  {conv.rating ? (
                    <span className="text-xs text-slate-600">
                      Rated {conv.rating === 'up' ? 'good' : 'bad'}
                    </span>
                  ) : null}
                </div>
                <p className="text-xs text-slate-600">
                  Last message {formatDateTime(conv.lastMessageAt)}
                  {assignee ? ` · with ${assignee}` : ''}
                  {place ? ` · ${place}` : ''}
                  {conv.tags.length > 0 ? ` · ${conv.tags.map((t) => `#${t}`).join(' ')}` : ''}
                </p>
                {conv.notes ? (
                  <p className="line-clamp-3 whitespace-pre-line break-words text-slate-700">
                    <span className="font-medium text-slate-800">Notes: </span>
                    {conv.notes}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/** The same person's other records: the same address, on another browser or another site. */
function RelatedContacts({
  related,
  siteName,
  list,
}: {
  related: readonly Contact[];
  siteName: (siteId: string) => string | undefined;
  list: string;
}) {
  return (
    <Card title="Other records">
      <p className="mb-2 text-sm text-slate-600">
        The same email address, given on another browser or another site.
      </p>
      <ul className="divide-y divide-slate-100 text-sm" aria-label="Their other records">
        {related.map((r) => {
          const site = siteName(r.siteId);
          return (
            <li key={r.id} className="space-y-0.5 py-2">
              <Link
                to={`/contacts/${r.id}`}
                state={{ list }}
                className="break-words font-medium text-blue-700 hover:underline"
              >
                {visitorLabel(r)}
              </Link>
              <p className="text-xs text-slate-600">
                {[
                  r.email,
                  site ? `on ${site}` : null,
                  `${r.conversationCount} ${r.conversationCount === 1 ? 'chat' : 'chats'}`,
                  `last ${formatDateTime(r.lastChatAt)}`,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </p>
              {r.externalId !== null ? <VerifiedBadge externalId={r.externalId} /> : null}
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
