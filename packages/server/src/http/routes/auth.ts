import { routes } from '@parley/protocol/api-routes';
import type { CookieOptions, Request, Response } from 'express';
import type { Context } from '../../context.js';
import * as auth from '../../services/auth.js';
import {
  isPasswordResetUsable,
  requestPasswordReset,
  resetPassword,
} from '../../services/password-reset.js';
import { enforce, limits } from '../../services/rate-limit.js';
import type { Route } from '../route.js';

export const REFRESH_COOKIE = 'parley_refresh';

/** The refresh cookie's options; a route that signs someone in elsewhere sets it with these. */
export function refreshCookie(ctx: Context): CookieOptions {
  // The refresh token never reaches scripts: httpOnly, sent only to /api/auth, same-site only.
  // A dashboard on another site (DASHBOARD_ORIGINS) needs it sent with its cross-site requests:
  // SameSite=None, which browsers take only with Secure (http://localhost counts as secure),
  // and Partitioned, so browsers that block third-party cookies keep it (CHIPS), keyed to
  // the dashboard's site. CSRF stays closed: /api refuses every Origin not on the list.
  const crossSite = ctx.config.dashboardOrigins.length > 0;
  return {
    httpOnly: true,
    sameSite: crossSite ? 'none' : 'strict',
    secure: ctx.config.production || crossSite,
    partitioned: crossSite,
    path: '/api/auth',
    maxAge: auth.REFRESH_TOKEN_TTL_MS,
  };
}

export function authRoutes(ctx: Context, route: Route): void {
  const cookie = refreshCookie(ctx);
  const client = (req: Request) => ({
    userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
    ip: req.ip ?? null,
  });
  const refreshTokenOf = (req: Request): string | undefined => {
    const value: unknown = req.cookies?.[REFRESH_COOKIE];
    return typeof value === 'string' ? value : undefined;
  };
  /** Signed in: the refresh token goes in its cookie, the rest in the reply. */
  const signIn = (res: Response, signedIn: auth.SignedIn) => {
    res.cookie(REFRESH_COOKIE, signedIn.refreshToken, cookie);
    return { user: signedIn.user, accessToken: signedIn.accessToken };
  };

  route(routes.register, async ({ body, req }, res) => {
    await enforce(ctx.rateLimiter, [[`register:ip:${req.ip}`, limits.registerPerIp]]);
    return signIn(res, await auth.register(ctx, body, client(req)));
  });

  // Per address against spraying, per email against guessing one account's password.
  route(routes.login, async ({ body, req }, res) => {
    await enforce(ctx.rateLimiter, [
      [`login:ip:${req.ip}`, limits.loginPerIp],
      [`login:email:${body.email}`, limits.loginPerEmail],
    ]);
    const result = await auth.login(ctx, body, client(req));
    // Two-factor on: no tokens and no cookie yet, the challenge for the code step.
    return 'twoFactor' in result ? result : signIn(res, result);
  });

  route(routes.refresh, async ({ req }, res) =>
    signIn(res, await auth.refresh(ctx, refreshTokenOf(req), client(req))),
  );

  route(routes.logout, async ({ req }, res) => {
    await auth.logout(ctx, refreshTokenOf(req));
    res.clearCookie(REFRESH_COOKIE, { ...cookie, maxAge: undefined });
  });

  route(routes.getMe, async ({ actor }) => ({ user: await auth.me(ctx, actor) }));

  route(routes.updateMe, async ({ body, actor }) => ({
    user: await auth.updateProfile(ctx, actor, body),
  }));

  route(routes.changePassword, async ({ body, actor, req }, res) =>
    signIn(res, await auth.changePassword(ctx, actor, body, client(req))),
  );

  route(routes.listSessions, async ({ actor }) => ({ items: await auth.listDevices(ctx, actor) }));
  route(routes.endSession, ({ actor, params }) => auth.endDevice(ctx, actor, params.id));

  // Public: tells the dashboard whether to show sign-in or the first-run admin set-up.
  route(routes.getSetup, () => auth.needsSetup(ctx));

  // 202 whether the address has an account or not: the answer tells nobody which exist.
  route(routes.requestPasswordReset, async ({ body, req }) => {
    await enforce(ctx.rateLimiter, [
      [`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp],
      [`password-reset:email:${body.email}`, limits.passwordResetsPerEmail],
    ]);
    await requestPasswordReset(ctx, body.email);
    return {};
  });

  route(routes.confirmPasswordReset, async ({ body, req }) => {
    await enforce(ctx.rateLimiter, [[`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp]]);
    await resetPassword(ctx, body, { ip: req.ip ?? null });
  });

  // Counted with the resets: each check is as good a guess at a token as a reset is.
  route(routes.checkPasswordReset, async ({ body, req }) => {
    await enforce(ctx.rateLimiter, [[`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp]]);
    return { valid: await isPasswordResetUsable(ctx, body.token) };
  });
}
