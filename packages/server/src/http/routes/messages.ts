import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { markRead, sendMessage } from '../../services/messages.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

export function messageRoutes(ctx: Context, route: Route): void {
  // 201 when stored now, 200 when the clientId was already stored (a resend).
  route(routes.sendMessage, async ({ body, actor }) => {
    const { message, created } = await sendMessage(ctx, actor, body);
    return { status: created ? 201 : 200, body: { message } };
  });

  route(routes.markRead, async ({ body, actor }) => {
    if (actor.kind === 'visitor') {
      await enforce(ctx.rateLimiter, [[`reads:visitor:${actor.id}`, limits.readsPerVisitor]]);
    }
    await markRead(ctx, actor, body);
  });
}
