import type { Context } from '../context.js';
import type { JobHandler } from '../queue/kinds.js';
import { deliverPush, type DashboardViews } from '../services/push.js';

/**
 * One push to an agent's devices (services/push.ts): a few tries over a minute or so; a push
 * older than that is news the dashboard tells better.
 */
export function sendPushJob(ctx: Context, views: DashboardViews): JobHandler<'send-push'> {
  return {
    kind: 'send-push',
    maxAttempts: 4,
    run: (payload) => deliverPush(ctx, views, payload),
  };
}
