import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { endUserSessionsByAdmin } from '../../services/auth.js';
import { listUsers, patchUser } from '../../services/users.js';
import type { Route } from '../route.js';

export function userRoutes(ctx: Context, route: Route): void {
  // Every agent sees the team (transfer targets, statuses); only admins change it.
  route(routes.listUsers, async () => ({ items: await listUsers(ctx) }));

  route(routes.updateUser, async ({ params, body, actor, req }) => ({
    user: await patchUser(ctx, actor, params.id, body, { ip: req.ip ?? null }),
  }));
  route(routes.endUserSessions, ({ params, actor, req }) =>
    endUserSessionsByAdmin(ctx, actor, params.id, { ip: req.ip ?? null }),
  );
}
