import { describe, expect, it } from 'vitest';
import { durationInWords } from './time';

describe('durationInWords', () => {
  it('says a delay as a sentence would', () => {
    expect(durationInWords(120)).toBe('2 minutes');
    expect(durationInWords(60)).toBe('1 minute');
    expect(durationInWords(1)).toBe('1 second');
    expect(durationInWords(45)).toBe('45 seconds');
    expect(durationInWords(90)).toBe('1 minute 30 seconds');
    expect(durationInWords(3600)).toBe('1 hour');
    expect(durationInWords(5400)).toBe('1 hour 30 minutes');
    expect(durationInWords(0)).toBe('0 seconds');
  });
});
