import type { Message } from '@parley/protocol';

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

/** The last seq this client holds, for `sync` after a reconnect. */
export function lastSeqOf(messages: readonly Message[]): number {
  return messages.reduce((max, m) => Math.max(max, m.seq), 0);
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
