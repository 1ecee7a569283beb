import type { ConversationListItem, Message } from '@parley/protocol';
import { filesSent } from '../files/format';

/**
 * Merges messages into a conversation's list: ordered by seq, each seq once. The same message
 * can arrive by ack, by broadcast and by sync; the seq (unique per conversation) decides.
 */
export function mergeMessages(
  current: readonly Message[],
  incoming: readonly Message[],
): Message[] {
  if (incoming.length === 0) return [...current];
  const bySeq = new Map<number, Message>();
  for (const m of current) bySeq.set(m.seq, m);
  for (const m of incoming) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * Where `sync` should resume: the last seq before the first gap. Not simply the highest seq:
 * a reply acked over REST while the socket was down lands after messages this tab never saw,
 * and resuming past it would skip them for good.
 */
export function syncCursorOf(messages: readonly Message[]): number {
  const [first, ...rest] = messages;
  if (!first) return 0;
  let cursor = first.seq;
  for (const m of rest) {
    if (m.seq !== cursor + 1) break;
    cursor = m.seq;
  }
  return cursor;
}

/** `#shortcut` being typed at the end of the draft, or null. */
export function shortcutQuery(draft: string): string | null {
  const match = /(?:^|\s)#([a-z0-9_-]*)$/i.exec(draft);
  return match ? (match[1] ?? '').toLowerCase() : null;
}

/** Replaces the `#shortcut` at the end of the draft with the canned response's text. */
export function insertCanned(draft: string, content: string): string {
  return draft.replace(/#[a-z0-9_-]*$/i, content);
}

type LastMessage = NonNullable<ConversationListItem['lastMessage']>;

/** Who wrote the list's last line, as its prefix: nobody for the visitor's own words. */
function authorOf(last: LastMessage, myId: string): string {
  if (last.sender !== 'agent') return '';
  const who = last.senderId === myId ? 'You' : (last.senderName ?? 'Agent');
  return last.type === 'note' ? `Note by ${who}: ` : `${who}: `;
}

/**
 * The conversation list's line for its last message: the author's prefix and the text, or, for
 * files sent without a word, how many ("You: sent 3 files").
 */
export function lastMessagePreview(last: LastMessage, myId: string): string {
  const author = authorOf(last, myId);
  if (author === '') return messageText(last.content, last.fileCount);
  return `${author}${last.content || (last.fileCount > 0 ? filesSent(last.fileCount) : '')}`;
}

/** A message's text, or for files sent without a word, "Sent a file" (a notification's body). */
export function messageText(content: string, fileCount: number): string {
  if (content !== '' || fileCount === 0) return content;
  const files = filesSent(fileCount);
  return files.charAt(0).toUpperCase() + files.slice(1);
}
