import { readScopeAllows } from '@parley/protocol';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { forbidden, unauthorized } from '../errors.js';
import { requireWrite, type Actor, type AgentActor, type VisitorActor } from '../services/actor.js';
import { authenticateAgent } from '../services/auth.js';
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

type Allowed = 'agent' | 'admin' | 'visitor' | 'anyone';

/**
 * Sets `res.locals.actor` from the bearer token. An agent token is a JWT for the agent audience,
 * a visitor token one for the visitor audience; each route says which it accepts.
 */
export function authenticate(ctx: Context, allowed: Allowed): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearer(req);
    if (!token) throw unauthorized();
    const actor =
      allowed === 'visitor'
        ? await authenticateVisitor(ctx, token)
        : allowed === 'anyone'
          ? await authenticateAgent(ctx, token).catch(() => authenticateVisitor(ctx, token))
          : await authenticateAgent(ctx, token);
    if (allowed === 'admin' && actor.kind === 'agent' && actor.role !== 'admin') {
      throw forbidden('Admins only');
    }
    // A read-only API token reads; every other method changes something.
    if (!readScopeAllows(req.method)) requireWrite(actor);
    res.locals.actor = actor;
    next();
  };
}

export function agentOf(res: Response): AgentActor {
  const actor = res.locals.actor;
  if (actor?.kind !== 'agent') throw unauthorized();
  return actor;
}

export function visitorOf(res: Response): VisitorActor {
  const actor = res.locals.actor;
  if (actor?.kind !== 'visitor') throw unauthorized();
  return actor;
}

export function actorOf(res: Response): Actor {
  const actor = res.locals.actor;
  if (!actor) throw unauthorized();
  return actor;
}
