/** Query keys in one place, so realtime updates and pages agree on them. */
export const keys = {
  setup: ['auth', 'setup'] as const,
  passwordResetCheck: (token: string) => ['auth', 'password-reset-check', token] as const,
  conversationLists: ['conversations'] as const,
  conversationList: (filter: object) => ['conversations', filter] as const,
  conversation: (id: string) => ['conversation', id] as const,
  messages: (id: string) => ['messages', id] as const,
  search: (q: string) => ['search', q] as const,
  visitor: (id: string) => ['visitor', id] as const,
  onlineVisitors: ['visitors', 'online'] as const,
  users: ['users'] as const,
  canned: ['canned-responses'] as const,
  widgetSettings: ['settings', 'widget'] as const,
  analytics: (kind: string, from: string, to: string) => ['analytics', kind, from, to] as const,
};
