import { useEffect } from 'preact/hooks';
import type { ChatState } from './chat.js';
import { load, save } from './storage.js';

const KEY = 'seen';

const seenSeq = (conversationId: string): number => {
  const seen = load(KEY);
  return typeof seen === 'object' &&
    seen !== null &&
    'id' in seen &&
    'seq' in seen &&
    seen.id === conversationId &&
    typeof seen.seq === 'number'
    ? seen.seq
    : 0;
};

/**
 * Agent messages the visitor has not seen, for the launcher's badge. What was seen is stored,
 * so the count is right on the next page of the site too, not only since this page loaded.
 */
export function useUnread(state: ChatState, open: boolean): number {
  const { conversation, messages } = state;
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  useEffect(() => {
    if (open && conversation && lastSeq) save(KEY, { id: conversation.id, seq: lastSeq });
  }, [open, conversation?.id, lastSeq]);
  if (open || !conversation) return 0;
  const seen = seenSeq(conversation.id);
  return messages.filter((m) => m.sender === 'agent' && m.seq > seen).length;
}
