import type { Contact } from '@parley/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { call } from '../api/client';
import { useSites } from '../api/hooks';
import { keys } from '../api/keys';
import { visitorLabel } from '../conversations/visitor-label';
import { VerifiedBadge } from '../conversations/VisitorPanel';
import { CardRow, CardTable } from '../ui/CardTable';
import { Card, inputClass, LoadMore, Notice, SelectField, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';
import { useDebounced } from '../ui/useDebounced';
import { contactsState } from './list-state';

const PAGE = 50;

/**
 * Everyone who ever chatted or left a message, last seen first: searched by words of their
 * name, email, the site's id for them or their attributes. The search and the site are in the
 * address (`?q=…&site=…`), so a reload or a link keeps them.
 */
export function ContactList() {
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const siteList = useSites();
  const sites = siteList.data?.items ?? [];
  // The site filter shows only where there is a choice; a site deleted since no longer filters.
  const siteChoice = params.get('site') ?? '';
  const siteId = sites.length > 1 && sites.some((s) => s.id === siteChoice) ? siteChoice : '';

  // What is typed goes to the address once the typing pauses (replacing the entry: a search is
  // not a page to go back to); an address changed otherwise (back, a link) comes into the box.
  // `shown` is the search the address holds, as this page last saw or set it.
  const [typed, setTyped] = useState(q);
  const debounced = useDebounced(typed.trim(), 300);
  const shown = useRef(q);
  useEffect(() => {
    if (debounced === shown.current) return;
    shown.current = debounced;
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (debounced) next.set('q', debounced);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [debounced, setParams]);
  useEffect(() => {
    if (q === shown.current) return;
    shown.current = q;
    setTyped(q);
  }, [q]);

  const chooseSite = (id: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (id) next.set('site', id);
        else next.delete('site');
        return next;
      },
      { replace: true },
    );

  const list = useInfiniteQuery({
    queryKey: keys.contactList(q, siteId),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      call('listContacts', {
        query: { q: q || undefined, siteId: siteId || undefined, cursor: pageParam, limit: PAGE },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // A site named in the address is known to filter (or not) once the sites are in.
    enabled: siteChoice === '' || !siteList.isPending,
  });
  const contacts = list.data?.pages.flatMap((p) => p.items) ?? [];
  // Each contact's site is named while the list shows several sites' contacts.
  const siteColumn = sites.length > 1 && !siteId;
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? '—';
  const { erased } = contactsState(location.state);
  const erasedNotice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (erased) erasedNotice.current?.focus();
  }, [erased]);
  const columns = [
    { label: 'Contact' },
    ...(siteColumn ? [{ label: 'Site', className: 'hidden lg:table-cell' }] : []),
    { label: 'Conversations' },
    { label: 'Last chat' },
  ];

  return (
    <div className="h-full overflow-y-auto p-4 md:p-6">
      <h1 className="mb-4 text-xl font-semibold text-slate-900">Contacts</h1>
      {erased ? (
        // Where the focus lands after the erasure, so that it is read out first.
        <div className="mb-4 focus:outline-none" tabIndex={-1} ref={erasedNotice}>
          <Notice>
            Everything Parley held about <strong>{erased}</strong> was erased.
          </Notice>
        </div>
      ) : null}
      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 basis-64 space-y-1">
          <label htmlFor="contact-search" className="block text-sm font-medium text-slate-700">
            Search contacts
          </label>
          <div className="relative">
            <Search
              aria-hidden
              className="pointer-events-none absolute left-2 top-2 h-4 w-4 text-slate-500"
            />
            <input
              id="contact-search"
              type="search"
              placeholder="Name, email or attribute…"
              value={typed}
              maxLength={200}
              onChange={(e) => setTyped(e.target.value)}
              className={`${inputClass} pl-8`}
            />
          </div>
        </div>
        {sites.length > 1 ? (
          <div className="w-full sm:w-56">
            <SelectField
              label="Site"
              value={siteId}
              onChange={(e) => chooseSite(e.target.value)}
              options={[
                { value: '', label: 'All sites' },
                ...sites.map((s) => ({ value: s.id, label: s.name })),
              ]}
            />
          </div>
        ) : null}
      </div>
      <Card>
        {list.isPending ? <Spinner /> : null}
        {list.isError ? (
          <p role="alert" className="p-4 text-center text-sm text-red-700">
            The contacts could not be loaded. {list.error.message}
          </p>
        ) : null}
        {list.isSuccess && contacts.length === 0 ? (
          <p className="p-4 text-center text-sm text-slate-600">
            {q
              ? `Nobody matches “${q}”.`
              : 'Nobody has chatted yet: whoever starts a chat or leaves a message is listed here.'}
          </p>
        ) : null}
        {contacts.length > 0 ? (
          <div className="overflow-x-auto">
            <CardTable columns={columns}>
              {contacts.map((c) => (
                <ContactRow
                  key={c.id}
                  contact={c}
                  site={siteColumn ? siteName(c.siteId) : null}
                  listSearch={location.search}
                />
              ))}
            </CardTable>
          </div>
        ) : null}
        {list.hasNextPage ? (
          <div className="pt-3 text-center">
            <LoadMore list={list} />
          </div>
        ) : null}
      </Card>
    </div>
  );
}

/** A contact: their name (a link to their page), email, site, whether verified, their chats. */
function ContactRow({
  contact: c,
  site,
  listSearch,
}: {
  contact: Contact;
  /** Named while the list shows several sites' contacts. */
  site: string | null;
  listSearch: string;
}) {
  return (
    <CardRow data-testid="contact">
      <td className="py-2 pr-3 max-md:block max-md:py-0.5">
        <Link
          to={`/contacts/${c.id}`}
          state={{ list: listSearch }}
          className="break-words font-medium text-blue-700 hover:underline"
        >
          {visitorLabel(c)}
        </Link>
        {c.email && c.name ? (
          <span className="block break-words text-xs text-slate-600">{c.email}</span>
        ) : null}
        {site ? <span className="block text-xs text-slate-600 lg:hidden">On {site}</span> : null}
        {c.externalId !== null ? (
          <span className="mt-0.5 block">
            <VerifiedBadge externalId={c.externalId} />
          </span>
        ) : null}
      </td>
      {site !== null ? (
        <td className="hidden py-2 pr-3 text-slate-700 lg:table-cell">{site}</td>
      ) : null}
      <td className="py-2 pr-3 tabular-nums text-slate-700 max-md:inline max-md:p-0">
        {c.conversationCount}
        <span className="md:hidden"> {c.conversationCount === 1 ? 'chat' : 'chats'}</span>
      </td>
      <td className="py-2 text-slate-700 max-md:inline max-md:p-0">
        <span className="text-slate-600 md:hidden"> · last </span>
        <time dateTime={c.lastChatAt}>{formatDateTime(c.lastChatAt)}</time>
      </td>
    </CardRow>
  );
}
