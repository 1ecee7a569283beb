import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as analytics from '../../services/analytics.js';
import type { Route } from '../route.js';

export function analyticsRoutes(ctx: Context, route: Route): void {
  route(routes.getAnalyticsOverview, ({ query }) => analytics.overview(ctx, query));
  route(routes.getAnalyticsTimeseries, ({ query }) => analytics.timeseries(ctx, query));
  route(routes.getAnalyticsAgents, ({ query }) => analytics.agents(ctx, query));
  route(routes.listRatings, ({ query }) => analytics.ratings(ctx, query));
}
