import { routes } from '@parley/protocol/api-routes';
import type { Context } from '../../context.js';
import { eraseContact } from '../../services/contacts.js';
import type { Route } from '../route.js';

export function contactRoutes(ctx: Context, route: Route): void {
  route(routes.eraseContact, ({ body, actor, req }) =>
    eraseContact(ctx, actor, body, { ip: req.ip ?? null }),
  );
}
