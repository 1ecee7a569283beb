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
import type { Route } from '../route.js';

/** Webhook endpoints and their delivery logs, for admins (docs/webhooks.md). */
export function webhookRoutes(ctx: Context, route: Route): void {
  route(routes.listWebhookEndpoints, () => listWebhookEndpoints(ctx));
  route(routes.createWebhookEndpoint, ({ body, actor }) => createWebhookEndpoint(ctx, actor, body));
  route(routes.getWebhookEndpoint, ({ params }) => getWebhookEndpoint(ctx, params.id));
  route(routes.updateWebhookEndpoint, ({ params, body }) =>
    patchWebhookEndpoint(ctx, params.id, body),
  );
  route(routes.deleteWebhookEndpoint, ({ params }) => deleteWebhookEndpoint(ctx, params.id));
  route(routes.getWebhookSecret, ({ params, actor, req }, res) => {
    res.set('Cache-Control', 'no-store');
    return revealWebhookSecret(ctx, actor, params.id, { ip: req.ip ?? null });
  });
  route(routes.rotateWebhookSecret, ({ params, actor, req }) =>
    rotateWebhookSecret(ctx, actor, params.id, { ip: req.ip ?? null }),
  );
  route(routes.sendTestWebhook, ({ params }) => sendTestWebhook(ctx, params.id));
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
