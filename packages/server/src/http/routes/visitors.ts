import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { startChatWithVisitor } from '../../services/conversations.js';
import { claimIdentity } from '../../services/identity.js';
import { enforce, limits } from '../../services/rate-limit.js';
import * as visitors from '../../services/visitors.js';
import type { Route } from '../route.js';

export function visitorRoutes(ctx: Context, route: Route): void {
  route(routes.startVisitorSession, async ({ body, req }) => {
    await enforce(ctx.rateLimiter, [[`visitor-session:ip:${req.ip}`, limits.visitorSessionPerIp]]);
    const meta = {
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
      ip: req.ip ?? null,
    };
    return visitors.createSession(ctx, body, meta);
  });

  route(routes.updateVisitorMe, async ({ body, actor }) => ({
    visitor: await visitors.patchMe(ctx, actor, body),
  }));

  // setUser: with a hash that verifies, the session of that person's visitor (a new token).
  route(routes.claimVisitorIdentity, ({ body, actor }) => claimIdentity(ctx, actor, body));

  route(routes.setVisitorAttributes, async ({ body, actor }) => ({
    visitor: await visitors.setCustomAttributes(ctx, actor, body.attributes),
  }));

  route(routes.listVisitors, ({ query }) => visitors.listVisitors(ctx, query));

  route(routes.getVisitor, ({ params }) => visitors.getVisitor(ctx, params.id));

  // 201 when a new chat was opened, 200 when the visitor already had one (it is returned as is).
  route(routes.startChatWithVisitor, async ({ params, body, actor }) => {
    const { conversation, created } = await startChatWithVisitor(ctx, actor, params.id, body);
    return { status: created ? 201 : 200, body: { conversation } };
  });
}
