import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { insertCanned, mergeMessages, shortcutQuery, syncCursorOf } from './messages';

const message = (seq: number, content = `m${seq}`): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId: '00000000-0000-4000-8000-000000000000',
  seq,
  clientId: null,
  sender: 'visitor',
  senderId: null,
  senderName: null,
  content,
  type: 'text',
  readAt: null,
  createdAt: new Date(0).toISOString(),
});

describe('mergeMessages', () => {
  it('keeps each seq once, in order, whichever way a message arrived', () => {
    const merged = mergeMessages([message(1), message(3)], [message(2), message(3), message(4)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });
  it('resumes sync before the first gap, not after the highest seq', () => {
    expect(syncCursorOf([])).toBe(0);
    expect(syncCursorOf([message(3), message(4), message(5)])).toBe(5);
    // seq 6 was missed while offline; 7 (our reply, acked over REST) must not hide it.
    expect(syncCursorOf([message(4), message(5), message(7)])).toBe(5);
  });
});

describe('canned responses by #shortcut', () => {
  it('finds the shortcut being typed at the end only', () => {
    expect(shortcutQuery('#gre')).toBe('gre');
    expect(shortcutQuery('Hello #Ref')).toBe('ref');
    expect(shortcutQuery('#')).toBe('');
    expect(shortcutQuery('issue#12')).toBeNull();
    expect(shortcutQuery('#greet then more')).toBeNull();
  });
  it('replaces the shortcut with the response text', () => {
    expect(insertCanned('Sure! #ref', 'Refunds take 5 days.')).toBe('Sure! Refunds take 5 days.');
  });
});
