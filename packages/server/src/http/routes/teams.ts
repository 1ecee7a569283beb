import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as teams from '../../services/teams.js';
import type { Route } from '../route.js';

export function teamRoutes(ctx: Context, route: Route): void {
  route(routes.listTeams, async () => ({ items: await teams.listTeams(ctx) }));

  route(routes.createTeam, async ({ body, actor, req }) => ({
    team: await teams.createTeam(ctx, actor, body, { ip: req.ip ?? null }),
  }));

  route(routes.updateTeam, async ({ params, body, actor, req }) => ({
    team: await teams.updateTeam(ctx, actor, params.id, body, { ip: req.ip ?? null }),
  }));

  route(routes.deleteTeam, async ({ params, actor, req }) => {
    await teams.deleteTeam(ctx, actor, params.id, { ip: req.ip ?? null });
  });
}
