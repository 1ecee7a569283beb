import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as siteSettings from '../../services/site-settings.js';
import { listSites } from '../../services/sites.js';
import type { Route } from '../route.js';

export function siteRoutes(ctx: Context, route: Route): void {
  route(routes.listSites, async () => ({ items: await listSites(ctx) }));

  route(routes.createSite, async ({ body, actor, req }) => ({
    site: await siteSettings.createSite(ctx, actor, body, { ip: req.ip ?? null }),
  }));

  route(routes.updateSite, async ({ params, body, actor, req }) => ({
    site: await siteSettings.updateSite(ctx, actor, params.id, body, { ip: req.ip ?? null }),
  }));

  route(routes.deleteSite, async ({ params, actor, req }) => {
    await siteSettings.deleteSite(ctx, actor, params.id, { ip: req.ip ?? null });
  });
}
