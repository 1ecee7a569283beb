import type { AttachmentUrlReply } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { createUrlCache, isFresh, REFRESH_BEFORE_MS } from './urls';

const FIVE_MINUTES = 300_000;

/** A server that signs links for five minutes from the fake clock, counting the requests. */
function setup() {
  let now = Date.parse('2026-01-01T12:00:00Z');
  const asked: string[] = [];
  const cache = createUrlCache(
    async (id): Promise<AttachmentUrlReply> => {
      asked.push(id);
      return {
        url: `/files/${id}?n=${asked.length}`,
        expiresAt: new Date(now + FIVE_MINUTES).toISOString(),
      };
    },
    () => now,
  );
  return { cache, asked, wait: (ms: number) => (now += ms) };
}

describe('signed file links', () => {
  it('are fresh until shortly before they expire', () => {
    const link = { url: '/files/a', expiresAt: new Date(100_000).toISOString() };
    expect(isFresh(link, 100_000 - REFRESH_BEFORE_MS - 1)).toBe(true);
    expect(isFresh(link, 100_000 - REFRESH_BEFORE_MS)).toBe(false);
    expect(isFresh(link, 200_000)).toBe(false);
  });

  it('are asked for once per file, however many ask at once', async () => {
    const { cache, asked } = setup();
    const [a, b] = await Promise.all([cache.get('f1'), cache.get('f1')]);
    expect(a).toBe(b);
    expect(await cache.get('f1')).toBe(a);
    expect(cache.peek('f1')).toBe(a);
    expect(asked).toEqual(['f1']);
  });

  it('are asked for again 30 seconds before they expire, not after', async () => {
    const { cache, asked, wait } = setup();
    const first = await cache.get('f1');
    wait(FIVE_MINUTES - REFRESH_BEFORE_MS - 1000);
    expect(await cache.get('f1')).toBe(first);
    wait(1000);
    expect(cache.peek('f1')).toBeUndefined();
    const second = await cache.get('f1');
    expect(second.url).not.toBe(first.url);
    expect(asked).toEqual(['f1', 'f1']);
  });

  it('ask again after a failure rather than keep it', async () => {
    let fail = true;
    const cache = createUrlCache(async (id) => {
      if (fail) throw new Error('offline');
      return { url: `/files/${id}`, expiresAt: new Date(Date.now() + FIVE_MINUTES).toISOString() };
    });
    await expect(cache.get('f1')).rejects.toThrow('offline');
    fail = false;
    expect((await cache.get('f1')).url).toBe('/files/f1');
  });
});
