import type { Redis } from 'ioredis';
import { AppError } from '../errors.js';

/** How many hits a key may take per window. */
export type Limit = { limit: number; windowMs: number };

/** The limits of the product, by what they protect. */
export const limits = {
  loginPerIp: { limit: 20, windowMs: 60_000 },
  loginPerEmail: { limit: 10, windowMs: 15 * 60_000 },
  registerPerIp: { limit: 5, windowMs: 60 * 60_000 },
  // Generous per IP: many visitors of one office or mobile carrier share an address.
  visitorSessionPerIp: { limit: 120, windowMs: 60_000 },
  socketsPerIp: { limit: 300, windowMs: 60_000 },
  // Resends after a reconnect count too, so there is headroom above any human pace.
  messagesPerVisitor: { limit: 40, windowMs: 10_000 },
  messagesPerAgent: { limit: 100, windowMs: 10_000 },
  typingPerSocket: { limit: 10, windowMs: 1_000 },
} satisfies Record<string, Limit>;

export interface RateLimiter {
  /** Counts a hit; false when the key is over its limit for the current window. */
  hit(key: string, limit: Limit): Promise<boolean>;
}

/**
 * Fixed windows in memory, for one process. Old windows are dropped as they are replaced, and
 * the map is swept when it grows, so a flood of distinct keys cannot grow it without bound.
 */
export class LocalRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  async hit(key: string, { limit, windowMs }: Limit): Promise<boolean> {
    const now = Date.now();
    const current = this.windows.get(key);
    if (!current || now - current.start >= windowMs) {
      if (this.windows.size > 100_000) this.sweep(now);
      this.windows.set(key, { start: now, count: 1 });
      return limit >= 1;
    }
    current.count++;
    return current.count <= limit;
  }

  private sweep(now: number) {
    for (const [key, w] of this.windows) if (now - w.start > 3_600_000) this.windows.delete(key);
  }
}

// INCR and set the window's expiry on its first hit, atomically.
const HIT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

/** For load tests only (RATE_LIMITS=off): every hit is allowed. */
export class NoRateLimiter implements RateLimiter {
  async hit(): Promise<boolean> {
    return true;
  }
}

/** Fixed windows in Redis: every instance counts against the same limit. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, { limit, windowMs }: Limit): Promise<boolean> {
    const window = Math.floor(Date.now() / windowMs);
    const n = await this.redis.eval(HIT, 1, `${this.prefix}:rate:${key}:${window}`, windowMs);
    return Number(n) <= limit;
  }
}

export const tooManyRequests = () => new AppError('rate_limited', 'Too many requests, slow down');

/** Throws `rate_limited` (429) when any of the keys is over its limit. */
export async function enforce(limiter: RateLimiter, hits: Array<[string, Limit]>): Promise<void> {
  const results = await Promise.all(hits.map(([key, limit]) => limiter.hit(key, limit)));
  if (results.includes(false)) throw tooManyRequests();
}
