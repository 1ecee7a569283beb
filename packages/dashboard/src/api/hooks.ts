import type { User } from '@parley/protocol';
import { useQuery } from '@tanstack/react-query';
import { call } from './client';
import { keys } from './keys';

/** The team, with live statuses (kept current by `agent.status_changed`). */
export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: () => call('listUsers') });
}

export function useUser(id: string | null): User | undefined {
  return useUsers().data?.items.find((u) => u.id === id);
}

/**
 * The websites and the teams: the list's filters, the chat's header, a transfer's choices and
 * their settings. Each carries whether its hours have it open now, as of the request.
 */
export function useSites() {
  return useQuery({ queryKey: keys.sites, queryFn: () => call('listSites') });
}

export function useTeams() {
  return useQuery({ queryKey: keys.teams, queryFn: () => call('listTeams') });
}

export function useCannedResponses() {
  return useQuery({
    queryKey: keys.canned,
    queryFn: () => call('listCannedResponses'),
  });
}

export const fetchSetup = () => call('getSetup');

/**
 * Whether this Parley sends email (password resets, transcripts, alerts); undefined until known.
 * Read from the public set-up reply, which says exactly that as `passwordReset`, rather than the
 * admins' email settings: agents who are not admins need to know too. The sign-in gate fetches
 * the reply into this cache, so the sign-in page knows at once whether to offer a reset.
 */
export function useEmailOn(): boolean | undefined {
  // Email is switched on by the server's environment: it changes only with a restart.
  const setup = useQuery({ queryKey: keys.setup, queryFn: fetchSetup, staleTime: Infinity });
  return setup.data?.passwordReset;
}
