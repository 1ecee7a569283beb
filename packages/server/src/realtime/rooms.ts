/** Room names, in one place. The server alone puts sockets in rooms. */
export const rooms = {
  /** Every connected agent: the team sees every conversation. */
  agents: 'agents',
  /** The sockets of one sign-in (a browser's session family, or an API token): to end it. */
  signIn: (sessionId: string) => `sign-in:${sessionId}`,
  /** The dashboards of one person (every device): whether any is in view (push, issue 37). */
  person: (userId: string) => `person:${userId}`,
  /** Agents who have a conversation open. */
  conversation: (id: string) => `conversation:${id}`,
  /** Every visitor of one website: who is available to answer them. */
  site: (id: string) => `site:${id}`,
  /** All sockets of one visitor: their widget in every tab. */
  visitor: (id: string) => `visitor:${id}`,
};
