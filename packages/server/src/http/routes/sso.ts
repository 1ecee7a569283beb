import { routes } from '@parley/protocol/api-routes';
import type { SsoFailure } from '@parley/protocol';
import type { CookieOptions, Request, Response } from 'express';
import type { Context } from '../../context.js';
import { enforce, limits } from '../../services/rate-limit.js';
import {
  dashboardOf,
  finishSsoSignIn,
  handoverTicket,
  redeemHandover,
  SSO_FLOW_TTL_S,
  SsoFailed,
  startSsoSignIn,
} from '../../services/sso.js';
import { patchSsoSettings, redirectUriOf, ssoSettings } from '../../services/sso-settings.js';
import type { Route } from '../route.js';
import { REFRESH_COOKIE, refreshCookie } from './auth.js';

const FLOW_COOKIE = 'parley_sso';
const CALLBACK_PATH = '/api/auth/sso/callback';

/** The origin this request was made to (behind a proxy: as TRUST_PROXY lets Express read it). */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export function ssoRoutes(ctx: Context, route: Route): void {
  // The flow's state, nonce and PKCE verifier: signed, httpOnly, sent to the callback alone.
  // SameSite=Lax: the provider brings the browser back with a top-level GET from its own site.
  const flowCookie: CookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.production,
    path: CALLBACK_PATH,
    maxAge: SSO_FLOW_TTL_S * 1000,
  };
  const signedInCookie = refreshCookie(ctx);

  /**
   * Every failure ends on the login page with a reason it puts in words; never a 500. `home`:
   * the dashboard's origin when it is not this one.
   */
  const failed = (res: Response, error: unknown, home = '') => {
    const reason: SsoFailure = error instanceof SsoFailed ? error.reason : 'failed';
    ctx.log.warn({ err: error, reason }, 'single sign-on failed');
    res.clearCookie(FLOW_COOKIE, { ...flowCookie, maxAge: undefined });
    res.redirect(302, `${home}/login?sso=${reason}`);
  };
  const flowCookieOf = (req: Request): string | undefined => {
    const cookie: unknown = req.cookies?.[FLOW_COOKIE];
    return typeof cookie === 'string' ? cookie : undefined;
  };
  const client = (req: Request) => ({
    userAgent: req.headers['user-agent']?.slice(0, 500) ?? null,
    ip: req.ip ?? null,
  });

  route(routes.getSsoSettings, async ({ actor, req }) => ({
    settings: await ssoSettings(ctx, actor, originOf(req)),
  }));

  route(routes.updateSsoSettings, async ({ actor, body, req }) => ({
    settings: await patchSsoSettings(ctx, actor, body, {
      ip: req.ip ?? null,
      requestOrigin: originOf(req),
    }),
  }));

  route(routes.startSso, async ({ req, query }, res) => {
    try {
      await enforce(ctx.rateLimiter, [[`sso:ip:${req.ip}`, limits.loginPerIp]]);
      const { url, flowCookie: flow } = await startSsoSignIn(
        ctx,
        redirectUriOf(ctx, originOf(req)),
        query.dashboard ?? null,
      );
      res.cookie(FLOW_COOKIE, flow, flowCookie);
      res.redirect(302, url);
    } catch (error) {
      failed(res, error);
    }
  });

  route(routes.ssoCallback, async ({ req, query }, res) => {
    // The provider's redirect is a navigation from another site, whose answer may not set the
    // refresh cookie (SameSite=Strict: browsers drop it). A page of ours first continues here by
    // itself, now from this origin; the sign-in happens on that request.
    if (fromAnotherSite(req)) {
      res.set('Cache-Control', 'no-store');
      res.status(200).type('html').send(continuePage(req.originalUrl));
      return { status: 200, body: undefined };
    }
    const home = await dashboardOf(ctx, flowCookieOf(req));
    try {
      await enforce(ctx.rateLimiter, [[`sso:ip:${req.ip}`, limits.loginPerIp]]);
      const signedIn = await finishSsoSignIn(ctx, query, flowCookieOf(req), client(req));
      res.clearCookie(FLOW_COOKIE, { ...flowCookie, maxAge: undefined });
      if ('twoFactor' in signedIn) {
        // The code step, on the login page: the challenge in the fragment, which no server
        // and no log sees.
        res.redirect(302, `${home}/login#two-factor=${signedIn.twoFactor.challenge}`);
        return { status: 302, body: undefined };
      }
      if (home) {
        // A dashboard on another origin takes the session with a one-time ticket.
        res.redirect(302, `${home}/login#sso=${await handoverTicket(ctx, signedIn.refreshToken)}`);
        return { status: 302, body: undefined };
      }
      // As a password sign-in sets it: the dashboard's first refresh picks the session up.
      res.cookie(REFRESH_COOKIE, signedIn.refreshToken, signedInCookie);
      res.redirect(302, '/');
    } catch (error) {
      failed(res, error, home);
    }
    return { status: 302, body: undefined };
  });

  route(routes.redeemSso, async ({ req, body }, res) => {
    await enforce(ctx.rateLimiter, [[`sso:ip:${req.ip}`, limits.loginPerIp]]);
    const signedIn = await redeemHandover(ctx, body.ticket, client(req));
    res.cookie(REFRESH_COOKIE, signedIn.refreshToken, signedInCookie);
    return { user: signedIn.user, accessToken: signedIn.accessToken };
  });
}

/** A browser's navigation from another site (Fetch Metadata); other clients send no header. */
const fromAnotherSite = (req: Request) => {
  const site = req.get('sec-fetch-site');
  return site === 'cross-site' || site === 'same-site';
};

/** Continues to `url` (this very path and query, escaped) at once, without a script (CSP). */
const continuePage = (url: string) => {
  const href = url.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Signing in…</title></head><body><p>Signing in… <a href="${href}">Continue</a></p></body></html>`;
};
