import { readScopeAllows } from '@parley/protocol';
import type { ApiAuth, RouteEntry } from '@parley/protocol/api-routes';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, unauthorized } from '../errors.js';
import { requireScope, requireWrite, type Actor } from '../services/actor.js';
import { authenticateAgent } from '../services/auth.js';
import { twoFactorRequired } from '../services/two-factor-policy.js';
import type { Context } from '../context.js';
import { authenticateVisitor } from '../services/visitors.js';

declare module 'express-serve-static-core' {
  interface Locals {
    actor?: Actor;
  }
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header?.startsWith('Bearer ')) return null;
  return header.slice(7).trim() || null;
}

/**
 * Sets `res.locals.actor` from the bearer token, as a route's catalogue entry says (`auth`). An
 * agent token is a JWT for the agent audience, a visitor token one for the visitor audience.
 * `none` and `refresh-cookie` take no token: the refresh route's handler hands the cookie to the
 * service, which checks and rotates it. An API token with scopes reaches only its areas: the
 * route's tag, to read (GET) or to write (any other method, and a GET that reveals a secret).
 */
export function authenticate(
  ctx: Context,
  auth: ApiAuth,
  route?: Pick<RouteEntry, 'tag' | 'revealsSecret' | 'allowedBeforeTwoFactor'>,
): RequestHandler {
  if (auth === 'none' || auth === 'refresh-cookie') return (_req, _res, next) => next();
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!token) throw unauthorized();
    const actor =
      auth === 'visitor'
        ? await authenticateVisitor(ctx, token, req.ip)
        : auth === 'agent-or-visitor'
          ? await authenticateAgent(ctx, token).catch(() => authenticateVisitor(ctx, token, req.ip))
          : await authenticateAgent(ctx, token);
    // Two-factor required and not set up: reading themselves and the set-up only.
    if (actor.kind === 'agent' && actor.mustSetUpTwoFactor && !route?.allowedBeforeTwoFactor) {
      throw twoFactorRequired();
    }
    if (auth === 'admin' && actor.kind === 'agent' && actor.role !== 'admin') {
      throw forbidden('Admins only');
    }
    // A read-only API token reads; every other method changes something. For scopes, showing
    // a secret counts as a change too (no token is shown one anyway: requireSignedInAdmin).
    const reads = readScopeAllows(req.method);
    if (route) {
      requireScope(actor, route.tag, reads && route.revealsSecret !== true ? 'read' : 'write');
    }
    if (!reads) requireWrite(actor);
    res.locals.actor = actor;
    next();
  };
}

/** The actor `authenticate` admitted for `auth`, checked to be of the kind it admits. */
export function actorFor(auth: ApiAuth, res: Response): Actor | undefined {
  if (auth === 'none' || auth === 'refresh-cookie') return undefined;
  const actor = res.locals.actor;
  if (!actor) throw unauthorized();
  if (
    auth === 'visitor'
      ? actor.kind !== 'visitor'
      : auth !== 'agent-or-visitor' && actor.kind !== 'agent'
  ) {
    throw unauthorized();
  }
  return actor;
}
