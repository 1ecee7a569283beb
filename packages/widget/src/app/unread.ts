import type { UnreadPreview } from '@parley/protocol/widget-frame';
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
 * Agent messages the visitor has not seen, for the launcher's badge, and the newest of them
 * for its preview card. What was seen is stored, so both are right on the next page of the
 * site too, not only since this page loaded.
 */
export function useUnread(
  state: ChatState,
  open: boolean,
): { count: number; preview: UnreadPreview | null } {
  const { conversation, messages } = state;
  const lastSeq = messages[messages.length - 1]?.seq ?? 0;
  useEffect(() => {
    if (open && conversation && lastSeq) save(KEY, { id: conversation.id, seq: lastSeq });
  }, [open, conversation?.id, lastSeq]);
  if (open || !conversation) return { count: 0, preview: null };
  const seen = seenSeq(conversation.id);
  const unseen = messages.filter((m) => m.sender === 'agent' && m.seq > seen);
  const newest = unseen[unseen.length - 1];
  return {
    count: unseen.length,
    preview: newest ? { name: newest.senderName, text: newest.content } : null,
  };
}
