import type { Redis } from 'ioredis';

/**
 * How many sockets one address may hold open at once. A rate of new sockets alone lets a
 * patient client pile up connections (each one memory and a slot in every broadcast).
 */
export interface ConnectionCap {
  /** Counts the socket against its address; false (counting nothing) when the address is full. */
  acquire(address: string, socketId: string): Promise<boolean>;
  /** The socket is gone. */
  release(address: string, socketId: string): void;
  /** Stops the heartbeat; the sockets still counted here expire on their own. */
  close(): void;
}

/** One instance: the open sockets of each address, in memory. */
export class LocalConnectionCap implements ConnectionCap {
  private readonly open = new Map<string, Set<string>>();

  constructor(private readonly max: number) {}

  async acquire(address: string, socketId: string): Promise<boolean> {
    const sockets = this.open.get(address) ?? new Set<string>();
    if (!sockets.has(socketId) && sockets.size >= this.max) return false;
    sockets.add(socketId);
    this.open.set(address, sockets);
    return true;
  }

  release(address: string, socketId: string): void {
    const sockets = this.open.get(address);
    sockets?.delete(socketId);
    if (sockets?.size === 0) this.open.delete(address);
  }

  close(): void {}
}

// A sorted set per address: socket id -> when its count lapses. Lapsed members are dropped
// first, so an instance that dies (kill -9, lost host) stops counting once its heartbeat stops.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if not redis.call('ZSCORE', KEYS[1], ARGV[3]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** Every few seconds each instance extends the counts of the sockets it still holds. */
const HEARTBEAT_MS = 10_000;
/** A count not extended for this long lapses: its instance is gone. */
const LAPSE_MS = 30_000;

/**
 * Shared by every instance through Redis. Each socket is a member of its address's sorted set,
 * scored with the time its count lapses; the instance that holds it pushes that time forward on
 * every heartbeat (which also puts it back after Redis lost its data), and removes it when the
 * socket goes. Times come from each instance's clock: skew between hosts shifts a lapse by the
 * skew, far below LAPSE_MS on any synchronised host.
 */
export class RedisConnectionCap implements ConnectionCap {
  /** This instance's sockets, by address: what the heartbeat extends. */
  private readonly held = new Map<string, Set<string>>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max: number,
    private readonly lapseMs = LAPSE_MS,
    heartbeatMs = HEARTBEAT_MS,
  ) {
    this.timer = setInterval(() => {
      this.beat().catch(() => {}); // Redis away: the next beat retries
    }, heartbeatMs);
    this.timer.unref();
  }

  private key(address: string) {
    return `${this.prefix}:sockets:${address}`;
  }

  async acquire(address: string, socketId: string): Promise<boolean> {
    // Redis away: admit (clients do not retry a refused handshake by themselves); the heartbeat
    // counts the socket once Redis is back.
    const admitted = this.redis.status === 'ready' ? await this.admit(address, socketId) : true;
    if (!admitted) return false;
    const sockets = this.held.get(address) ?? new Set<string>();
    sockets.add(socketId);
    this.held.set(address, sockets);
    return true;
  }

  private async admit(address: string, socketId: string): Promise<boolean> {
    const now = Date.now();
    const args = [now, now + this.lapseMs, socketId, this.max, this.lapseMs];
    return this.redis.eval(ACQUIRE, 1, this.key(address), ...args).then(
      (admitted) => Number(admitted) === 1,
      () => true,
    );
  }

  release(address: string, socketId: string): void {
    const sockets = this.held.get(address);
    sockets?.delete(socketId);
    if (sockets?.size === 0) this.held.delete(address);
    // Redis away: the count lapses by itself.
    this.redis.zrem(this.key(address), socketId).catch(() => {});
  }

  private async beat() {
    if (this.held.size === 0) return;
    const lapse = Date.now() + this.lapseMs;
    const batch = this.redis.pipeline();
    for (const [address, sockets] of this.held) {
      batch.zadd(this.key(address), ...[...sockets].flatMap((id) => [lapse, id]));
      batch.pexpire(this.key(address), this.lapseMs);
    }
    await batch.exec();
  }

  close(): void {
    clearInterval(this.timer);
  }
}
