import { describe, expect, it } from 'vitest';
import {
  Email,
  MessageContent,
  Origin,
  PageViewPayload,
  SendMessageBody,
  SyncPayload,
} from './index.js';

// Fixed ids: the protocol package has no Node or DOM types to generate them with.
const ids = Array.from(
  { length: 201 },
  (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
);
const id = (i: number) => ids[i] ?? '';

describe('protocol schemas', () => {
  it('message content: trimmed, 1 to 5,000 characters, no NUL or lone surrogate', () => {
    expect(MessageContent.parse('  hi  ')).toBe('hi');
    expect(MessageContent.safeParse('').success).toBe(false);
    expect(MessageContent.safeParse('   ').success).toBe(false);
    expect(MessageContent.safeParse('x'.repeat(5000)).success).toBe(true);
    expect(MessageContent.safeParse('x'.repeat(5001)).success).toBe(false);
    expect(MessageContent.safeParse('a\u0000b').success).toBe(false);
    expect(MessageContent.safeParse('a\uDC00').success).toBe(false);
    expect(MessageContent.safeParse('emoji 😀 ok').success).toBe(true);
  });

  it('send: a note must be asked for; the type defaults to text', () => {
    const base = { conversationId: id(0), content: 'hi', clientId: id(1) };
    expect(SendMessageBody.parse(base).type).toBe('text');
    expect(SendMessageBody.safeParse({ ...base, type: 'system' }).success).toBe(false);
    expect(SendMessageBody.safeParse({ ...base, clientId: 'not-a-uuid' }).success).toBe(false);
  });

  it('emails are lower-cased; origins are scheme, host and port only', () => {
    expect(Email.parse('Ann@Example.COM')).toBe('ann@example.com');
    expect(Origin.parse('https://Shop.example.com:8443')).toBe('https://shop.example.com:8443');
    expect(Origin.safeParse('https://shop.example.com/path').success).toBe(false);
    expect(Origin.safeParse('javascript:alert(1)').success).toBe(false);
  });

  it('page views are http(s) only; sync takes at most 200 conversations', () => {
    expect(PageViewPayload.safeParse({ url: 'javascript:alert(1)', title: 'x' }).success).toBe(
      false,
    );
    expect(PageViewPayload.parse({ url: 'https://a.example/x' }).title).toBe('');
    const many = Object.fromEntries(ids.map((i) => [i, 0]));
    expect(SyncPayload.safeParse({ conversations: many }).success).toBe(false);
    expect(SyncPayload.safeParse({ conversations: { 'not-a-uuid': 1 } }).success).toBe(false);
  });
});
