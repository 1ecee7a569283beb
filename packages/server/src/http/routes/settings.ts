import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { getFileSettings, patchFileSettings } from '../../services/attachments.js';
import {
  identitySettings,
  patchIdentitySettings,
  revealIdentitySecret,
  rotateIdentitySecret,
} from '../../services/identity-settings.js';
import { emailSettings, sendTestEmail } from '../../services/jobs.js';
import {
  getWidgetConfig,
  getWidgetSettings,
  patchWidgetSettings,
} from '../../services/settings.js';
import type { Route } from '../route.js';

export function settingsRoutes(ctx: Context, route: Route): void {
  // Public: the widget reads its look before any visitor session exists.
  route(routes.getWidgetConfig, async ({ query }) => ({
    config: await getWidgetConfig(ctx, query.site),
  }));

  route(routes.getWidgetSettings, async () => ({ settings: await getWidgetSettings(ctx) }));

  route(routes.updateWidgetSettings, async ({ body, actor }) => ({
    settings: await patchWidgetSettings(ctx, actor, body),
  }));

  route(routes.getFileSettings, async () => ({ settings: await getFileSettings(ctx) }));

  route(routes.updateFileSettings, async ({ body, actor }) => ({
    settings: await patchFileSettings(ctx, actor, body),
  }));

  // The secret sites sign their signed-in person's id with: admins only, and the secret itself
  // to a signed-in admin only (never a token), each reveal recorded.
  // Each site's, by `siteId`; without one, the default site's.
  route(routes.getIdentitySettings, async ({ actor, query }) => ({
    settings: await identitySettings(ctx, actor, query.siteId),
  }));

  route(routes.getIdentitySecret, ({ actor, req, query }, res) => {
    res.set('Cache-Control', 'no-store');
    return revealIdentitySecret(ctx, actor, { ip: req.ip ?? null }, query.siteId);
  });

  route(routes.updateIdentitySettings, async ({ body, actor, query }) => ({
    settings: await patchIdentitySettings(ctx, actor, body, query.siteId),
  }));

  route(routes.rotateIdentitySecret, async ({ actor, req, query }) => ({
    settings: await rotateIdentitySecret(ctx, actor, { ip: req.ip ?? null }, query.siteId),
  }));

  route(routes.getEmailSettings, async () => emailSettings(ctx));

  route(routes.sendTestEmail, ({ actor }) => sendTestEmail(ctx, actor));
}
