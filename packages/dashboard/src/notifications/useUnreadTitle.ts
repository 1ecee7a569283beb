import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { call } from '../api/client';
import { keys } from '../api/keys';
import { useUser } from '../api/hooks';
import { useMe } from '../auth/AuthProvider';

const mine = { assignee: 'me', status: 'open', title: true };
const queue = { assignee: 'none', status: 'pending', title: true };

/**
 * "(3) Parley": what needs this agent: their own chats with unread visitor messages and, while
 * they take chats (online), the chats waiting in the queue. The queries sit under the
 * conversation lists' key, so every live fact that refetches the lists refreshes them.
 */
export function useUnreadTitle(): void {
  const me = useMe();
  const online = (useUser(me.id)?.status ?? me.status) === 'online';
  const { data: own } = useQuery({
    queryKey: keys.conversationList(mine),
    queryFn: () =>
      call('listConversations', { query: { assignee: 'me', status: 'open', limit: 100 } }),
  });
  const { data: waiting } = useQuery({
    queryKey: keys.conversationList(queue),
    queryFn: () =>
      call('listConversations', { query: { assignee: 'none', status: 'pending', limit: 100 } }),
    enabled: online,
  });
  const unread = own?.items.filter((c) => c.unreadCount > 0).length ?? 0;
  const queued = online ? (waiting?.items.length ?? 0) : 0;
  const count = unread + queued;
  useEffect(() => {
    document.title = count > 0 ? `(${count > 99 ? '99+' : count}) Parley` : 'Parley';
  }, [count]);
}
