import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { watchAdapterRedis } from './redis-recovery.js';

/** The part of an ioredis client the watch reads: its status and its connection events. */
class FakeRedis extends EventEmitter {
  status = 'ready';
  readonly copies: FakeRedis[] = [];
  duplicate() {
    const copy = new FakeRedis();
    this.copies.push(copy);
    return copy;
  }
  lose() {
    this.status = 'reconnecting';
    this.emit('close');
  }
  regain() {
    this.status = 'ready';
    this.emit('ready');
  }
}

/** An adapter that, like the streams adapter, duplicates the client twice as it is made. */
function watched() {
  const client = new FakeRedis();
  const streams = watchAdapterRedis(client as unknown as Redis, (c) => [
    c.duplicate() as unknown as FakeRedis,
    c.duplicate() as unknown as FakeRedis,
  ]);
  let recoveries = 0;
  streams.onRecovered(() => recoveries++);
  return { client, copies: streams.adapter, recoveries: () => recoveries };
}

describe('watching the Redis connections of the streams adapter', () => {
  it('tells once, when every connection is back after Redis went away', () => {
    const { client, copies, recoveries } = watched();
    const all = [client, ...copies];
    for (const c of all) c.lose();
    client.lose(); // a failed attempt to reconnect
    client.regain();
    copies[0]?.regain();
    expect(recoveries()).toBe(0); // the stream reader is not back yet
    copies[1]?.regain();
    expect(recoveries()).toBe(1);
    // Ready again later without a loss in between (a resubscribe, say): nothing to tell.
    client.regain();
    expect(recoveries()).toBe(1);
  });

  it('tells when only the reader of the stream lost its connection', () => {
    const { copies, recoveries } = watched();
    copies[0]?.lose();
    copies[0]?.regain();
    expect(recoveries()).toBe(1);
  });

  it('waits for no connection closed for good, and watches no duplicate made later', () => {
    const { client, copies, recoveries } = watched();
    const later = client.duplicate();
    later.lose(); // someone else's subscriber, not the adapter's
    copies[1]?.lose();
    copies[1]?.emit('end');
    client.lose();
    client.regain();
    expect(recoveries()).toBe(1);
    expect(client.duplicate).toBe(FakeRedis.prototype.duplicate);
  });
});
