import type { ConversationListItem, Site, Team } from '@parley/protocol';

/**
 * Where a chat came from and whose queue it is in, as the list and the chat's header say it:
 * "Outdoor shop · Billing". The site is named only when there are several (with one, it says
 * nothing); null when there is nothing to say.
 */
export function placeOf(
  item: Pick<ConversationListItem, 'siteId' | 'teamId'>,
  sites: readonly Pick<Site, 'id' | 'name'>[],
  teams: readonly Pick<Team, 'id' | 'name'>[],
): string | null {
  const site = sites.length > 1 ? sites.find((s) => s.id === item.siteId)?.name : undefined;
  const team = teams.find((t) => t.id === item.teamId)?.name;
  return [site, team].filter(Boolean).join(' · ') || null;
}
