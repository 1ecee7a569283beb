/** The API's tags, in the order the reference shows them. No zod: the dashboard may import it. */
export const apiTags = {
  Auth: 'Agents sign in, out and manage their own account.',
  Notifications: "Push notifications to agents' devices, and what each agent is told.",
  Conversations: 'Chats between a visitor and the team.',
  Messages: 'Sending and reading messages; the same rules as over sockets.',
  Search: 'Full-text search over conversations and messages.',
  Visitors: 'Visitor sessions (the widget) and the visitors agents see.',
  Analytics: 'Reports over a range of days.',
  'Canned responses': "The team's saved replies.",
  Users: 'The team: agents and admins.',
  Invitations: 'Adding people to the team: single-use links where they choose their password.',
  Contacts: 'The people who chat: their data, its export and its erasure.',
  Bans: 'Visitors kept out: by their record, their address or a network, for a time or until lifted.',
  Sites: 'Websites: each with its own widget, snippet key, teams and hours.',
  Teams: 'Teams of agents (Billing, Technical…) and their business hours.',
  Settings: 'The widget, files and email, as admins set them.',
  Jobs: 'Background work (email), for admins.',
  Webhooks: "Admins' endpoints that receive signed deliveries of events, and their logs.",
  'API tokens': 'Tokens for integrations and bots (docs/bots.md), for admins.',
  Files: 'Uploads and their short-lived download links.',
  'Audit log': 'Who changed what, when, from where and through which token (admins).',
  Reference: 'This document and its reference page.',
} as const;
export type ApiTag = keyof typeof apiTags;

/**
 * A tag's name in API token scopes (`<tag>:read`, `<tag>:write`): `Canned responses` is
 * `canned-responses`. A new route is covered by its tag's scopes, without a list to keep.
 */
export const scopeTagOf = (tag: ApiTag): string => tag.toLowerCase().replace(/ /g, '-');
