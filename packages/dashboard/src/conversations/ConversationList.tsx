import type { ConversationListItem, ConversationStatus } from '@parley/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import toast from 'react-hot-toast';
import { useNavigate } from 'react-router';
import { call } from '../api/client';
import { useSites, useTeams } from '../api/hooks';
import { keys } from '../api/keys';
import { useMe } from '../auth/AuthProvider';
import { useShortcut } from '../keyboard/shortcuts';
import { inputClass, LoadMore, Spinner } from '../ui/controls';
import { formatAge } from '../ui/time';
import { useDebounced } from '../ui/useDebounced';
import { lastMessagePreview } from './messages';
import { placeOf } from './place';
import { SearchResults } from './SearchResults';
import { visitorLabel } from './visitor-label';

const tabs = [
  { id: 'mine', label: 'Mine', assignee: 'me', status: 'open' },
  { id: 'queue', label: 'Queue', assignee: 'none', status: 'pending' },
  { id: 'all', label: 'All', assignee: undefined, status: '' },
] as const;
type TabId = (typeof tabs)[number]['id'];
const statuses: Array<{ value: ConversationStatus | ''; label: string }> = [
  { value: '', label: 'Any status' },
  { value: 'open', label: 'Open' },
  { value: 'pending', label: 'Pending' },
  { value: 'closed', label: 'Closed' },
];

const filterClass =
  'min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-1 py-1.5 text-sm';

