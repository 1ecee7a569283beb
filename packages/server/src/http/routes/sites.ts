import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as siteSettings from '../../services/site-settings.js';
import { listSites } from '../../services/sites.js';
import type { Route } from '../route.js';

export function siteRoutes(ctx: Context, route: Route): void {
  route(routes.listSites, async () => ({ items: await listSites(ctx) }));

  route(routes.createSite, async ({ body }) => ({
    site: await siteSettings.createSite(ctx, body),
  }));

  route(routes.updateSite, async ({ params, body }) => ({
    site: await siteSettings.updateSite(ctx, params.id, body),
  }));

  route(routes.deleteSite, async ({ params }) => {
    await siteSettings.deleteSite(ctx, params.id);
  });
}
