import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { messageOf } from './errors';

describe('messageOf', () => {
  it("shows the server's reason for a refused form, not its summary", () => {
    const tooShort = new ApiError(400, 'validation_failed', 'Invalid input', [
      { path: 'password', message: 'At least 8 characters' },
    ]);
    expect(messageOf(tooShort)).toBe('At least 8 characters');
    const reason = 'This password is too easy to guess. This is a commonly used password.';
    const weak = new ApiError(400, 'validation_failed', reason, [
      { path: 'password', message: reason },
    ]);
    expect(messageOf(weak)).toBe(reason);
    expect(messageOf(new ApiError(403, 'forbidden', 'Not allowed'))).toBe('Not allowed');
    expect(messageOf(new ApiError(400, 'validation_failed', 'Invalid input', 'odd'))).toBe(
      'Invalid input',
    );
  });
});
