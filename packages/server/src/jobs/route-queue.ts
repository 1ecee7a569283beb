import type { Context } from '../context.js';
import type { JobHandler } from '../queue/kinds.js';
import { drainQueue } from '../services/routing.js';

/**
 * A team's business hours have opened: the chats that waited in its queue go to its agents
 * online now, oldest first (queued by routing when it left one waiting outside the hours).
 */
export function routeQueueJob(ctx: Context): JobHandler<'route-queue'> {
  return {
    kind: 'route-queue',
    maxAttempts: 5,
    async run() {
      await drainQueue(ctx);
    },
  };
}
