/** Room names, in one place. The server alone puts sockets in rooms. */
export const rooms = {
  /** Every connected agent: the team sees every conversation. */
  agents: 'agents',
  /** All sockets of one agent (tabs, devices): for signing them out together. */
  agent: (id: string) => `agent:${id}`,
  /** Agents who have a conversation open. */
  conversation: (id: string) => `conversation:${id}`,
  /** All sockets of one visitor: their widget in every tab. */
  visitor: (id: string) => `visitor:${id}`,
};
