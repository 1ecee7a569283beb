import { describe, expect, it } from 'vitest';
import { resetTokenFrom } from './reset-token';

describe('resetTokenFrom', () => {
  it('reads the token of the emailed link from its fragment', () => {
    expect(resetTokenFrom('#token=Ab-9_x')).toBe('Ab-9_x');
    expect(resetTokenFrom('token=Ab-9_x')).toBe('Ab-9_x');
    expect(resetTokenFrom('#utm=mail&token=a%2Bb+c')).toBe('a+b+c');
  });

  it('has none for a link without one, or one cut short', () => {
    expect(resetTokenFrom('')).toBeNull();
    expect(resetTokenFrom('#')).toBeNull();
    expect(resetTokenFrom('#token=')).toBeNull();
    expect(resetTokenFrom('#tokens=abc')).toBeNull();
    expect(resetTokenFrom('#token=abc%E')).toBeNull();
  });
});
