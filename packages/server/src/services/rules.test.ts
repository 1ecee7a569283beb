import { describe, expect, it } from 'vitest';
import { toRange } from './analytics.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { describeUserAgent } from './user-agent.js';

describe('user agent', () => {
  it('names browsers that claim to be others by their real name', () => {
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86';
    expect(describeUserAgent(edge)).toEqual({ browser: 'Edge 131', os: 'Windows' });
    const safari =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(describeUserAgent(safari)).toEqual({ browser: 'Safari 17', os: 'iOS' });
    expect(describeUserAgent('curl/8.0')).toEqual({ browser: null, os: null });
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null });
  });
});

describe('cursor', () => {
  it('round-trips and refuses tampering', () => {
    const id = '0b5c0d0e-1111-4222-8333-444455556666';
    const at = '2026-01-02T03:04:05.678Z';
    expect(decodeCursor(encodeCursor(at, id))).toEqual({ at: new Date(at), id });
    for (const bad of [
      '',
      'abc',
      Buffer.from('["x","y"]').toString('base64url'),
      Buffer.from(`["${at}","1 or 1=1"]`).toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow('Invalid cursor');
    }
  });
});

describe('analytics range', () => {
  const now = new Date('2026-03-10T15:00:00Z');
  it('defaults to the last seven whole UTC days, today included', () => {
    const r = toRange({}, now);
    expect(r.from.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    expect(r.to.toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(r.days).toBe(7);
  });
  it('includes both ends and caps the span', () => {
    expect(toRange({ from: '2026-01-01', to: '2026-01-01' }, now).days).toBe(1);
    expect(() => toRange({ from: '2024-01-01', to: '2026-01-01' }, now)).toThrow(/At most/);
  });
});
