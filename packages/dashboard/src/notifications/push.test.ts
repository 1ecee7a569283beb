import { describe, expect, it } from 'vitest';
import { base64UrlToBytes } from './push';

describe("the server's key for the browser", () => {
  it('is the bytes of its base64url, the url-safe letters turned back, padded or not', () => {
    expect(base64UrlToBytes('-_8')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(base64UrlToBytes('-_8=')).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(base64UrlToBytes('AQID')).toEqual(Uint8Array.of(1, 2, 3));
  });
  it('is an uncompressed P-256 point for a VAPID key: 65 bytes, the first 4', () => {
    const key = base64UrlToBytes(
      'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U',
    );
    expect(key).toHaveLength(65);
    expect(key[0]).toBe(4);
  });
});
