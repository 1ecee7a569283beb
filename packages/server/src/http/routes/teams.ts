import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as teams from '../../services/teams.js';
import type { Route } from '../route.js';

export function teamRoutes(ctx: Context, route: Route): void {
  route(routes.listTeams, async () => ({ items: await teams.listTeams(ctx) }));

  route(routes.createTeam, async ({ body }) => ({ team: await teams.createTeam(ctx, body) }));

  route(routes.updateTeam, async ({ params, body }) => ({
    team: await teams.updateTeam(ctx, params.id, body),
  }));

  route(routes.deleteTeam, async ({ params }) => {
    await teams.deleteTeam(ctx, params.id);
  });
}
