import { AgentHandshake, VisitorHandshake } from '@parley/protocol';
import type { ExtendedError } from 'socket.io';
import { AppError, forbidden, toErrorInfo, unauthorized } from '../errors.js';
import { isDashboardOrigin } from '../http/origin.js';
import { authenticateAgentSession } from '../services/auth.js';
import type { Context } from '../context.js';
import { enforce, limits } from '../services/rate-limit.js';
import { authenticateVisitor } from '../services/visitors.js';
import type { ConnectionCap } from './connection-cap.js';
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
    // Agents work from the dashboard (this server's, or one listed in DASHBOARD_ORIGINS): no
    // other page may connect.
    const { origin, host } = socket.handshake.headers;
    if (origin !== undefined && !isDashboardOrigin(origin, host, ctx.config.dashboardOrigins)) {
      return next(refusal(forbidden('Origin not allowed')));
    }
    const auth = AgentHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(refusal(unauthorized('Token required')));
    authenticateAgentSession(ctx, auth.data.token).then(
      ({ actor, sessionId, expiresAt }) => {
        socket.data = { actor, visitorOf: new Map(), sessionId, expiresAt };
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

/**
 * Limits how fast an address opens sockets, before any token is checked (a flood costs no
 * crypto). How many it may hold open at once is `capConnections`.
 */
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

/**
 * Caps the sockets an address holds open at once. Counted last, once the handshake is otherwise
 * accepted, so a refused handshake holds no count; released when the socket or its connection
 * ends, whichever comes first, even when that happens before the count is settled.
 */
export function capConnections(ctx: Context, cap: ConnectionCap) {
  return (socket: AgentSocket | VisitorSocket, next: (err?: ExtendedError) => void) => {
    const address = clientAddress(ctx, socket);
    let state: 'counting' | 'counted' | 'gone' = 'counting';
    const release = () => {
      if (state === 'counted') cap.release(address, socket.id);
      state = 'gone';
    };
    socket.conn.once('close', release);
    cap.acquire(address, socket.id).then(
      (admitted) => {
        if (state === 'gone') {
          // The connection closed while counting: Socket.io drops the socket, uncounted.
          if (admitted) cap.release(address, socket.id);
          return next();
        }
        if (!admitted) {
          state = 'gone';
          socket.conn.off('close', release);
          const full = new AppError('rate_limited', 'Too many connections from this address');
          return next(refusal(full));
        }
        state = 'counted';
        onDisconnect(socket, () => {
          socket.conn.off('close', release);
          release();
        });
        next();
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

// Both namespaces' sockets have `disconnect`; their typed `once` overloads do not unify.
function onDisconnect(
  socket: { once(event: 'disconnect', fn: () => void): unknown },
  fn: () => void,
) {
  socket.once('disconnect', fn);
}

/**
 * The default namespace `/` serves nothing: a socket there would be unauthenticated, outside
 * every limit and every metric. Clients must use `/agent` or `/visitor`.
 */
export function refuseNamespace(_socket: unknown, next: (err?: ExtendedError) => void) {
  next(refusal(new AppError('not_found', 'Connect to /agent or /visitor')));
}
