import type { ConversationReply, Message, MessageListReply, VisitorReply } from '@parley/protocol';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api, query } from '../api/client';
import { keys } from '../api/keys';
import { mergeMessages } from './messages';

export const PAGE = 50;

export function useConversation(id: string) {
  return useQuery({
    queryKey: keys.conversation(id),
    queryFn: () => api<ConversationReply>(`/api/conversations/${id}`),
  });
}

/** The latest page of messages; live messages are merged in by the realtime layer. */
export function useMessages(id: string, lastSeq: number | undefined) {
  return useQuery({
    queryKey: keys.messages(id),
    enabled: lastSeq !== undefined,
    staleTime: Infinity,
    queryFn: async () => {
      const q = query({ beforeSeq: (lastSeq ?? 0) + 1, limit: PAGE });
      return (await api<MessageListReply>(`/api/conversations/${id}/messages${q}`)).messages;
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
      const q = query({ beforeSeq: first, limit: PAGE });
      const older = (await api<MessageListReply>(`/api/conversations/${id}/messages${q}`)).messages;
      qc.setQueryData<Message[]>(keys.messages(id), (current) =>
        mergeMessages(current ?? [], older),
      );
    } finally {
      setLoading(false);
    }
  }, [first, hasMore, id, loading, qc]);
  return { hasMore, loading, loadOlder };
}

export function useVisitor(id: string | undefined) {
  return useQuery({
    queryKey: keys.visitor(id ?? ''),
    enabled: Boolean(id),
    queryFn: () => api<VisitorReply>(`/api/visitors/${id ?? ''}`),
  });
}
