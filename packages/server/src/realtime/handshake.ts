import { AgentHandshake, VisitorHandshake } from '@parley/protocol';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { ExtendedError } from 'socket.io';
import { AppError, forbidden, toErrorInfo, unauthorized } from '../errors.js';
import { isDashboardOrigin } from '../http/origin.js';
import { requireScope } from '../services/actor.js';
import { authenticateAgentSession } from '../services/auth.js';
import type { Context } from '../context.js';
import { enforce, limits } from '../services/rate-limit.js';
import { banAddressOf } from '../services/bans.js';
import { twoFactorRequired } from '../services/two-factor-policy.js';
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
    authenticateAgentSession(ctx, auth.data.token)
      .then(({ actor, sessionId, expiresAt }) => {
        // Two-factor required and not set up: the dashboard shows the set-up screen alone.
        if (actor.mustSetUpTwoFactor) throw twoFactorRequired();
        // A socket is sent every conversation's events: a scoped token needs to read them.
        requireScope(actor, 'Conversations', 'read');
        socket.data = {
          actor,
          visitorOf: new Map(),
          sessionId,
          expiresAt,
          visible: auth.data.visible === true,
        };
        next();
      })
      .catch((error: unknown) => next(refusal(error)));
  };
}

export function authenticateVisitorSocket(ctx: Context) {
  return (socket: VisitorSocket, next: (err?: ExtendedError) => void) => {
    const auth = VisitorHandshake.safeParse(socket.handshake.auth);
    if (!auth.success) return next(refusal(unauthorized('Visitor token required')));
    const address = clientAddress(ctx, socket);
    authenticateVisitor(ctx, auth.data.visitorToken, address).then(
      (actor) => {
        // The address stays for a ban of it made while the socket is open (outlets/sockets.ts).
        socket.data = { actor, address: banAddressOf(address) };
        next();
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

/**
 * The last of a namespace's checks, once the socket is admitted: what the checks read is of no
 * more use, and Socket.io and Engine.IO would keep it for the socket's life. The first HTTP
 * request (Engine.IO's `conn.request`: its headers, raw headers and parser state) and the
 * handshake's token and headers go; the handshake keeps the address. Most sockets are widgets
 * sitting idle on open pages, so this is multiplied by all of them. (socket.io's own advice:
 * https://socket.io/docs/v4/memory-usage/)
 */
export function releaseHandshake(
  socket: AgentSocket | VisitorSocket,
  next: (err?: ExtendedError) => void,
) {
  socket.handshake.auth = {};
  socket.handshake.headers = {};
  (socket.conn as { request: unknown }).request = null;
  next();
}

/**
 * Engine.IO's last middleware. For a WebSocket upgrade it makes a stand-in response, kept as long
 * as the TCP socket (by its 'close' listener), that holds the upgrade's request; nothing reads it
 * once the middlewares have run, so it lets go of it. (A long-polling request's response is a
 * real one, and is left alone.)
 */
export function releaseUpgradeRequest(
  _req: IncomingMessage,
  res: ServerResponse,
  next: (err?: Error) => void,
) {
  if (!(res instanceof ServerResponse)) (res as { req: unknown }).req = null;
  next();
}

/**
 * The first of a namespace's checks: a connection whose request was released (it already holds
 * an admitted socket) may not open another namespace, whose checks would find no headers, and so
 * no Origin, to check. Parley's clients open one namespace per connection.
 */
export function oneNamespacePerConnection(
  socket: AgentSocket | VisitorSocket,
  next: (err?: ExtendedError) => void,
) {
  if ((socket.conn as { request: unknown }).request) return next();
  next(refusal(forbidden('One namespace per connection')));
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
    countConnection(cap, clientAddress(ctx, socket), socket).then(
      (admitted) => {
        if (admitted) return next();
        const full = new AppError('rate_limited', 'Too many connections from this address');
        next(refusal(full));
      },
      (error: unknown) => next(refusal(error)),
    );
  };
}

/**
 * Counts the socket against its address: false when the address is full. The listeners that
 * release the count live as long as the socket, so they are made here, apart from the
 * middleware: a closure keeps its whole function's scope, and one made beside `next` kept
 * socket.io's chain of middlewares alive with every socket.
 */
async function countConnection(
  cap: ConnectionCap,
  address: string,
  socket: AgentSocket | VisitorSocket,
): Promise<boolean> {
  // An object, not a variable: `release` may change it while `acquire` is awaited.
  const count: { state: 'counting' | 'counted' | 'gone' } = { state: 'counting' };
  const release = () => {
    if (count.state === 'counted') cap.release(address, socket.id);
    count.state = 'gone';
  };
  socket.conn.once('close', release);
  const admitted = await cap.acquire(address, socket.id);
  if (count.state === 'gone') {
    // The connection closed while counting: Socket.io drops the socket, uncounted.
    if (admitted) cap.release(address, socket.id);
    return true;
  }
  if (!admitted) {
    count.state = 'gone';
    socket.conn.off('close', release);
    return false;
  }
  count.state = 'counted';
  onDisconnect(socket, () => {
    socket.conn.off('close', release);
    release();
  });
  return true;
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
