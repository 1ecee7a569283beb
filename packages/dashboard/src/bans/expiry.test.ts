import { describe, expect, it } from 'vitest';
import { expiryOf } from './expiry';

describe('a ban’s expiry', () => {
  const now = new Date('2026-03-01T12:00:00.000Z');
  it('is the chosen number of days from now, or none', () => {
    expect(expiryOf('1d', now)).toBe('2026-03-02T12:00:00.000Z');
    expect(expiryOf('30d', now)).toBe('2026-03-31T12:00:00.000Z');
    expect(expiryOf('forever', now)).toBeNull();
  });
  it('is 7 days for a choice it does not know', () => {
    expect(expiryOf('toString', now)).toBe('2026-03-08T12:00:00.000Z');
  });
});
