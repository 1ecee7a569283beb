import { useInfiniteQuery } from '@tanstack/react-query';
import { ThumbsDown, ThumbsUp } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { visitorLabel } from '../conversations/visitor-label';
import { Button, Card, LoadMore, Spinner } from '../ui/controls';
import { formatDateTime } from '../ui/time';

type Filter = 'all' | 'up' | 'down';
const FILTERS: Array<{ value: Filter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'up', label: 'Good' },
  { value: 'down', label: 'Bad' },
];

/**
 * The ratings visitors gave in the range, with their comments, newest first: of the chats of one
 * site and one team ('' for all).
 */
export function Ratings({
  from,
  to,
  siteId,
  teamId,
}: {
  from: string;
  to: string;
  siteId: string;
  teamId: string;
}) {
  const [filter, setFilter] = useState<Filter>('all');
  const rating = filter === 'all' ? undefined : filter;
  const list = useInfiniteQuery({
    queryKey: keys.ratings(from, to, siteId, teamId, filter),
    initialPageParam: '',
    queryFn: ({ pageParam, signal }) =>
      call('listRatings', {
        query: {
          from,
          to,
          siteId: siteId || undefined,
          teamId: teamId || undefined,
          rating,
          cursor: pageParam,
          limit: 20,
        },
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title="Ratings">
      <div role="radiogroup" aria-label="Show ratings" className="mb-3 flex gap-1">
        {FILTERS.map((f) => (
          <Button
            key={f.value}
            role="radio"
            aria-checked={filter === f.value}
            variant={filter === f.value ? 'primary' : 'secondary'}
            onClick={() => setFilter(f.value)}
          >
            {f.label}
          </Button>
        ))}
      </div>
      {list.isPending ? <Spinner /> : null}
      {list.isSuccess && items.length === 0 ? (
        <p className="text-sm text-slate-600">No ratings in these days.</p>
      ) : null}
      <ul className="divide-y divide-slate-100">
        {items.map((r) => (
          <li key={r.conversationId} className="flex gap-3 py-2 text-sm">
            {r.rating === 'up' ? (
              <ThumbsUp aria-label="Good" className="mt-0.5 h-4 w-4 shrink-0 text-green-700" />
            ) : (
              <ThumbsDown aria-label="Bad" className="mt-0.5 h-4 w-4 shrink-0 text-red-700" />
            )}
            <div className="min-w-0 flex-1">
              <p className="break-words text-slate-900">
                {r.comment ?? <span className="text-slate-500">No comment</span>}
              </p>
              <p className="text-xs text-slate-600">
                <Link className="underline" to={`/conversations/${r.conversationId}`}>
                  {visitorLabel(r.visitor)}
                </Link>
                {r.assignee ? ` · with ${r.assignee.name}` : ''} · {formatDateTime(r.ratedAt)}
              </p>
            </div>
          </li>
        ))}
      </ul>
      <LoadMore list={list} />
    </Card>
  );
}
