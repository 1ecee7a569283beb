/** The API's tags, in the order the reference shows them. No zod: the dashboard may import it. */
export const apiTags = {
  Auth: 'Agents sign in, out and manage their own account.',
  Conversations: 'Chats between a visitor and the team.',
  Messages: 'Sending and reading messages; the same rules as over sockets.',
  Search: 'Full-text search over conversations and messages.',
  Visitors: 'Visitor sessions (the widget) and the visitors agents see.',
  Analytics: 'Reports over a range of days.',
  'Canned responses': "The team's saved replies.",
  Users: 'The team: agents and admins.',
  Contacts: 'The people who chat: their data, its export and its erasure.',
  Sites: 'Websites: each with its own widget, snippet key, teams and hours.',
  Teams: 'Teams of agents (Billing, Technical…) and their business hours.',
  Settings: 'The widget, files and email, as admins set them.',
  Jobs: 'Background work (email), for admins.',
  Webhooks: "Admins' endpoints that receive signed deliveries of events, and their logs.",
  'API tokens': 'Tokens for integrations and bots (docs/bots.md), for admins.',
  Files: 'Uploads and their short-lived download links.',
  Reference: 'This document and its reference page.',
} as const;
export type ApiTag = keyof typeof apiTags;
