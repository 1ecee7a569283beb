import { Redis } from 'ioredis';

/**
 * A Redis connection that keeps retrying while Redis is away (readyz reports it meanwhile)
 * instead of failing the commands of a running server at once.
 */
export async function openRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  redis.on('error', () => {}); // reconnects by itself; errors surface on the commands that fail
  await redis.connect();
  return redis;
}
