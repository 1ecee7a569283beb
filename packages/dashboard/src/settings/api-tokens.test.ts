import { describe, expect, it } from 'vitest';
import { timeAgo } from './api-tokens';

describe('timeAgo', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  const before = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says how long ago a token was last used, rounded down', () => {
    expect(timeAgo(before(20), now)).toBe('just now');
    expect(timeAgo(before(60), now)).toBe('1 minute ago');
    expect(timeAgo(before(100 * 60), now)).toBe('1 hour ago');
    expect(timeAgo(before(5 * 3600), now)).toBe('5 hours ago');
    expect(timeAgo(before(86_400), now)).toBe('yesterday');
    expect(timeAgo(before(3 * 86_400), now)).toBe('3 days ago');
    expect(timeAgo(before(15 * 86_400), now)).toBe('2 weeks ago');
    expect(timeAgo(before(400 * 86_400), now)).toBe('last year');
  });

  it('does not say a use is in the future when the clocks differ a little', () => {
    expect(timeAgo(new Date(now + 5000).toISOString(), now)).toBe('just now');
  });
});
