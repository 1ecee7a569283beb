import { describe, expect, it } from 'vitest';
import { uuid7 } from './uuid7.js';

describe('uuid7', () => {
  it('is a version 7, RFC 9562 variant UUID that carries its millisecond', () => {
    const at = Date.UTC(2026, 10, 24, 12, 0, 0, 123);
    const id = uuid7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time, and ids of one millisecond differ', () => {
    const ids = [uuid7(1_000), uuid7(1_001), uuid7(2_000_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 5_000 }, () => uuid7(1_000)));
    expect(same.size).toBe(5_000);
  });
});
