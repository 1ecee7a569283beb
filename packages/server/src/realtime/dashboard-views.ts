import type { DashboardViews } from '../services/push.js';
import type { AgentNamespace } from './namespaces.js';
import { rooms } from './rooms.js';

/**
 * Which of a person's sign-ins have their dashboard in view now, on any instance: the sockets
 * of the person's room, asked through the adapter (Redis in a cluster), as each last said.
 */
export function dashboardViews(agents: AgentNamespace): DashboardViews {
  return {
    async visibleSessions(userId) {
      const sockets = await agents.in(rooms.person(userId)).fetchSockets();
      return new Set(sockets.filter((s) => s.data.visible).map((s) => s.data.sessionId));
    },
  };
}
