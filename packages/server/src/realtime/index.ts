import type { Server as HttpServer } from 'node:http';
import { MAX_SOCKET_PAYLOAD_BYTES } from '@parley/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Context } from '../context.js';
import { onAgentConnection } from './agent.js';
import { coalesceWrites } from './coalesce-writes.js';
import {
  LocalConnectionCap,
  NoConnectionCap,
  RedisConnectionCap,
  type ConnectionCap,
} from './connection-cap.js';
import {
  authenticateAgentSocket,
  authenticateVisitorSocket,
  capConnections,
  limitConnections,
  refuseNamespace,
} from './handshake.js';
import { namespaces, type AgentNamespace, type VisitorNamespace } from './namespaces.js';
import { RecoveryAdapter } from './recovery-adapter.js';
import { watchAdapterRedis } from './redis-recovery.js';
import { onVisitorConnection } from './visitor.js';
import { checkVisitorOrigin } from './visitor-origin.js';

/**
 * Socket.io on the HTTP server: `/agent` and `/visitor`, authenticated at the handshake. With
 * Redis, the streams adapter carries broadcasts between instances and keeps recovery sessions.
 */
export function attachRealtime(
  ctx: Context,
  http: HttpServer,
  redis: { client: Redis; prefix: string } | undefined,
): { io: Server; agents: AgentNamespace; visitors: VisitorNamespace } {
  const streams =
    redis &&
    watchAdapterRedis(redis.client, (client) =>
      createAdapter(client, {
        streamName: `${redis.prefix}:socket.io`,
        sessionKeyPrefix: `${redis.prefix}:sio:session:`,
      }),
    );
  const io = new Server(http, {
    // A packet larger than this closes the connection before it is parsed.
    maxHttpBufferSize: MAX_SOCKET_PAYLOAD_BYTES,
    serveClient: false,
    // Fast path on short drops; the seq-based `sync` is what guarantees nothing is missed. Every
    // broadcast is kept for this long (in memory, or in the Redis stream), so the window is
    // short: the memory grows with the message rate times it.
    connectionStateRecovery: { maxDisconnectionDuration: 30 * 1000, skipMiddlewares: false },
    adapter: streams ? streams.adapter : RecoveryAdapter,
  });
  coalesceWrites(io);
  const cap = connectionCap(ctx, redis);
  http.once('close', () => cap.close());
  io.of('/').use(refuseNamespace);
  const { agents, visitors } = namespaces(io);
  agents.use(limitConnections(ctx));
  agents.use(authenticateAgentSocket(ctx));
  agents.use(capConnections(ctx, cap));
  visitors.use(limitConnections(ctx));
  visitors.use(checkVisitorOrigin(ctx));
  visitors.use(authenticateVisitorSocket(ctx));
  visitors.use(capConnections(ctx, cap));
  agents.on('connection', (socket) => onAgentConnection(ctx, visitors, socket));
  visitors.on('connection', (socket) => onVisitorConnection(ctx, agents, socket));
  // Broadcasts lost while Redis was away reach nobody, and sockets that stayed connected would
  // never sync for them: once it is back, every socket of this instance does.
  streams?.onRecovered(() => {
    ctx.log.warn('Redis is back: every socket of this instance syncs');
    agents.local.emit('sync.required');
    visitors.local.emit('sync.required');
  });
  return { io, agents, visitors };
}

function connectionCap(
  ctx: Context,
  redis: { client: Redis; prefix: string } | undefined,
): ConnectionCap {
  const max = ctx.config.maxSocketsPerIp;
  if (!ctx.config.rateLimits || max === 0) return new NoConnectionCap();
  return redis
    ? new RedisConnectionCap(redis.client, redis.prefix, max)
    : new LocalConnectionCap(max);
}
