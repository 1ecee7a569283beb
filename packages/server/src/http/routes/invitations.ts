import { routes } from '@parley/protocol/api-routes';
import type { Request } from 'express';
import type { Context } from '../../context.js';
import {
  acceptInvitation,
  checkInvitation,
  inviteAgent,
  listInvitations,
  renewInvitation,
  revokeInvitation,
} from '../../services/invitations.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';
import { REFRESH_COOKIE, refreshCookie } from './auth.js';

export function invitationRoutes(ctx: Context, route: Route): void {
  const cookie = refreshCookie(ctx);
  const origin = (req: Request) => ({ ip: req.ip ?? null });
  // Each check and each acceptance is a guess at a token: counted together, per address.
  const limitLinks = (req: Request) =>
    enforce(ctx.rateLimiter, [[`invitation-link:ip:${req.ip}`, limits.invitationLinksPerIp]]);
  // Each invitation or new link may be an email to any address an admin types.
  const limitAdmin = (id: string) =>
    enforce(ctx.rateLimiter, [[`invitations:admin:${id}`, limits.invitationsPerAdmin]]);

  route(routes.listInvitations, async ({ actor }) => ({
    items: await listInvitations(ctx, actor),
  }));

  route(routes.createInvitation, async ({ body, actor, req }) => {
    await limitAdmin(actor.id);
    return inviteAgent(ctx, actor, body, origin(req));
  });

  route(routes.renewInvitation, async ({ params, body, actor, req }) => {
    await limitAdmin(actor.id);
    return renewInvitation(ctx, actor, params.id, body.sendEmail, origin(req));
  });

  route(routes.revokeInvitation, ({ params, actor, req }) =>
    revokeInvitation(ctx, actor, params.id, origin(req)),
  );

  route(routes.checkInvitation, async ({ body, req }) => {
    await limitLinks(req);
    return { invitation: await checkInvitation(ctx, body.token) };
  });

  route(routes.acceptInvitation, async ({ body, req }, res) => {
    await limitLinks(req);
    const client = {
      userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
      ip: req.ip ?? null,
    };
    const signedIn = await acceptInvitation(ctx, body, client);
    res.cookie(REFRESH_COOKIE, signedIn.refreshToken, cookie);
    return { user: signedIn.user, accessToken: signedIn.accessToken };
  });
}
