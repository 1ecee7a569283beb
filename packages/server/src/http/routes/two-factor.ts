import { routes } from '@parley/protocol/api-routes';
import type { Request } from 'express';
import type { Context } from '../../context.js';
import { enforce, limits } from '../../services/rate-limit.js';
import {
  completeTwoFactorLogin,
  confirmTwoFactor,
  disableOwnTwoFactor,
  renewRecoveryCodes,
  resetTwoFactorByAdmin,
  startTwoFactorSetup,
  twoFactorStatus,
} from '../../services/two-factor.js';
import { readTwoFactorChallenge } from '../../services/two-factor-challenge.js';
import { getTwoFactorPolicy, setTwoFactorPolicy } from '../../services/two-factor-policy.js';
import type { Route } from '../route.js';
import { REFRESH_COOKIE, refreshCookie } from './auth.js';

export function twoFactorRoutes(ctx: Context, route: Route): void {
  const cookie = refreshCookie(ctx);
  const origin = (req: Request) => ({ ip: req.ip ?? null });
  const client = (req: Request) => ({
    userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
    ip: req.ip ?? null,
  });
  // Every code checked counts against its account, whichever route checks it.
  const perUser = (userId: string) =>
    enforce(ctx.rateLimiter, [[`2fa:user:${userId}`, limits.twoFactorPerUser]]);

  // Per challenge (then the password again) and per account (a stream of fresh challenges).
  route(routes.completeTwoFactorLogin, async ({ body, req }, res) => {
    const challenge = await readTwoFactorChallenge(ctx, body.challenge);
    await enforce(ctx.rateLimiter, [
      [`2fa:challenge:${challenge.challengeId}`, limits.twoFactorPerChallenge],
      [`2fa:user:${challenge.userId}`, limits.twoFactorPerUser],
    ]);
    const signedIn = await completeTwoFactorLogin(ctx, body, client(req), challenge);
    res.cookie(REFRESH_COOKIE, signedIn.refreshToken, cookie);
    return { user: signedIn.user, accessToken: signedIn.accessToken };
  });

  route(routes.getTwoFactor, ({ actor }) => twoFactorStatus(ctx, actor));
  route(routes.startTwoFactorSetup, ({ actor }) => startTwoFactorSetup(ctx, actor));
  route(routes.confirmTwoFactor, async ({ body, actor, req }) => {
    await perUser(actor.id);
    return confirmTwoFactor(ctx, actor, origin(req), body.code);
  });
  route(routes.disableTwoFactor, async ({ body, actor, req }) => {
    await perUser(actor.id);
    return { user: await disableOwnTwoFactor(ctx, actor, origin(req), body) };
  });
  route(routes.renewRecoveryCodes, async ({ body, actor, req }) => {
    await perUser(actor.id);
    return renewRecoveryCodes(ctx, actor, origin(req), body.code);
  });

  route(routes.getTwoFactorPolicy, ({ actor }) => getTwoFactorPolicy(ctx, actor));
  route(routes.updateTwoFactorPolicy, ({ body, actor, req }) =>
    setTwoFactorPolicy(ctx, actor, origin(req), body),
  );
  route(routes.resetUserTwoFactor, async ({ params, actor, req }) => ({
    user: await resetTwoFactorByAdmin(ctx, actor, origin(req), params.id),
  }));
}
