import type { Message } from '@parley/protocol';
import type { UnreadPreview } from '@parley/protocol/widget-frame';
import { useEffect, useRef, useState } from 'preact/hooks';
import { markRead } from './api.js';
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
    preview: newest ? { name: newest.senderName, text: newest.content || filesOf(newest) } : null,
  };
}

/** A message of files alone is previewed by their names, which need no translation. */
const filesOf = (m: Message) => `📎 ${m.attachments.map((f) => f.name).join(', ')}`;

const visible = () => document.visibilityState === 'visible';

/**
 * Tells the server what the visitor has seen: the agents' messages up to the last one shown
 * while the chat is open and the page in view. An agent's reply that stays unseen is emailed
 * to the visitor after a while; one seen here is not.
 */
export function useMarkSeen(state: ChatState, open: boolean, token: () => string): void {
  const [shown, setShown] = useState(visible);
  const sent = useRef({ id: '', seq: 0 });
  useEffect(() => {
    const onChange = () => setShown(visible());
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  const { conversation, messages } = state;
  let seq = 0;
  for (const m of messages) if (m.sender === 'agent') seq = m.seq;
  useEffect(() => {
    if (!open || !shown || !conversation || !seq || !state.connected) return;
    const done = sent.current;
    if (done.id === conversation.id && done.seq >= seq) return;
    sent.current = { id: conversation.id, seq };
    markRead(token(), conversation.id, seq).catch(() => {
      sent.current = done; // tried again on the next change
    });
  }, [open, shown, conversation?.id, seq, state.connected]);
}
