import type { Message } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { toastError } from '../ui/errors';
import { mergeMessages } from './messages';

export const PAGE = 50;

export function useConversation(id: string) {
  return useQuery({
    queryKey: keys.conversation(id),
    queryFn: () => call('getConversation', { params: { id } }),
  });
}

/** The latest page of messages; live messages are merged in by the realtime layer. */
export function useMessages(id: string, lastSeq: number | undefined) {
  return useQuery({
    queryKey: keys.messages(id),
    enabled: lastSeq !== undefined,
    staleTime: Infinity,
    queryFn: async () => {
      const q = { beforeSeq: (lastSeq ?? 0) + 1, limit: PAGE };
      return (await call('listMessages', { params: { id }, query: q })).messages;
    },
  });
}

/** Scroll-back: fetches the page before the oldest message held. */
export function useOlderMessages(id: string, messages: readonly Message[] | undefined) {
  const qc = useQueryClient();
  const [loading, setLoading] = useState(false);
  const first = messages?.[0]?.seq ?? 1;
  const hasMore = first > 1;
  const loadOlder = useCallback(async () => {
    if (!hasMore || loading) return;
    setLoading(true);
    try {
      const q = { beforeSeq: first, limit: PAGE };
      const older = (await call('listMessages', { params: { id }, query: q })).messages;
      qc.setQueryData<Message[]>(keys.messages(id), (current) =>
        mergeMessages(current ?? [], older),
      );
    } finally {
      setLoading(false);
    }
  }, [first, hasMore, id, loading, qc]);
  return { hasMore, loading, loadOlder };
}

/** Messages shown before a message opened from search, so that it is read in context. */
const CONTEXT_BEFORE = 20;
/** The most the messages API gives at once. */
const MAX_PAGE = 200;

/**
 * Brings the message `seq` into the held messages when it is older than the oldest held (a
 * search hit far back): everything from a little before it up to the oldest held is fetched,
 * pages at once, so what is held stays one run of seqs. A hole would read as lost messages to
 * the realtime layer, which syncs to fill it.
 */
export function useMessagesBackTo(
  id: string,
  messages: readonly Message[] | undefined,
  seq: number | undefined,
) {
  const qc = useQueryClient();
  const first = messages?.[0]?.seq;
  useEffect(() => {
    if (seq === undefined || first === undefined || seq >= first) return;
    const ranges: Array<{ afterSeq: number; limit: number }> = [];
    for (let after = Math.max(0, seq - 1 - CONTEXT_BEFORE); after < first - 1; after += MAX_PAGE) {
      ranges.push({ afterSeq: after, limit: Math.min(MAX_PAGE, first - 1 - after) });
    }
    void Promise.all(ranges.map((r) => call('listMessages', { params: { id }, query: r })))
      .then((pages) =>
        qc.setQueryData<Message[]>(keys.messages(id), (current) =>
          mergeMessages(
            current ?? [],
            pages.flatMap((p) => p.messages),
          ),
        ),
      )
      .catch(toastError);
  }, [id, seq, first, qc]);
}

export function useVisitor(id: string | undefined) {
  return useQuery({
    queryKey: keys.visitor(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => call('getVisitor', { params: { id: id ?? '' } }),
  });
}
