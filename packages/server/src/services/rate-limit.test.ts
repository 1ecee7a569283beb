import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import {
  enforce,
  inAbout,
  LocalRateLimiter,
  NoRateLimiter,
  RedisRateLimiter,
} from './rate-limit.js';

const limit = { limit: 5, windowMs: 10_000 };

/** Hits the key n times, one after another: the waits (0: allowed). */
async function hits(limiter: LocalRateLimiter | RedisRateLimiter, key: string, n: number) {
  const waits: number[] = [];
  for (let i = 0; i < n; i++) waits.push(await limiter.hit(key, limit));
  return waits;
}

describe('rate limits', () => {
  it('allow the limit per window, then say how long to wait', async () => {
    const limiter = new LocalRateLimiter();
    const waits = await hits(limiter, 'k', 7);
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    for (const wait of waits.slice(5)) {
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(limit.windowMs);
    }
    // Other keys, and the same key under another limit, count apart.
    expect(await limiter.hit('other', limit)).toBe(0);
    expect(await limiter.hit('k', { limit: 1, windowMs: 1_000 })).toBe(0);
  });

  it('throw rate_limited with the wait for the client, from enforce', async () => {
    const limiter = new LocalRateLimiter();
    await hits(limiter, 'k', 5);
    const refused = await enforce(limiter, [['k', limit]]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    const error = refused as AppError;
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.toInfo()).toEqual({
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many requests: try again in \d+ (second|minute)s?$/),
      details: { retryAfterMs: error.retryAfterMs },
    });
  });

  it('say the wait in words, rounded up', () => {
    expect(inAbout(400)).toBe('in a second');
    expect(inAbout(1_001)).toBe('in 2 seconds');
    expect(inAbout(59_000)).toBe('in 59 seconds');
    expect(inAbout(60_000)).toBe('in 1 minute');
    expect(inAbout(61_000)).toBe('in 2 minutes');
    expect(inAbout(3_600_000)).toBe('in 1 hour');
    expect(inAbout(5_400_000)).toBe('in 2 hours');
  });

  it('are off for load tests', async () => {
    const limiter = new NoRateLimiter();
    for (let i = 0; i < 100; i++) await enforce(limiter, [['k', limit]]);
  });
});

describe('rate limits while Redis is away', () => {
  it('count in memory instead of failing the request', async () => {
    const away = new Redis('redis://127.0.0.1:1', { lazyConnect: true });
    const limiter = new RedisRateLimiter(away, 'parley-test');
    const waits = await hits(limiter, 'k', 6);
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(waits[5]).toBeGreaterThan(0);
    away.disconnect();
  });
});

// Against the real Redis when TEST_REDIS_URL is set (CI: redis://127.0.0.1:6379).
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  const clients: Redis[] = [];
  // Connected first: while a client is not ready, each instance counts in its own memory.
  const connect = async () => {
    const client = new Redis(redisUrl ?? '', { lazyConnect: true });
    clients.push(client);
    await client.connect();
    return client;
  };
  afterAll(() => Promise.all(clients.map((c) => c.quit())));

  it('count every instance against the same limit', async () => {
    const prefix = `parley-test-${randomUUID()}`;
    const a = new RedisRateLimiter(await connect(), prefix);
    const b = new RedisRateLimiter(await connect(), prefix);
    expect([...(await hits(a, 'visitor', 3)), ...(await hits(b, 'visitor', 2))]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    for (const limiter of [a, b]) {
      const wait = await limiter.hit('visitor', limit);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(limit.windowMs);
    }
    // Another deployment's prefix counts apart.
    const other = new RedisRateLimiter(await connect(), `${prefix}-other`);
    expect(await other.hit('visitor', limit)).toBe(0);
  });
});
