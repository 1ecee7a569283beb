import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { createUser } from '../../services/auth.js';
import { listUsers, patchUser } from '../../services/users.js';
import type { Route } from '../route.js';

export function userRoutes(ctx: Context, route: Route): void {
  // Every agent sees the team (transfer targets, statuses); only admins change it.
  route(routes.listUsers, async () => ({ items: await listUsers(ctx) }));

  route(routes.createUser, async ({ body, actor }) => ({
    user: await createUser(ctx, actor, body),
  }));

  route(routes.updateUser, async ({ params, body, actor }) => ({
    user: await patchUser(ctx, actor, params.id, body),
  }));
}
