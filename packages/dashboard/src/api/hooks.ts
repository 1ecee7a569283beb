import type { CannedResponseListReply, User, UserListReply } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './keys';

/** The team, with live statuses (kept current by `agent.status_changed`). */
export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: () => api<UserListReply>('/api/users') });
}

export function useUser(id: string | null): User | undefined {
  return useUsers().data?.items.find((u) => u.id === id);
}

export function useCannedResponses() {
  return useQuery({
    queryKey: keys.canned,
    queryFn: () => api<CannedResponseListReply>('/api/canned-responses'),
  });
}
