import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as push from '../../services/push.js';
import type { Route } from '../route.js';

export function notificationRoutes(ctx: Context, route: Route): void {
  route(routes.getPushKey, async () => push.pushKey(ctx));

  route(routes.listPushDevices, async ({ actor }) => ({
    devices: await push.listPushDevices(ctx, actor),
  }));

  // 201 for a new device, 200 when this browser's subscription was there.
  route(routes.subscribePush, async ({ body, actor, req }) => {
    const { device, created } = await push.subscribePush(ctx, actor, body, {
      userAgent: req.headers['user-agent'] ?? null,
      ip: req.ip ?? null,
    });
    return { status: created ? 201 : 200, body: { device } };
  });

  route(routes.unsubscribePush, async ({ params, actor }) => {
    await push.unsubscribePush(ctx, actor, params.id);
  });

  route(routes.testPush, ({ actor }) => push.testPush(ctx, actor));

  route(routes.getNotificationPreferences, async ({ actor }) => ({
    preferences: await push.notificationPreferences(ctx, actor),
  }));

  route(routes.updateNotificationPreferences, async ({ body, actor }) => ({
    preferences: await push.updateNotificationPreferences(ctx, actor, body),
  }));
}
