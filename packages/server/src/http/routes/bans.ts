import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { banVisitor, liftBan, listBans } from '../../services/bans.js';
import type { Route } from '../route.js';

export function banRoutes(ctx: Context, route: Route): void {
  route(routes.listBans, () => listBans(ctx));

  // 201 for a new ban, 200 with the one in force when the same ban exists.
  route(routes.createBan, async ({ body, actor, req }) => {
    const { ban, created } = await banVisitor(ctx, actor, body, { ip: req.ip ?? null });
    return { status: created ? 201 : 200, body: { ban } };
  });

  route(routes.liftBan, async ({ params, actor, req }) => {
    await liftBan(ctx, actor, params.id, { ip: req.ip ?? null });
  });
}
