import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as tokens from '../../services/api-tokens.js';
import { getBotSettings, putBotSettings } from '../../services/bots.js';
import type { Route } from '../route.js';

/**
 * `/api/tokens`: API tokens, for admins (the secret is in the creation's reply only), and
 * `/api/bots/settings`: which bot answers new conversations first.
 */
export function apiTokenRoutes(ctx: Context, route: Route): void {
  route(routes.listApiTokens, async ({ actor }) => ({
    items: await tokens.listApiTokens(ctx, actor),
  }));

  route(routes.createApiToken, ({ body, actor, req }) =>
    tokens.createApiToken(ctx, actor, body, { ip: req.ip ?? null }),
  );

  route(routes.revokeApiToken, async ({ params, actor, req }) => ({
    token: await tokens.revokeApiToken(ctx, actor, params.id, { ip: req.ip ?? null }),
  }));

  route(routes.getBotSettings, async () => ({ settings: await getBotSettings(ctx) }));

  route(routes.putBotSettings, async ({ body, actor, req }) => ({
    settings: await putBotSettings(ctx, actor, body, { ip: req.ip ?? null }),
  }));
}
