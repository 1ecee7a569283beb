import { describe, expect, it } from 'vitest';
import { toRange } from './analytics.js';
import { decodeCursor, encodeCursor } from './cursor.js';

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
      // Pass a loose pattern, break the query: not UUIDs, years PostgreSQL does not have.
      encodeCursor(at, '-'.repeat(36)),
      encodeCursor(at, 'f'.repeat(36)),
      encodeCursor('0000-01-01T00:00:00.000Z', id),
      encodeCursor('+275760-09-13T00:00:00.000Z', id),
      encodeCursor('-271821-04-20T00:00:00.000Z', id),
      Buffer.from(JSON.stringify([at, id, 'extra'])).toString('base64url'),
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
