import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnectionCap, RedisConnectionCap } from './connection-cap.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sockets per address, one instance', () => {
  it('admits up to the cap, counts each socket once, and frees a place when one goes', async () => {
    const cap = new LocalConnectionCap(2);
    expect(await cap.acquire('1.2.3.4', 's1')).toBe(true);
    expect(await cap.acquire('1.2.3.4', 's1')).toBe(true); // a recovered socket keeps its id
    expect(await cap.acquire('1.2.3.4', 's2')).toBe(true);
    expect(await cap.acquire('1.2.3.4', 's3')).toBe(false);
    expect(await cap.acquire('5.6.7.8', 's4')).toBe(true);
    cap.release('1.2.3.4', 's1');
    expect(await cap.acquire('1.2.3.4', 's3')).toBe(true);
  });
});

// Against the real Redis when TEST_REDIS_URL is set (CI: redis://127.0.0.1:6379).
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('sockets per address, shared through Redis', () => {
  const clients: Redis[] = [];
  const caps: RedisConnectionCap[] = [];
  const instance = (prefix: string, max: number, lapseMs?: number, heartbeatMs?: number) => {
    const client = new Redis(redisUrl ?? '');
    clients.push(client);
    const cap = new RedisConnectionCap(client, prefix, max, lapseMs, heartbeatMs);
    caps.push(cap);
    return { cap, client };
  };
  afterAll(async () => {
    for (const cap of caps) cap.close();
    await Promise.all(clients.map((c) => c.quit().catch(() => {})));
  });
  const ready = (client: Redis) =>
    client.status === 'ready' ? Promise.resolve() : new Promise((r) => client.once('ready', r));

  it('two instances agree on one cap', async () => {
    const prefix = `parley-test-${randomUUID()}`;
    const a = instance(prefix, 3);
    const b = instance(prefix, 3);
    await Promise.all([ready(a.client), ready(b.client)]);
    expect(await a.cap.acquire('1.2.3.4', 'a1')).toBe(true);
    expect(await a.cap.acquire('1.2.3.4', 'a2')).toBe(true);
    expect(await b.cap.acquire('1.2.3.4', 'b1')).toBe(true);
    expect(await b.cap.acquire('1.2.3.4', 'b2')).toBe(false);
    expect(await a.cap.acquire('1.2.3.4', 'a3')).toBe(false);
    expect(await b.cap.acquire('5.6.7.8', 'b3')).toBe(true);
    a.cap.release('1.2.3.4', 'a1');
    expect(await b.cap.acquire('1.2.3.4', 'b2')).toBe(true);
  });

  it("a dead instance's sockets stop counting; a live one's do not", async () => {
    const prefix = `parley-test-${randomUUID()}`;
    const live = instance(prefix, 4, 300, 50);
    const dying = instance(prefix, 4, 300, 50);
    const other = instance(prefix, 4, 300, 50);
    await Promise.all([ready(live.client), ready(dying.client), ready(other.client)]);
    expect(await live.cap.acquire('1.2.3.4', 'l1')).toBe(true);
    expect(await live.cap.acquire('1.2.3.4', 'l2')).toBe(true);
    expect(await dying.cap.acquire('1.2.3.4', 'd1')).toBe(true);
    expect(await dying.cap.acquire('1.2.3.4', 'd2')).toBe(true);
    expect(await other.cap.acquire('1.2.3.4', 'o1')).toBe(false);
    // kill -9: no release, no more heartbeats.
    dying.cap.close();
    dying.client.disconnect();
    await sleep(600);
    expect(await other.cap.acquire('1.2.3.4', 'o1')).toBe(true);
    expect(await other.cap.acquire('1.2.3.4', 'o2')).toBe(true);
    // The live instance's two are still counted, long past their first lapse.
    expect(await other.cap.acquire('1.2.3.4', 'o3')).toBe(false);
  });

  it('the heartbeat counts the sockets again after Redis lost its data', async () => {
    const prefix = `parley-test-${randomUUID()}`;
    const a = instance(prefix, 1, 5_000, 50);
    const b = instance(prefix, 1, 5_000, 50);
    await Promise.all([ready(a.client), ready(b.client)]);
    expect(await a.cap.acquire('1.2.3.4', 'a1')).toBe(true);
    await a.client.del(`${prefix}:sockets:1.2.3.4`);
    await sleep(200);
    expect(await b.cap.acquire('1.2.3.4', 'b1')).toBe(false);
  });
});
