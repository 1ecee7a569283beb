import type { SearchHit } from '@parley/protocol';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Lock, Tag, UserRound } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { LoadMore, Spinner } from '../ui/controls';
import { formatAge } from '../ui/time';
import { visitorLabel } from './visitor-label';

const PAGE = 20;

/**
 * What the conversation list shows while the agent searches: every matching message of all
 * history (and conversations whose visitor matches), newest first, a page at a time. A hit
 * opens its conversation at that message.
 */
export function SearchResults({ q, selectedId }: { q: string; selectedId: string | undefined }) {
  const navigate = useNavigate();
  const results = useInfiniteQuery({
    queryKey: keys.search(q),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      call('search', { query: { q, cursor: pageParam, limit: PAGE }, signal }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const hits = results.data?.pages.flatMap((p) => p.items) ?? [];
  // A reply may end short of a page while more follow: the server reads so much per request
  // (a word said often long ago, not lately, is looked for back in time). The list asks on
  // until it shows as many hits as the agent asked for, or history ends.
  const [wanted, setWanted] = useState({ q, hits: PAGE });
  const target = wanted.q === q ? wanted.hits : PAGE;
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = results;
  const goOn = hits.length < target && hasNextPage && !isError;
  useEffect(() => {
    if (goOn && !isFetchingNextPage) void fetchNextPage();
  }, [goOn, isFetchingNextPage, fetchNextPage]);
  return (
    <ul
      className="min-h-0 flex-1 overflow-y-auto"
      aria-label="Search results"
      aria-busy={results.isFetching}
    >
      <li className="border-b border-slate-100 px-3 py-1.5 text-xs text-slate-500">
        All conversations, newest first
      </li>
      {results.isPending ? <Spinner label="Searching" /> : null}
      {results.isError ? (
        <li className="p-6 text-center text-sm text-red-700">The search failed. Try again.</li>
      ) : null}
      {results.isSuccess && hits.length === 0 && !hasNextPage ? (
        <li className="p-6 text-center text-sm text-slate-600">Nothing found for “{q}”.</li>
      ) : null}
      {hits.map((hit) => (
        <HitRow
          key={hit.message?.id ?? `visitor-${hit.conversation.id}`}
          hit={hit}
          selected={hit.conversation.id === selectedId}
          onOpen={() =>
            void navigate(
              `/conversations/${hit.conversation.id}${hit.message ? `?seq=${hit.message.seq}` : ''}`,
            )
          }
        />
      ))}
      {goOn ? (
        <li>
          <Spinner label="Searching older messages" />
        </li>
      ) : hasNextPage ? (
        <li className="p-3 text-center">
          <LoadMore
            list={{
              hasNextPage,
              isFetchingNextPage,
              fetchNextPage: async () => setWanted({ q, hits: hits.length + PAGE }),
            }}
          />
        </li>
      ) : null}
    </ul>
  );
}

function HitRow({
  hit,
  selected,
  onOpen,
}: {
  hit: SearchHit;
  selected: boolean;
  onOpen: () => void;
}) {
  const { conversation, message, matched } = hit;
  const { visitor } = conversation;
  // The visitor's own words need no name: the row's title is theirs.
  const author = message?.sender === 'agent' ? (message.senderName ?? 'Agent') : null;
  return (
    <li>
      <button
        onClick={onOpen}
        aria-current={selected ? 'page' : undefined}
        data-testid="search-hit"
        className={`block w-full border-b border-slate-100 px-3 py-2.5 text-left ${
          selected ? 'bg-blue-50' : 'hover:bg-slate-50'
        }`}
      >
        <span className="flex items-baseline justify-between gap-2">
          <span className="truncate text-sm font-medium text-slate-900">
            {visitor.name !== null && matched ? (
              <Highlighted text={visitor.name} ranges={matched.name} />
            ) : (
              visitorLabel(visitor)
            )}
          </span>
          {message ? (
            <span className="shrink-0 text-xs text-slate-600">{formatAge(message.createdAt)}</span>
          ) : null}
        </span>
        {message ? (
          <span className="mt-0.5 line-clamp-3 break-words text-sm text-slate-700">
            {message.type === 'note' ? (
              <span className="mr-1 text-xs font-medium text-amber-800">
                <Lock aria-hidden className="mr-0.5 inline h-3 w-3 align-[-1px]" />
                Note{author ? ` by ${author}` : ''}:
              </span>
            ) : author ? (
              <span className="mr-1 text-xs font-medium text-slate-500">{author}:</span>
            ) : null}
            <Highlighted text={message.snippet} ranges={message.highlights} />
          </span>
        ) : (
          <>
            {/* Why it was found with no message: the visitor's email, or a tag, marked. */}
            <span className="mt-0.5 flex items-center gap-1 text-xs text-slate-600">
              <UserRound aria-hidden className="h-3 w-3 shrink-0" />
              <span className="min-w-0 break-all">
                Visitor
                {visitor.email !== null ? (
                  <>
                    {' · '}
                    <Highlighted text={visitor.email} ranges={matched?.email ?? []} />
                  </>
                ) : null}
              </span>
            </span>
            {matched?.tags.length ? (
              <span className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-600">
                <Tag aria-hidden className="h-3 w-3 shrink-0" />
                <span className="sr-only">Tagged</span>
                {matched.tags.map((tag) => (
                  <mark
                    key={tag}
                    className="rounded-sm bg-yellow-200 px-1 text-slate-900"
                    data-testid="matched-tag"
                  >
                    {tag}
                  </mark>
                ))}
              </span>
            ) : null}
          </>
        )}
      </button>
    </li>
  );
}

/**
 * The snippet as text nodes, the matched words in <mark>: the server sends plain text and
 * ranges, never markup, so nothing in a message can become HTML here.
 */
export function Highlighted({ text, ranges }: { text: string; ranges: Array<[number, number]> }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end <= start || end > text.length) continue;
    if (start > at) parts.push(text.slice(at, start));
    parts.push(
      <mark key={start} className="rounded-sm bg-yellow-200 px-0.5 text-slate-900">
        {text.slice(start, end)}
      </mark>,
    );
    at = end;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
