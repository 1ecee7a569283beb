/**
 * Where each REST operation lives: its method and path, by operationId. This is the one place a
 * route's address is written: the catalogue's entries (routes/*.ts) spread it, the server
 * registers each handler at it, and the dashboard calls routes by it.
 *
 * No zod here, and nothing imported: the dashboard bundles this module (through client.ts, as
 * `@parley/protocol/api-addresses`) without the schemas; the types of each route's request and
 * reply come from the full entries by `import type` (types.ts), which costs nothing at run time.
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type ApiAddress = { readonly method: HttpMethod; readonly path: string };

export const apiAddresses = {
  // Auth: routes/auth.ts
  register: { method: 'post', path: '/api/auth/register' },
  login: { method: 'post', path: '/api/auth/login' },
  refresh: { method: 'post', path: '/api/auth/refresh' },
  logout: { method: 'post', path: '/api/auth/logout' },
  getMe: { method: 'get', path: '/api/auth/me' },
  updateMe: { method: 'patch', path: '/api/auth/me' },
  changePassword: { method: 'post', path: '/api/auth/password' },
  getSetup: { method: 'get', path: '/api/auth/setup' },
  listSessions: { method: 'get', path: '/api/auth/sessions' },
  endSession: { method: 'delete', path: '/api/auth/sessions/:id' },
  requestPasswordReset: { method: 'post', path: '/api/auth/password-reset' },
  confirmPasswordReset: { method: 'post', path: '/api/auth/password-reset/confirm' },
  checkPasswordReset: { method: 'post', path: '/api/auth/password-reset/check' },
  // Two-factor sign-in: routes/two-factor.ts
  completeTwoFactorLogin: { method: 'post', path: '/api/auth/login/two-factor' },
  getTwoFactor: { method: 'get', path: '/api/auth/two-factor' },
  startTwoFactorSetup: { method: 'post', path: '/api/auth/two-factor/setup' },
  confirmTwoFactor: { method: 'post', path: '/api/auth/two-factor/confirm' },
  disableTwoFactor: { method: 'post', path: '/api/auth/two-factor/disable' },
  renewRecoveryCodes: { method: 'post', path: '/api/auth/two-factor/recovery-codes' },
  getTwoFactorPolicy: { method: 'get', path: '/api/settings/two-factor' },
  updateTwoFactorPolicy: { method: 'patch', path: '/api/settings/two-factor' },
  resetUserTwoFactor: { method: 'post', path: '/api/users/:id/two-factor/reset' },
  // Single sign-on: routes/sso.ts
  startSso: { method: 'get', path: '/api/auth/sso/start' },
  ssoCallback: { method: 'get', path: '/api/auth/sso/callback' },
  redeemSso: { method: 'post', path: '/api/auth/sso/redeem' },

  // Notifications: routes/notifications.ts
  getPushKey: { method: 'get', path: '/api/push/key' },
  listPushDevices: { method: 'get', path: '/api/push/subscriptions' },
  subscribePush: { method: 'post', path: '/api/push/subscriptions' },
  unsubscribePush: { method: 'delete', path: '/api/push/subscriptions/:id' },
  testPush: { method: 'post', path: '/api/push/test' },
  getNotificationPreferences: { method: 'get', path: '/api/auth/me/notifications' },
  updateNotificationPreferences: { method: 'patch', path: '/api/auth/me/notifications' },
  // Conversations: routes/conversations.ts
  listConversations: { method: 'get', path: '/api/conversations' },
  getConversation: { method: 'get', path: '/api/conversations/:id' },
  updateConversation: { method: 'patch', path: '/api/conversations/:id' },
  deleteConversation: { method: 'delete', path: '/api/conversations/:id' },
  assignConversation: { method: 'post', path: '/api/conversations/:id/assign' },
  transferConversation: { method: 'post', path: '/api/conversations/:id/transfer' },
  handOverConversation: { method: 'post', path: '/api/conversations/:id/handover' },
  listMessages: { method: 'get', path: '/api/conversations/:id/messages' },
  sendTranscript: { method: 'post', path: '/api/conversations/:id/transcript' },

  // Messages: routes/messages.ts
  sendMessage: { method: 'post', path: '/api/messages' },
  markRead: { method: 'post', path: '/api/messages/read' },

  // Search: routes/search.ts
  search: { method: 'get', path: '/api/search' },

  // Visitors: routes/visitors.ts
  startVisitorSession: { method: 'post', path: '/api/visitors/session' },
  updateVisitorMe: { method: 'patch', path: '/api/visitors/me' },
  claimVisitorIdentity: { method: 'post', path: '/api/visitors/me/identity' },
  setVisitorAttributes: { method: 'patch', path: '/api/visitors/me/attributes' },
  listVisitors: { method: 'get', path: '/api/visitors' },
  getVisitor: { method: 'get', path: '/api/visitors/:id' },
  startChatWithVisitor: { method: 'post', path: '/api/visitors/:id/conversations' },

  // Analytics: routes/analytics.ts
  getAnalyticsOverview: { method: 'get', path: '/api/analytics/overview' },
  getAnalyticsTimeseries: { method: 'get', path: '/api/analytics/timeseries' },
  getAnalyticsAgents: { method: 'get', path: '/api/analytics/agents' },
  listRatings: { method: 'get', path: '/api/analytics/ratings' },

  // Canned responses: routes/canned-responses.ts
  listCannedResponses: { method: 'get', path: '/api/canned-responses' },
  createCannedResponse: { method: 'post', path: '/api/canned-responses' },
  updateCannedResponse: { method: 'patch', path: '/api/canned-responses/:id' },
  deleteCannedResponse: { method: 'delete', path: '/api/canned-responses/:id' },

  // Contacts: routes/contacts.ts
  listContacts: { method: 'get', path: '/api/contacts' },
  getContact: { method: 'get', path: '/api/contacts/:id' },
  eraseContact: { method: 'post', path: '/api/contacts/erase' },
  exportContact: { method: 'post', path: '/api/contacts/export' },

  // Audit log: routes/audit.ts
  listAuditEvents: { method: 'get', path: '/api/audit-events' },
  exportAuditEvents: { method: 'get', path: '/api/audit-events.csv' },

  // Bans: routes/bans.ts
  listBans: { method: 'get', path: '/api/bans' },
  createBan: { method: 'post', path: '/api/bans' },
  liftBan: { method: 'delete', path: '/api/bans/:id' },

  // Sites: routes/sites.ts
  listSites: { method: 'get', path: '/api/sites' },
  createSite: { method: 'post', path: '/api/sites' },
  updateSite: { method: 'patch', path: '/api/sites/:id' },
  deleteSite: { method: 'delete', path: '/api/sites/:id' },
  // Teams: routes/teams.ts
  listTeams: { method: 'get', path: '/api/teams' },
  createTeam: { method: 'post', path: '/api/teams' },
  updateTeam: { method: 'patch', path: '/api/teams/:id' },
  deleteTeam: { method: 'delete', path: '/api/teams/:id' },

  // Users: routes/users.ts
  listUsers: { method: 'get', path: '/api/users' },
  updateUser: { method: 'patch', path: '/api/users/:id' },
  endUserSessions: { method: 'post', path: '/api/users/:id/sessions/end' },

  // Invitations: routes/invitations.ts
  listInvitations: { method: 'get', path: '/api/invitations' },
  createInvitation: { method: 'post', path: '/api/invitations' },
  revokeInvitation: { method: 'delete', path: '/api/invitations/:id' },
  renewInvitation: { method: 'post', path: '/api/invitations/:id/renew' },
  checkInvitation: { method: 'post', path: '/api/invitations/check' },
  acceptInvitation: { method: 'post', path: '/api/invitations/accept' },

  // Settings: routes/settings.ts
  getWidgetConfig: { method: 'get', path: '/api/settings/widget/public' },
  getWidgetSettings: { method: 'get', path: '/api/settings/widget' },
  updateWidgetSettings: { method: 'patch', path: '/api/settings/widget' },
  getFileSettings: { method: 'get', path: '/api/settings/files' },
  updateFileSettings: { method: 'patch', path: '/api/settings/files' },
  getRetentionSettings: { method: 'get', path: '/api/settings/retention' },
  updateRetentionSettings: { method: 'patch', path: '/api/settings/retention' },
  getIdentitySettings: { method: 'get', path: '/api/settings/identity' },
  getIdentitySecret: { method: 'get', path: '/api/settings/identity/secret' },
  updateIdentitySettings: { method: 'patch', path: '/api/settings/identity' },
  rotateIdentitySecret: { method: 'post', path: '/api/settings/identity/rotate' },
  getEmailSettings: { method: 'get', path: '/api/settings/email' },
  sendTestEmail: { method: 'post', path: '/api/settings/email/test' },
  getSsoSettings: { method: 'get', path: '/api/settings/sso' },
  updateSsoSettings: { method: 'patch', path: '/api/settings/sso' },

  // Jobs: routes/jobs.ts
  listJobs: { method: 'get', path: '/api/jobs' },
  retryJob: { method: 'post', path: '/api/jobs/:id/retry' },

  // Webhooks: routes/webhooks.ts
  listWebhookEndpoints: { method: 'get', path: '/api/webhooks' },
  createWebhookEndpoint: { method: 'post', path: '/api/webhooks' },
  getWebhookEndpoint: { method: 'get', path: '/api/webhooks/:id' },
  updateWebhookEndpoint: { method: 'patch', path: '/api/webhooks/:id' },
  deleteWebhookEndpoint: { method: 'delete', path: '/api/webhooks/:id' },
  getWebhookSecret: { method: 'get', path: '/api/webhooks/:id/secret' },
  rotateWebhookSecret: { method: 'post', path: '/api/webhooks/:id/rotate-secret' },
  sendTestWebhook: { method: 'post', path: '/api/webhooks/:id/test' },
  listWebhookDeliveries: { method: 'get', path: '/api/webhooks/:id/deliveries' },
  getWebhookDelivery: { method: 'get', path: '/api/webhooks/:id/deliveries/:deliveryId' },
  retryWebhookDelivery: { method: 'post', path: '/api/webhooks/:id/deliveries/:deliveryId/retry' },
  resendWebhookDelivery: {
    method: 'post',
    path: '/api/webhooks/:id/deliveries/:deliveryId/resend',
  },

  // API tokens (and bots): routes/api-tokens.ts
  listApiTokens: { method: 'get', path: '/api/tokens' },
  createApiToken: { method: 'post', path: '/api/tokens' },
  revokeApiToken: { method: 'delete', path: '/api/tokens/:id' },
  getBotSettings: { method: 'get', path: '/api/bots/settings' },
  putBotSettings: { method: 'put', path: '/api/bots/settings' },

  // Files: routes/files.ts
  uploadAttachment: { method: 'put', path: '/api/attachments/:id' },
  getAttachmentUrl: { method: 'get', path: '/api/attachments/:id/url' },
  downloadFile: { method: 'get', path: '/files/:id' },

  // Reference: routes/reference.ts
  getOpenApiDocument: { method: 'get', path: '/api/openapi.json' },
  getApiReference: { method: 'get', path: '/api/docs' },
} as const satisfies Record<string, ApiAddress>;

/** Every operation's name, e.g. `listCannedResponses`. */
export type OperationId = keyof typeof apiAddresses;

/** `'/api/webhooks/:id/deliveries/:deliveryId'` → `'id' | 'deliveryId'`. */
type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The values a route's path needs, by name: `{ id: string }` for `/api/conversations/:id`. */
export type PathParams<K extends OperationId> = {
  [Name in PathParamNames<(typeof apiAddresses)[K]['path']>]: string;
};

/** `routePath`'s arguments after the operation: its path values, if its path has any. */
export type PathArgs<K extends OperationId> = [
  PathParamNames<(typeof apiAddresses)[K]['path']>,
] extends [never]
  ? []
  : [params: PathParams<K>];

/**
 * `path` with its `:name`s filled in from `values`, each URI-encoded; a missing one throws. For
 * callers generic over the operation; others have `routePath`.
 */
export function fillPath(path: string, values: Partial<Record<string, string>> = {}): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${path} needs :${name}`);
    return encodeURIComponent(value);
  });
}

/**
 * The path to call an operation at, its `:name`s filled in:
 * `routePath('getConversation', { id })` → `/api/conversations/0b6f…`.
 */
export function routePath<K extends OperationId>(operationId: K, ...[params]: PathArgs<K>): string {
  return fillPath(apiAddresses[operationId].path, params);
}
