import type { ConversationListReply } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../api/client';
import { keys } from '../api/keys';

const unreadFilter = { assignee: 'me', status: 'open', unreadTitle: true };

/**
 * "(3) Parley": visitor messages not yet read in the agent's own open chats. The query sits
 * under the conversation lists' key, so every live fact that refetches the lists refreshes it.
 */
export function useUnreadTitle(): void {
  const { data } = useQuery({
    queryKey: keys.conversationList(unreadFilter),
    queryFn: () =>
      api<ConversationListReply>('/api/conversations?assignee=me&status=open&limit=100'),
  });
  const unread = data?.items.reduce((sum, c) => sum + c.unreadCount, 0) ?? 0;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);
}
