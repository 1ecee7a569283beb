import type { Attachment, Message, SendMessageBody } from '@parley/protocol';
import type { QueryClient } from '@tanstack/react-query';
import { ApiError, call } from '../api/client';
import { keys } from '../api/keys';
import { addMessages } from '../realtime/cache';
import { ACK_TIMEOUT_MS, type AgentSocket } from '../realtime/socket';
import { createStore } from '../realtime/store';

/** A message shown at once, before the server has stored it (optimistic send). */
export type Pending = {
  clientId: string;
  conversationId: string;
  content: string;
  type: 'text' | 'note';
  /** Uploaded already: a resend names the same files, as it carries the same clientId. */
  attachments: Attachment[];
  /** A note's @mentions: the ids of the teammates it names. */
  mentions: string[];
  state: 'sending' | 'failed';
  error?: string;
};

export const outboxStore = createStore<Record<string, Pending[]>>({});

const setPending = (conversationId: string, update: (items: Pending[]) => Pending[]) =>
  outboxStore.set((all) => ({ ...all, [conversationId]: update(all[conversationId] ?? []) }));

/**
 * Sends a pending message over the socket (REST while the socket is down). The clientId makes
 * a resend safe: the server returns the stored message instead of storing a second one.
 */
async function deliver(socket: AgentSocket, body: SendMessageBody): Promise<Message> {
  if (socket.connected) {
    const reply = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message.send', body);
    if (!reply.ok) {
      const { code, message, details } = reply.error;
      throw new ApiError(code === 'unavailable' ? 503 : 400, code, message, details);
    }
    return reply.data.message;
  }
  return (await call('sendMessage', { body })).message;
}

// Refusals that pass by themselves: the same message (same clientId) is sent again after a
// pause, a few times, before the agent is asked to retry it by hand.
const PASSING = new Set(['unavailable', 'rate_limited']);
const AUTO_RETRIES = 5;

/** How long to wait before sending again after a passing refusal; null if it is final. */
export function retryDelay(err: unknown, attempt: number): number | null {
  if (!(err instanceof ApiError) || !PASSING.has(err.code) || attempt >= AUTO_RETRIES) return null;
  const details = err.details as { retryAfterMs?: unknown } | undefined;
  const asked = typeof details?.retryAfterMs === 'number' ? details.retryAfterMs : 0;
  return Math.max(asked, 1000 * 2 ** attempt);
}

export async function sendPending(
  socket: AgentSocket,
  qc: QueryClient,
  pending: Pending,
  attempt = 0,
): Promise<void> {
  setPending(pending.conversationId, (items) => [
    ...items.filter((p) => p.clientId !== pending.clientId),
    { ...pending, state: 'sending', error: undefined },
  ]);
  try {
    const message = await deliver(socket, sendBody(pending));
    const { conversationId, clientId } = pending;
    addMessages(qc, conversationId, [message]);
    // This tab gets its own message in the ack only (not as message.created): its lists'
    // previews and order must follow it all the same.
    void qc.invalidateQueries({ queryKey: keys.conversationLists });
    setPending(conversationId, (items) => items.filter((p) => p.clientId !== clientId));
  } catch (err) {
    const delay = retryDelay(err, attempt);
    if (delay !== null) {
      setTimeout(() => void sendPending(socket, qc, pending, attempt + 1), delay);
      return;
    }
    const error = err instanceof Error ? err.message : 'Not sent';
    setPending(pending.conversationId, (items) =>
      items.map((p) => (p.clientId === pending.clientId ? { ...p, state: 'failed', error } : p)),
    );
  }
}

/** What the server is sent for a pending message, the first time and every time after. */
export function sendBody(p: Pending): SendMessageBody {
  const { conversationId, content, clientId, type } = p;
  const attachmentIds = p.attachments.map((a) => a.id);
  // Each list is left out when empty: the server wants one file or more, and mentions in notes
  // only.
  return {
    conversationId,
    content,
    clientId,
    type,
    ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
    ...(type === 'note' && p.mentions.length > 0 ? { mentions: p.mentions } : {}),
  };
}

export function newPending(
  conversationId: string,
  content: string,
  type: 'text' | 'note',
  attachments: Attachment[] = [],
  mentions: string[] = [],
): Pending {
  return {
    clientId: newClientId(),
    conversationId,
    content,
    type,
    attachments,
    mentions,
    state: 'sending',
  };
}

/** A v4 UUID. `crypto.randomUUID` exists only in secure contexts (not plain http on a LAN). */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
