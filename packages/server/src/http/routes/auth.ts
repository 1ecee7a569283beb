import {
  LoginBody,
  PasswordChangeBody,
  PasswordResetBody,
  PasswordResetCheckBody,
  PasswordResetRequestBody,
  ProfilePatchBody,
  RegisterBody,
} from '@parley/protocol';
import { Router, type CookieOptions, type Request, type Response } from 'express';
import * as auth from '../../services/auth.js';
import type { Context } from '../../context.js';
import {
  isPasswordResetUsable,
  requestPasswordReset,
  resetPassword,
} from '../../services/password-reset.js';
import { enforce, limits } from '../../services/rate-limit.js';
import { agentOf, authenticate } from '../auth.js';
import { parse } from '../validate.js';

export const REFRESH_COOKIE = 'parley_refresh';

export function authRoutes(ctx: Context): Router {
  const router = Router();
  // The refresh token never reaches scripts: httpOnly, sent only to /api/auth, same-site only.
  // A dashboard on another site (DASHBOARD_ORIGINS) needs it sent with its cross-site requests:
  // SameSite=None, which browsers take only with Secure (http://localhost counts as secure),
  // and Partitioned, so browsers that block third-party cookies keep it (CHIPS), keyed to
  // the dashboard's site. CSRF stays closed: /api refuses every Origin not on the list.
  const crossSite = ctx.config.dashboardOrigins.length > 0;
  const cookie: CookieOptions = {
    httpOnly: true,
    sameSite: crossSite ? 'none' : 'strict',
    secure: ctx.config.production || crossSite,
    partitioned: crossSite,
    path: '/api/auth',
    maxAge: auth.REFRESH_TOKEN_TTL_MS,
  };
  const userAgent = (req: Request) => req.headers['user-agent']?.slice(0, 500) ?? null;
  const refreshTokenOf = (req: Request): string | undefined => {
    const value: unknown = req.cookies?.[REFRESH_COOKIE];
    return typeof value === 'string' ? value : undefined;
  };
  const reply = (res: Response, status: number, signedIn: auth.SignedIn) => {
    res.cookie(REFRESH_COOKIE, signedIn.refreshToken, cookie);
    res.status(status).json({ user: signedIn.user, accessToken: signedIn.accessToken });
  };

  router.post('/register', async (req, res) => {
    const body = parse(RegisterBody, req.body);
    await enforce(ctx.rateLimiter, [[`register:ip:${req.ip}`, limits.registerPerIp]]);
    reply(res, 201, await auth.register(ctx, body, userAgent(req)));
  });

  // Per address against spraying, per email against guessing one account's password.
  router.post('/login', async (req, res) => {
    const body = parse(LoginBody, req.body);
    await enforce(ctx.rateLimiter, [
      [`login:ip:${req.ip}`, limits.loginPerIp],
      [`login:email:${body.email}`, limits.loginPerEmail],
    ]);
    reply(res, 200, await auth.login(ctx, body, userAgent(req)));
  });

  router.post('/refresh', async (req, res) => {
    reply(res, 200, await auth.refresh(ctx, refreshTokenOf(req), userAgent(req)));
  });

  router.post('/logout', async (req, res) => {
    await auth.logout(ctx, refreshTokenOf(req));
    res.clearCookie(REFRESH_COOKIE, { ...cookie, maxAge: undefined });
    res.status(204).end();
  });

  router.get('/me', authenticate(ctx, 'agent'), async (_req, res) => {
    res.json({ user: await auth.me(ctx, agentOf(res)) });
  });

  router.patch('/me', authenticate(ctx, 'agent'), async (req, res) => {
    const body = parse(ProfilePatchBody, req.body);
    res.json({ user: await auth.updateProfile(ctx, agentOf(res), body) });
  });

  router.post('/password', authenticate(ctx, 'agent'), async (req, res) => {
    const body = parse(PasswordChangeBody, req.body);
    reply(res, 200, await auth.changePassword(ctx, agentOf(res), body, userAgent(req)));
  });

  // Public: tells the dashboard whether to show sign-in or the first-run admin set-up.
  router.get('/setup', async (_req, res) => {
    res.json(await auth.needsSetup(ctx));
  });

  // 202 whether the address has an account or not: the answer tells nobody which exist.
  router.post('/password-reset', async (req, res) => {
    const body = parse(PasswordResetRequestBody, req.body);
    await enforce(ctx.rateLimiter, [
      [`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp],
      [`password-reset:email:${body.email}`, limits.passwordResetsPerEmail],
    ]);
    await requestPasswordReset(ctx, body.email);
    res.status(202).json({});
  });

  router.post('/password-reset/confirm', async (req, res) => {
    const body = parse(PasswordResetBody, req.body);
    await enforce(ctx.rateLimiter, [[`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp]]);
    await resetPassword(ctx, body);
    res.status(204).end();
  });

  // Counted with the resets: each check is as good a guess at a token as a reset is.
  router.post('/password-reset/check', async (req, res) => {
    const body = parse(PasswordResetCheckBody, req.body);
    await enforce(ctx.rateLimiter, [[`password-reset:ip:${req.ip}`, limits.passwordResetsPerIp]]);
    res.json({ valid: await isPasswordResetUsable(ctx, body.token) });
  });

  return router;
}