export function ConversationList({ selectedId }: { selectedId: string | undefined }) {
  const navigate = useNavigate();
  const [tab, setTab] = useState<TabId>('mine');
  const [status, setStatus] = useState<ConversationStatus | ''>('open');
  const [search, setSearch] = useState('');
  const [tagInput, setTagInput] = useState('');
  const q = useDebounced(search.trim(), 250);
  const tag = useDebounced(tagInput.trim(), 250);
  const assignee = tabs.find((t) => t.id === tab)?.assignee;
  // The site and team filters show only where there is a choice: several sites, any team. A
  // choice hidden since (the second site deleted, say) no longer filters.
  const sites = useSites().data?.items ?? [];
  const teams = useTeams().data?.items ?? [];
  const [siteChoice, setSiteChoice] = useState('');
  const [teamChoice, setTeamChoice] = useState('');
  const siteId = sites.length > 1 && sites.some((s) => s.id === siteChoice) ? siteChoice : '';
  const teamId = teamChoice === 'mine' || teams.some((t) => t.id === teamChoice) ? teamChoice : '';
  const filter = { assignee, status, tag, siteId, teamId };
  // While the agent searches, the list gives way to the hits (of all conversations).
  const searching = q !== '';
  const list = useInfiniteQuery({
    queryKey: keys.conversationList(filter),
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      call('listConversations', {
        // Empty values are left out of the query: '' is every status, or no tag.
        query: {
          assignee,
          status: status || undefined,
          tag,
          siteId: siteId || undefined,
          teamId: teamId || undefined,
          cursor: pageParam,
          limit: 30,
        },
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = useMemo(
    () => (searching ? [] : (list.data?.pages.flatMap((p) => p.items) ?? [])),
    [list.data, searching],
  );

  // j/k move the focus through the rows and Enter opens one (it is a button): the keyboard
  // flow of a chat desk. u opens the next chat with unread messages, / goes to the search.
  const listRef = useRef<HTMLUListElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const moveFocus = (step: 1 | -1) => {
    const rows = [...(listRef.current?.querySelectorAll<HTMLElement>('[data-row]') ?? [])];
    const at = rows.findIndex((row) => row === document.activeElement);
    const from = at >= 0 ? at : rows.findIndex((row) => row.ariaCurrent === 'page');
    rows[Math.max(0, Math.min(rows.length - 1, from + step))]?.focus();
  };
  useShortcut('next', () => moveFocus(1));
  useShortcut('previous', () => moveFocus(-1));
  useShortcut('search', () => searchRef.current?.focus());
  useShortcut('nextUnread', () => {
    const unread = items.filter((c) => c.unreadCount > 0 && c.id !== selectedId);
    const after = items.findIndex((c) => c.id === selectedId);
    const next = unread.find((c) => items.indexOf(c) > after) ?? unread[0];
    if (next) void navigate(`/conversations/${next.id}`);
    else toast('No unread chats here');
  });

  // The tags of the chats in view, offered as the tag filter's choices.
  const knownTags = useMemo(() => [...new Set(items.flatMap((c) => c.tags))].sort(), [items]);
  const me = useMe();

  const chooseTab = (id: TabId) => {
    setTab(id);
    setStatus(tabs.find((t) => t.id === id)?.status ?? '');
  };

  return (
    <section
      aria-label="Conversations"
      className="flex h-full min-h-0 flex-col border-r border-slate-200 bg-white"
    >
      <div className="space-y-2 border-b border-slate-200 p-3">
        <div
          role="tablist"
          aria-label="Which conversations"
          className="flex rounded-md bg-slate-100 p-1"
        >
          {tabs.map((t) => (
            <button
              key={t.id}
              role="tab"
              aria-selected={tab === t.id}
              onClick={() => chooseTab(t.id)}
              className={`flex-1 rounded px-2 py-1 text-sm font-medium ${
                tab === t.id
                  ? 'bg-white text-slate-900 shadow-sm'
                  : 'text-slate-600 hover:text-slate-900'
              }`}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="relative">
          <Search
            aria-hidden
            className="pointer-events-none absolute left-2 top-2 h-4 w-4 text-slate-500"
          />
          <input
            ref={searchRef}
            type="search"
            aria-label="Search messages, names and emails"
            placeholder="Search all messages…"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            className={`${inputClass} pl-8`}
          />
        </div>
        <div className="flex gap-2">
          <input
            type="search"
            aria-label="Tag"
            placeholder="Any tag"
            list="conversation-tags"
            value={tagInput}
            onChange={(e) => setTagInput(e.target.value)}
            className={`${inputClass} min-w-0 flex-1`}
          />
          <datalist id="conversation-tags">
            {knownTags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <select
            aria-label="Status"
            value={status}
            onChange={(e) =>
              setStatus(statuses.find((s) => s.value === e.target.value)?.value ?? '')
            }
            className="rounded-md border border-slate-300 bg-white px-1 text-sm"
          >
            {statuses.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        {sites.length > 1 || teams.length > 0 ? (
          <div className="flex gap-2">
            {sites.length > 1 ? (
              <select
                aria-label="Site"
                value={siteId}
                onChange={(e) => setSiteChoice(e.target.value)}
                className={filterClass}
              >
                <option value="">Any site</option>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            ) : null}
            {teams.length > 0 ? (
              <select
                aria-label="Team"
                value={teamId}
                onChange={(e) => setTeamChoice(e.target.value)}
                className={filterClass}
              >
                <option value="">Any team</option>
                <option value="mine">My teams</option>
                {teams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
        ) : null}
      </div>
      {searching ? <SearchResults q={q} selectedId={selectedId} /> : null}
      <ul
        ref={listRef}
        hidden={searching}
        className="min-h-0 flex-1 overflow-y-auto"
        aria-label="Conversation list"
      >
        {list.isPending ? <Spinner /> : null}
        {!list.isPending && items.length === 0 ? (
          <li className="p-6 text-center text-sm text-slate-600">No conversations here.</li>
        ) : null}

        {items.map((c) => (
          <ConversationRow
            key={c.id}
            item={c}
            place={placeOf(c, sites, teams)}
            myId={me.id}
            selected={c.id === selectedId}
            onOpen={() => void navigate(`/conversations/${c.id}`)}
          />
        ))}
        {list.hasNextPage ? (
          <li className="p-3 text-center">
            <LoadMore list={list} />
          </li>
        ) : null}
      </ul>
    </section>
  );
}

function ConversationRow(props: {
  item: ConversationListItem;
  place: string | null;
  myId: string;
  selected: boolean;
  onOpen: () => void;
}) {
  const { item, selected } = props;
  const preview = item.lastMessage ? lastMessagePreview(item.lastMessage, props.myId) : '';
  return (
    <li>
      <button
        data-row
        onClick={props.onOpen}
        aria-current={selected ? 'page' : undefined}
        className={`flex w-full gap-3 border-b border-slate-100 px-3 py-2.5 text-left focus-visible:-outline-offset-2 ${
          selected ? 'bg-blue-50' : 'hover:bg-slate-50'
        }`}
      >
        <span className="relative mt-0.5 flex h-9 w-9 shrink-0 items-center justify-center rounded-full bg-slate-200 text-sm font-semibold text-slate-700">
          {visitorLabel(item.visitor).slice(0, 1).toUpperCase()}
          {item.visitor.online ? (
            <span className="absolute -bottom-0.5 -right-0.5 h-3 w-3 rounded-full border-2 border-white bg-green-500" />
          ) : null}
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline justify-between gap-2">
            <span
              className={`truncate text-sm ${item.unreadCount > 0 ? 'font-bold' : 'font-medium'} text-slate-900`}
            >
              {visitorLabel(item.visitor)}
            </span>
            <span className="shrink-0 text-xs text-slate-600">{formatAge(item.lastMessageAt)}</span>
          </span>
          {props.place ? (
            <span
              className="block truncate text-xs text-slate-600"
              data-testid="conversation-place"
            >
              {props.place}
            </span>
          ) : null}
          {item.tags.length > 0 ? (
            <span className="block truncate text-xs text-slate-600">
              {item.tags.map((t) => `#${t}`).join(' ')}
            </span>
          ) : null}
          <span className="flex items-center justify-between gap-2">
            <span className="truncate text-sm text-slate-600">{preview}</span>
            {item.unreadCount > 0 ? (
              <span
                className="shrink-0 rounded-full bg-blue-600 px-1.5 text-xs font-semibold text-on-accent"
                aria-label={`${item.unreadCount} unread`}
              >
                {item.unreadCount}
              </span>
            ) : item.status === 'closed' ? (
              <span className="shrink-0 text-xs text-slate-500">closed</span>
            ) : null}
          </span>
        </span>
      </button>
    </li>
  );
}
