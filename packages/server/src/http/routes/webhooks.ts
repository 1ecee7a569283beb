import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { getWebhookDelivery, resendWebhookDelivery } from '../../services/webhook-log.js';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  patchWebhookEndpoint,
  retryWebhookDelivery,
  revealWebhookSecret,
  rotateWebhookSecret,
  sendTestWebhook,
} from '../../services/webhooks.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

/** Webhook endpoints and their delivery logs, for admins (docs/webhooks.md). */
export function webhookRoutes(ctx: Context, route: Route): void {
  route(routes.listWebhookEndpoints, () => listWebhookEndpoints(ctx));
  route(routes.createWebhookEndpoint, ({ body, actor, req }) =>
    createWebhookEndpoint(ctx, actor, body, { ip: req.ip ?? null }),
  );
  route(routes.getWebhookEndpoint, ({ params }) => getWebhookEndpoint(ctx, params.id));
  route(routes.updateWebhookEndpoint, ({ params, body, actor, req }) =>
    patchWebhookEndpoint(ctx, actor, params.id, body, { ip: req.ip ?? null }),
  );
  route(routes.deleteWebhookEndpoint, ({ params, actor, req }) =>
    deleteWebhookEndpoint(ctx, actor, params.id, { ip: req.ip ?? null }),
  );
  route(routes.getWebhookSecret, async ({ params, actor, req }, res) => {
    await enforce(ctx.rateLimiter, [[`reveals:${actor.id}`, limits.secretRevealsPerAdmin]]);
    res.set('Cache-Control', 'no-store');
    return revealWebhookSecret(ctx, actor, params.id, { ip: req.ip ?? null });
  });
  route(routes.rotateWebhookSecret, ({ params, actor, req }) =>
    rotateWebhookSecret(ctx, actor, params.id, { ip: req.ip ?? null }),
  );
  route(routes.sendTestWebhook, async ({ params, actor }) => {
    await enforce(ctx.rateLimiter, [[`webhook-tests:${actor.id}`, limits.webhookTestsPerAdmin]]);
    return sendTestWebhook(ctx, params.id);
  });
  route(routes.listWebhookDeliveries, ({ params, query }) =>
    listWebhookDeliveries(ctx, params.id, query),
  );
  route(routes.retryWebhookDelivery, ({ params }) =>
    retryWebhookDelivery(ctx, params.id, params.deliveryId),
  );
  route(routes.getWebhookDelivery, ({ params }) =>
    getWebhookDelivery(ctx, params.id, params.deliveryId),
  );
  route(routes.resendWebhookDelivery, async ({ params }) => {
    const { delivery, created } = await resendWebhookDelivery(ctx, params.id, params.deliveryId);
    return { status: created ? 202 : 200, body: { delivery } };
  });
}
