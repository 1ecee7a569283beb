import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import * as canned from '../../services/canned-responses.js';
import type { Route } from '../route.js';

export function cannedResponseRoutes(ctx: Context, route: Route): void {
  route(routes.listCannedResponses, async () => ({
    items: await canned.listCannedResponses(ctx),
  }));

  route(routes.createCannedResponse, async ({ body, actor }) => ({
    cannedResponse: await canned.createCannedResponse(ctx, actor, body),
  }));

  route(routes.updateCannedResponse, async ({ params, body, actor }) => ({
    cannedResponse: await canned.patchCannedResponse(ctx, actor, params.id, body),
  }));

  route(routes.deleteCannedResponse, async ({ params, actor }) => {
    await canned.deleteCannedResponse(ctx, actor, params.id);
  });
}
