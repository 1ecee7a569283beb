import type { ConversationListReply, Message, Visitor, VisitorListReply } from '@parley/protocol';
import { QueryClient, type InfiniteData } from '@tanstack/react-query';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../api/keys';
import { applyRealtime, deletedConversations } from './cache';
import type { AgentSocket } from './socket';

type Handler = (...args: any[]) => void;
const conversationId = '00000000-0000-4000-8000-000000000001';

const message = (seq: number): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
  conversationId,
  seq,
  clientId: null,
  sender: 'visitor',
  senderId: null,
  senderName: null,
  fromBot: false,
  content: `m${seq}`,
  type: 'text',
  attachments: [],
  readAt: null,
  createdAt: new Date(0).toISOString(),
});

/** Stands in for socket.io: answers `sync` from what the server has stored, after a tick. */
class FakeSocket {
  connected = true;
  readonly syncs: Array<Record<string, number>> = [];
  private handlers = new Map<string, Handler[]>();
  constructor(public stored: Message[]) {}
  on(event: string, fn: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  off(event: string, fn: Handler) {
    this.handlers.set(
      event,
      (this.handlers.get(event) ?? []).filter((h) => h !== fn),
    );
    return this;
  }
  timeout() {
    return {
      emitWithAck: (event: string, payload: any) => {
        if (event !== 'sync') throw new Error(`unexpected ${event}`);
        const { conversations } = payload as { conversations: Record<string, number> };
        this.syncs.push(conversations);
        const messages = this.stored.filter((m) => m.seq > (conversations[m.conversationId] ?? 0));
        return new Promise((r) =>
          setTimeout(() => r({ ok: true, data: { messages, incomplete: [] } }), 0),
        );
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    this.handlers.get(event)?.forEach((fn) => fn(...args));
  }
}

/**
 * Lets the fake socket's answers (each a timer) and what they set going run: ten turns of the
 * timers, each after the last. One 10 ms wait was not enough on a loaded machine: a stalled
 * loop fires every expired timer at once, the wait's among them, before the next answer's.
 */
const settle = async () => {
  for (let turn = 0; turn < 10; turn++) await new Promise((r) => setTimeout(r, 1));
};
let off = () => {};
afterEach(() => off());

/** A tab that holds messages 1..`held` of the conversation (its chat window is open). */
function tab(stored: Message[], held: number) {
  const qc = new QueryClient();
  qc.setQueryData(keys.messages(conversationId), stored.slice(0, held));
  const socket = new FakeSocket(stored);
  off = applyRealtime(socket as unknown as AgentSocket, qc);
  const shown = () => qc.getQueryData<Message[]>(keys.messages(conversationId))?.map((m) => m.seq);
  return { qc, socket, shown };
}

describe('the dashboard’s live messages', () => {
  it('syncs a conversation at once when a broadcast skips a seq, once for the whole gap', async () => {
    const stored = [1, 2, 3, 4, 5].map(message);
    const { socket, shown } = tab(stored, 1);
    // 2 and 3 were lost on the way (the connection stayed up): 4 and 5 reveal it.
    socket.fire('message.created', stored[3]);
    socket.fire('message.created', stored[4]);
    await settle();
    expect(socket.syncs).toEqual([{ [conversationId]: 1 }]);
    expect(shown()).toEqual([1, 2, 3, 4, 5]);
    socket.fire('message.created', message(6));
    await settle();
    expect(socket.syncs).toHaveLength(1);
  });

  it('looks at a gap again after the sync that was running when it showed', async () => {
    const stored = [1, 2, 3, 4, 5].map(message);
    // 3 shows a gap; the sync it starts answers from before 4 and 5 were stored, and 5 shows
    // another gap while that sync runs.
    const { socket, shown } = tab(stored.slice(0, 3), 1);
    socket.fire('message.created', stored[2]);
    socket.stored = stored;
    socket.fire('message.created', stored[4]);
    await settle();
    expect(socket.syncs).toEqual([{ [conversationId]: 1 }, { [conversationId]: 3 }]);
    expect(shown()).toEqual([1, 2, 3, 4, 5]);
  });

  it('leaves alone conversations this tab holds no messages of', async () => {
    const { socket } = tab([message(1)], 1);
    socket.fire('message.created', { ...message(7), conversationId: crypto.randomUUID() });
    await settle();
    expect(socket.syncs).toEqual([]);
  });

  it('syncs what it holds when the server says broadcasts may have been lost', async () => {
    const stored = [1, 2, 3].map(message);
    const { socket, shown } = tab(stored, 1);
    // The last two were lost in a Redis blink, and nothing followed them.
    socket.fire('sync.required');
    await settle();
    expect(socket.syncs).toEqual([{ [conversationId]: 1 }]);
    expect(shown()).toEqual([1, 2, 3]);
  });
});

describe('a conversation an admin deleted', () => {
  it('leaves every list at once, and an open chat knows it is gone', () => {
    const { qc, socket } = tab([message(1)], 1);
    const row = (id: string) => ({ id }) as ConversationListReply['items'][number];
    const other = '00000000-0000-4000-8000-000000000002';
    qc.setQueryData<InfiniteData<ConversationListReply>>(keys.conversationList({ tab: 'all' }), {
      pages: [{ items: [row(conversationId), row(other)], nextCursor: null }],
      pageParams: [''],
    });
    qc.setQueryData<ConversationListReply>(keys.conversationList({ unread: true }), {
      items: [row(conversationId)],
      nextCursor: null,
    });
    socket.fire('conversation.deleted', { conversationId });
    const paged = qc.getQueryData<InfiniteData<ConversationListReply>>(
      keys.conversationList({ tab: 'all' }),
    );
    expect(paged?.pages[0]?.items.map((c) => c.id)).toEqual([other]);
    expect(
      qc.getQueryData<ConversationListReply>(keys.conversationList({ unread: true }))?.items,
    ).toEqual([]);
    expect(qc.getQueryData(keys.messages(conversationId))).toBeUndefined();
    expect(deletedConversations.get().has(conversationId)).toBe(true);
  });
});

describe('the visitors online', () => {
  it('are kept live in the list of every site and in their own site’s list only', () => {
    const { qc, socket } = tab([], 0);
    const shop = '00000000-0000-4000-8000-00000000000a';
    const blog = '00000000-0000-4000-8000-00000000000b';
    const visitor = (id: string, siteId: string, online: boolean) =>
      ({ id: `00000000-0000-4000-8000-00000000010${id}`, siteId, online }) as Visitor;
    const empty: VisitorListReply = { items: [], nextCursor: null };
    for (const siteId of ['', shop, blog]) qc.setQueryData(keys.onlineVisitors(siteId), empty);
    const shown = (siteId: string) =>
      qc.getQueryData<VisitorListReply>(keys.onlineVisitors(siteId))?.items.map((v) => v.id);

    socket.fire('visitor.updated', visitor('1', shop, true));
    socket.fire('visitor.updated', visitor('2', blog, true));
    expect(shown('')).toEqual([visitor('2', blog, true).id, visitor('1', shop, true).id]);
    expect(shown(shop)).toEqual([visitor('1', shop, true).id]);
    expect(shown(blog)).toEqual([visitor('2', blog, true).id]);

    // Gone offline: out of every list.
    socket.fire('visitor.updated', visitor('1', shop, false));
    expect(shown('')).toEqual([visitor('2', blog, true).id]);
    expect(shown(shop)).toEqual([]);
  });
});
