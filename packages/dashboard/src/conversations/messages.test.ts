import type { ConversationListItem, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  insertCanned,
  lastMessagePreview,
  mergeMessages,
  messageText,
  shortcutQuery,
  syncCursorOf,
} from './messages';

const message = (seq: number, content = `m${seq}`): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId: '00000000-0000-4000-8000-000000000000',
  seq,
  clientId: null,
  sender: 'visitor',
  senderId: null,
  senderName: null,
  fromBot: false,
  content,
  type: 'text',
  attachments: [],
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

describe('the conversation list’s preview', () => {
  const me = '00000000-0000-4000-8000-0000000000aa';
  const last = (
    change: Partial<NonNullable<ConversationListItem['lastMessage']>>,
  ): NonNullable<ConversationListItem['lastMessage']> => ({
    content: '',
    sender: 'visitor',
    senderId: null,
    senderName: null,
    type: 'text',
    createdAt: new Date(0).toISOString(),
    fileCount: 0,
    ...change,
  });
  const agent = { sender: 'agent' as const, senderId: 'someone-else', senderName: 'Bob' };

  it('says how many files were sent without a word, after who sent them', () => {
    expect(lastMessagePreview(last({ fileCount: 1 }), me)).toBe('Sent a file');
    expect(lastMessagePreview(last({ ...agent, senderId: me, fileCount: 3 }), me)).toBe(
      'You: sent 3 files',
    );
    expect(lastMessagePreview(last({ ...agent, fileCount: 1 }), me)).toBe('Bob: sent a file');
    expect(lastMessagePreview(last({ ...agent, type: 'note', fileCount: 2 }), me)).toBe(
      'Note by Bob: sent 2 files',
    );
  });
  it('shows the text when there is some, files or not', () => {
    expect(lastMessagePreview(last({ content: 'Here it is', fileCount: 1 }), me)).toBe(
      'Here it is',
    );
    expect(lastMessagePreview(last({ ...agent, content: 'Hi' }), me)).toBe('Bob: Hi');
  });
  it('gives a notification a body for files alone', () => {
    expect(messageText('', 2)).toBe('Sent 2 files');
    expect(messageText('Hello', 2)).toBe('Hello');
  });
});
