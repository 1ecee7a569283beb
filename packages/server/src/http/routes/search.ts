import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { search } from '../../services/search.js';
import type { Route } from '../route.js';

export function searchRoutes(ctx: Context, route: Route): void {
  route(routes.search, ({ query, actor }) => search(ctx, actor, query));
}
