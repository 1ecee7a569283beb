import { AgentHandshake, VisitorHandshake } from '@parley/protocol';
import type { ExtendedError } from 'socket.io';
import { AppError, forbidden, toErrorInfo, unauthorized } from '../errors.js';
import { isOwnOrigin } from '../http/origin.js';
import { authenticateAgentSession } from '../services/auth.js';
import type { Context } from '../services/context.js';
import { enforce, limits } from '../services/rate-limit.js';
import { authenticateVisitor } from '../services/visitors.js';
import type { AgentSocket, VisitorSocket } from './namespaces.js';

/** A refused handshake reaches the client as `connect_error` with `data: {code}`. */
function refusal(error: unknown): ExtendedError {
  const info = error instanceof AppError ? error.toInfo() : toErrorInfo(error);
  const refused: ExtendedError = new Error(info.message);
  refused.data = { code: info.code };
  return refused;
}

export function authenticateAgentSocket(ctx: Context) {
  return (socket: AgentSocket, next: (err?: ExtendedError) => void) => {
    // Agents work from the dashboard, which this server serves: no other page may connect.
    const { origin, host } = socket.handshake.headers;
    if (origin !== undefined && !isOwnOrigin(origin, host)) {
      return next(refusal(forbidden('Origin not allowed')));
    }
    const auth = AgentHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(refusal(unauthorized('Token required')));
    authenticateAgentSession(ctx, auth.data.token).then(
      ({ actor, expiresAt }) => {
        socket.data = { actor, visitorOf: new Map(), expiresAt };
        next();
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

export function authenticateVisitorSocket(ctx: Context) {
  return (socket: VisitorSocket, next: (err?: ExtendedError) => void) => {
    const auth = VisitorHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(refusal(unauthorized('Visitor token required')));
    authenticateVisitor(ctx, auth.data.visitorToken).then(
      (actor) => {
        socket.data = { actor, owned: new Set() };
        next();
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

/** The client's address: the proxy's X-Forwarded-For first hop when the proxy is trusted. */
function clientAddress(ctx: Context, socket: AgentSocket | VisitorSocket): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (ctx.config.trustProxy && typeof forwarded === 'string') {
    return forwarded.split(',')[0]?.trim() || socket.handshake.address;
  }
  return socket.handshake.address;
}

/** Caps new sockets per address, before any token is checked (a flood costs no crypto). */
export function limitConnections(ctx: Context) {
  return (socket: AgentSocket | VisitorSocket, next: (err?: ExtendedError) => void) => {
    enforce(ctx.rateLimiter, [
      [`sockets:ip:${clientAddress(ctx, socket)}`, limits.socketsPerIp],
    ]).then(
      () => next(),
      (error: unknown) => next(refusal(error)),
    );
  };
}
