/** A report of the days from `from` to `to`, of one site and one team ('' for all). */
const analytics = (kind: string, from: string, to: string, siteId: string, teamId: string) =>
  ['analytics', kind, from, to, siteId, teamId] as const;
const onlineVisitorLists = ['visitors', 'online'] as const;
const contactLists = ['contacts'] as const;
const webhookDeliveries = (endpointId: string) => ['webhooks', endpointId, 'deliveries'] as const;

/**
 * Query keys in one place, so realtime updates and pages agree on them. A key that begins
 * another (`webhookDeliveries` begins `webhookDelivery`) is invalidated with it.
 */
export const keys = {
  setup: ['auth', 'setup'] as const,
  /** The signed-in user's two-factor sign-in, and whether it is required. */
  twoFactor: ['auth', 'two-factor'] as const,
  twoFactorPolicy: ['settings', 'two-factor'] as const,
  passwordResetCheck: (token: string) => ['auth', 'password-reset-check', token] as const,
  /** The signed-in agent's devices that get push notifications. */
  pushDevices: ['push', 'devices'] as const,
  /** What the signed-in agent is notified of (push, and email when mentioned). */
  notificationPreferences: ['auth', 'notifications'] as const,
  conversationLists: ['conversations'] as const,
  conversationList: (filter: object) => ['conversations', filter] as const,
  conversation: (id: string) => ['conversation', id] as const,
  /** Every conversation's held messages, for a catch-up after a reconnect. */
  allMessages: ['messages'] as const,
  messages: (id: string) => ['messages', id] as const,
  search: (q: string) => ['search', q] as const,
  visitor: (id: string) => ['visitor', id] as const,
  /** Every list of contacts, whatever it searched for. */
  contactLists,
  /** The contacts found by `q` ('' for all), of one site ('' for all). */
  contactList: (q: string, siteId: string) => [...contactLists, q, siteId] as const,
  /** A contact, their conversations and their other records. */
  contact: (id: string) => ['contact', id] as const,
  /** Every list of the visitors online, whichever site it shows. */
  onlineVisitorLists,
  /** The visitors online, of one site ('' for all). */
  onlineVisitors: (siteId: string) => [...onlineVisitorLists, siteId] as const,
  users: ['users'] as const,
  /** Invitations not yet used or revoked (Settings → Team). */
  invitations: ['invitations'] as const,
  invitationCheck: (token: string) => ['auth', 'invitation-check', token] as const,
  canned: ['canned-responses'] as const,
  /** The bans in force. */
  bans: ['bans'] as const,
  sites: ['sites'] as const,
  teams: ['teams'] as const,
  widgetSettings: ['settings', 'widget'] as const,
  fileSettings: ['settings', 'files'] as const,
  retentionSettings: ['settings', 'retention'] as const,
  /** A page of the audit log as filtered. */
  auditLog: (filter: object) => ['audit-log', filter] as const,
  /** A site's identity settings; null: the default site's (no `siteId` asked). */
  identitySettings: (siteId: string | null) => ['settings', 'identity', siteId] as const,
  emailSettings: ['settings', 'email'] as const,
  ssoSettings: ['settings', 'sso'] as const,
  botSettings: ['settings', 'bots'] as const,
  failedJobs: ['jobs', 'failed'] as const,
  apiTokens: ['api-tokens'] as const,
  webhooks: ['webhooks'] as const,
  webhookDeliveries,
  /** A delivery's detail, asked for again as its status or attempts change. */
  webhookDelivery: (
    endpointId: string,
    delivery: { id: string; status: string; attempts: number },
  ) => [...webhookDeliveries(endpointId), delivery.id, delivery.status, delivery.attempts] as const,
  analytics,
  ratings: (from: string, to: string, siteId: string, teamId: string, filter: string) =>
    [...analytics('ratings', from, to, siteId, teamId), filter] as const,
};
