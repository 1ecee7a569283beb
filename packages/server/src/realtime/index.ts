import type { Server as HttpServer } from 'node:http';
import { MAX_SOCKET_PAYLOAD_BYTES } from '@parley/protocol';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Context } from '../context.js';
import { agentConnections } from './agent.js';
import { coalesceWrites } from './coalesce-writes.js';
import { LocalConnectionCap, RedisConnectionCap, type ConnectionCap } from './connection-cap.js';
import {
  authenticateAgentSocket,
  authenticateVisitorSocket,
  capConnections,
  limitConnections,
  oneNamespacePerConnection,
  releaseHandshake,
  releaseUpgradeRequest,
  refuseNamespace,
} from './handshake.js';
import { namespaces, type AgentNamespace, type VisitorNamespace } from './namespaces.js';
import { RecoveryAdapter } from './recovery-adapter.js';
import { watchAdapterRedis } from './redis-recovery.js';
import { visitorConnections } from './visitor.js';
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
  io.engine.use(releaseUpgradeRequest);
  const cap = connectionCap(ctx, redis);
  http.once('close', () => cap?.close());
  io.of('/').use(refuseNamespace);
  const { agents, visitors } = namespaces(io);
  agents.use(oneNamespacePerConnection);
  agents.use(limitConnections(ctx));
  agents.use(authenticateAgentSocket(ctx));
  if (cap) agents.use(capConnections(ctx, cap));
  agents.use(releaseHandshake);
  visitors.use(oneNamespacePerConnection);
  visitors.use(limitConnections(ctx));
  visitors.use(authenticateVisitorSocket(ctx));
  visitors.use(checkVisitorOrigin(ctx));
  if (cap) visitors.use(capConnections(ctx, cap));
  visitors.use(releaseHandshake);
  agents.on('connection', agentConnections(ctx, visitors));
  visitors.on('connection', visitorConnections(ctx, agents));
  // Broadcasts lost while Redis was away reach nobody, and sockets that stayed connected would
  // never sync for them: once it is back, every socket of this instance does.
  streams?.onRecovered(() => {
    ctx.log.warn('Redis is back: every socket of this instance syncs');
    agents.local.emit('sync.required');
    visitors.local.emit('sync.required');
  });
  return { io, agents, visitors };
}

/** None (nothing counted) with RATE_LIMITS=off (load tests from one address) or MAX_SOCKETS_PER_IP=0. */
function connectionCap(
  ctx: Context,
  redis: { client: Redis; prefix: string } | undefined,
): ConnectionCap | undefined {
  const max = ctx.config.maxSocketsPerIp;
  if (!ctx.config.rateLimits || max === 0) return undefined;
  return redis
    ? new RedisConnectionCap(redis.client, redis.prefix, max)
    : new LocalConnectionCap(max);
}
