import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AvailabilityCache, type Presence } from './presence.js';

const HEARTBEAT_MS = 5_000;
/** An instance silent this long is dead (SIGKILL, lost host): its sockets are counted out. */
const INSTANCE_TTL_MS = 15_000;

type Kind = 'agents' | 'visitors';

// Adds `delta` to the cluster-wide count and to this instance's own count, atomically, and
// returns the cluster-wide count: 1 after an increment means "first socket anywhere", 0 after a
// decrement "last one gone". The instance's own counts let a janitor undo a dead instance.
const ADJUST = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
local m = redis.call('HINCRBY', KEYS[2], ARGV[1], ARGV[2])
if m <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return n`;

// Subtracts a dead instance's counts from the cluster-wide ones; returns the ids now at zero.
const REAP = `
local gone = {}
local counts = redis.call('HGETALL', KEYS[2])
for i = 1, #counts, 2 do
  local n = redis.call('HINCRBY', KEYS[1], counts[i], -tonumber(counts[i + 1]))
  if n <= 0 then
    redis.call('HDEL', KEYS[1], counts[i])
    table.insert(gone, counts[i])
  end
end
redis.call('DEL', KEYS[2])
return gone`;

export type Reaped = { agents: string[]; visitors: string[] };

/**
 * Presence shared by every instance through Redis. Each instance heartbeats; when one stops
 * (killed, host lost), a surviving instance reaps its counts and reports who went offline.
 */
export class RedisPresence extends AvailabilityCache implements Presence {
  readonly instanceId = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private readonly prefix: string;
  private readonly instances: string;

  constructor(
    private readonly redis: Redis,
    redisPrefix: string,
    private readonly onReaped: (reaped: Reaped) => Promise<void>,
  ) {
    super();
    this.prefix = `${redisPrefix}:presence`;
    this.instances = `${this.prefix}:instances`;
  }

  /** Registers this instance; true if no other live instance exists (a cold cluster). */
  async start(): Promise<boolean> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beat()
        .then(() => this.reap())
        .catch(() => {}); // Redis down: the next beat retries; readyz reports it meanwhile
    }, HEARTBEAT_MS);
    this.timer.unref();
    const live = await this.redis.zrangebyscore(this.instances, Date.now(), '+inf');
    return live.every((id) => id === this.instanceId);
  }

  private async beat() {
    await this.redis.zadd(this.instances, Date.now() + INSTANCE_TTL_MS, this.instanceId);
  }

  private key(kind: Kind, instance?: string) {
    return instance ? `${this.prefix}:${instance}:${kind}` : `${this.prefix}:${kind}`;
  }

  private async adjust(kind: Kind, id: string, delta: 1 | -1): Promise<number> {
    const n = await this.redis.eval(
      ADJUST,
      2,
      this.key(kind),
      this.key(kind, this.instanceId),
      id,
      delta,
      INSTANCE_TTL_MS * 20,
    );
    return Number(n);
  }

  /** Counts out the sockets of instances whose heartbeat stopped. One reaper per dead instance. */
  async reap(): Promise<void> {
    const dead = await this.redis.zrangebyscore(this.instances, '-inf', Date.now());
    for (const instance of dead) {
      const claimed = await this.redis.set(
        `${this.prefix}:reaping:${instance}`,
        this.instanceId,
        'PX',
        60_000,
        'NX',
      );
      if (!claimed) continue;
      const reaped: Reaped = { agents: [], visitors: [] };
      for (const kind of ['agents', 'visitors'] as const) {
        const gone = await this.redis.eval(REAP, 2, this.key(kind), this.key(kind, instance));
        reaped[kind] = Array.isArray(gone) ? gone.map(String) : [];
      }
      await this.redis.zrem(this.instances, instance);
      await this.onReaped(reaped);
    }
  }

  async agentConnected(id: string) {
    return (await this.adjust('agents', id, 1)) === 1;
  }
  async agentDisconnected(id: string) {
    return (await this.adjust('agents', id, -1)) === 0;
  }
  async visitorConnected(id: string) {
    return (await this.adjust('visitors', id, 1)) === 1;
  }
  async visitorDisconnected(id: string) {
    return (await this.adjust('visitors', id, -1)) === 0;
  }
  async connectedAgentIds() {
    return this.redis.hkeys(this.key('agents'));
  }

  /** Leaves the cluster; sockets still counted here are counted out by the next reap. */
  async close() {
    clearInterval(this.timer);
    await this.redis.zadd(this.instances, 0, this.instanceId).catch(() => {});
  }
}
