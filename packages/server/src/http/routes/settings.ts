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
import { patchRetention, readRetention } from '../../services/retention.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

export function settingsRoutes(ctx: Context, route: Route): void {
  // Public: the widget reads its look before any visitor session exists.
  route(routes.getWidgetConfig, async ({ query }) => ({
    config: await getWidgetConfig(ctx, query.site),
  }));

  route(routes.getWidgetSettings, async () => ({ settings: await getWidgetSettings(ctx) }));

  route(routes.updateWidgetSettings, async ({ body, actor, req }) => ({
    settings: await patchWidgetSettings(ctx, actor, body, { ip: req.ip ?? null }),
  }));

  route(routes.getRetentionSettings, ({ actor }) => readRetention(ctx, actor));
  route(routes.updateRetentionSettings, ({ body, actor, req }) =>
    patchRetention(ctx, actor, body, { ip: req.ip ?? null }),
  );
  route(routes.getFileSettings, async () => ({ settings: await getFileSettings(ctx) }));

  route(routes.updateFileSettings, async ({ body, actor, req }) => ({
    settings: await patchFileSettings(ctx, actor, body, { ip: req.ip ?? null }),
  }));

  // The secret sites sign their signed-in person's id with: admins only, and the secret itself
  // to a signed-in admin only (never a token), each reveal recorded.
  // Each site's, by `siteId`; without one, the default site's.
  route(routes.getIdentitySettings, async ({ actor, query }) => ({
    settings: await identitySettings(ctx, actor, query.siteId),
  }));

  route(routes.getIdentitySecret, async ({ actor, req, query }, res) => {
    await enforce(ctx.rateLimiter, [[`reveals:${actor.id}`, limits.secretRevealsPerAdmin]]);
    res.set('Cache-Control', 'no-store');
    return revealIdentitySecret(ctx, actor, { ip: req.ip ?? null }, query.siteId);
  });

  route(routes.updateIdentitySettings, async ({ body, actor, query, req }) => ({
    settings: await patchIdentitySettings(ctx, actor, body, { ip: req.ip ?? null }, query.siteId),
  }));

  route(routes.rotateIdentitySecret, async ({ actor, req, query }) => ({
    settings: await rotateIdentitySecret(ctx, actor, { ip: req.ip ?? null }, query.siteId),
  }));

  route(routes.getEmailSettings, async () => emailSettings(ctx));

  route(routes.sendTestEmail, ({ actor }) => sendTestEmail(ctx, actor));
}
