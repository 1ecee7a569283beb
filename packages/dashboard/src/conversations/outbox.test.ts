import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { retryDelay } from './outbox';

describe('an agent message the server refused', () => {
  it('is sent again by itself while the refusal passes (database away, over the limit)', () => {
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 0)).toBe(1000);
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 3)).toBe(8000);
    const limited = new ApiError(429, 'rate_limited', 'slow', { retryAfterMs: 4200 });
    expect(retryDelay(limited, 0)).toBe(4200);
  });

  it('waits for the agent after a few tries, and at once for a final refusal', () => {
    expect(retryDelay(new ApiError(503, 'unavailable', 'away'), 5)).toBeNull();
    expect(retryDelay(new ApiError(409, 'conflict', 'closed'), 0)).toBeNull();
    expect(retryDelay(new Error('network'), 0)).toBeNull();
  });
});
