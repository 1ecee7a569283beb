import type {
  AckReply,
  Message,
  TypingChanged,
  VisitorClientEvents,
  VisitorConversation,
  VisitorServerEvents,
} from '@parley/protocol';
import type { Socket } from 'socket.io-client';
import { fetchMessagesAfter } from './api.js';
import { loadOutbox, newClientId, saveOutbox, type OutboxItem } from './outbox.js';

export type VisitorSocket = Socket<VisitorServerEvents, VisitorClientEvents>;

export type ChatState = {
  conversation: VisitorConversation | null;
  /** The current conversation's messages, in seq order, each once. */
  messages: Message[];
  /** Typed but not acknowledged, in the order typed: shown as "sending". */
  outbox: OutboxItem[];
  /** Refused by the server for good (too long, say): shown as "not sent". */
  failed: OutboxItem[];
  /** The name of the agent typing in the current conversation, if one is. */
  agentTyping: string | null;
  agentsOnline: boolean;
  connected: boolean;
};

const ACK_TIMEOUT_MS = 10_000;
/** An agent's typing fact that is not renewed is stale after this (their tab may have closed). */
const TYPING_STALE_MS = 8_000;
/** Errors a resend cannot fix: the item is given up and shown as not sent. */
const FINAL_ERRORS = new Set(['validation_failed', 'forbidden', 'not_found', 'payload_too_large']);

type Reply<T> = { ok: true; data: T } | { ok: false; code: string; lost: boolean };

/**
 * The visitor's side of Delivery (ARCHITECTURE.md): messages are kept by conversation and seq,
 * so a message that arrives twice (ack, broadcast, sync) is shown once; typed messages wait in
 * an outbox in storage until acknowledged; every (re)connect syncs from the last seq seen.
 */
export class Chat {
  state: ChatState;
  private readonly bySeq = new Map<string, Map<number, Message>>();
  /** Per conversation, the highest seq the server has pushed to us or synced. */
  private readonly cursor = new Map<string, number>();
  private readonly subscribers = new Set<() => void>();
  private readonly newMessage = new Set<(m: Message) => void>();
  private flushing = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly socket: VisitorSocket,
    private readonly token: () => string,
    conversation: VisitorConversation | null,
    agentsOnline: boolean,
  ) {
    this.state = {
      conversation,
      messages: [],
      outbox: loadOutbox(),
      failed: [],
      agentTyping: null,
      agentsOnline,
      connected: false,
    };
    socket.on('connect', () => {
      this.set({ connected: true });
      void this.resync().then(() => this.flush());
    });
    socket.on('disconnect', () => this.set({ connected: false, agentTyping: null }));
    socket.on('message.created', (m) => this.receive([m], true));
    socket.on('conversation.updated', (c) => this.onConversation(c));
    socket.on('availability.changed', ({ agentsOnline: online }) =>
      this.set({ agentsOnline: online }),
    );
    socket.on('typing.changed', (t) => this.onTyping(t));
  }

  subscribe(fn: () => void): () => void {
    this.subscribers.add(fn);
    return () => void this.subscribers.delete(fn);
  }

  /** Called for each message that arrives live (not history), once. */
  onNewMessage(fn: (m: Message) => void): () => void {
    this.newMessage.add(fn);
    return () => void this.newMessage.delete(fn);
  }

  /** Queues a message and sends it as soon as the connection allows. */
  send(content: string): void {
    const { conversation } = this.state;
    const item: OutboxItem = {
      clientId: newClientId(),
      conversationId: conversation && conversation.status !== 'closed' ? conversation.id : null,
      content,
      createdAt: new Date().toISOString(),
    };
    this.setOutbox([...this.state.outbox, item]);
    void this.flush();
  }

  /** After a closed chat: the next message starts a new conversation. */
  startOver(): void {
    this.set({ conversation: null, messages: [], failed: [], agentTyping: null });
  }

  setConversation(conversation: VisitorConversation): void {
    this.onConversation(conversation);
  }

  /** Sends `page.view`; pages before the socket connects are sent by socket.io's buffer. */
  pageView(url: string, title: string): void {
    if (!/^https?:/.test(url)) return;
    this.socket.emit('page.view', { url, title });
  }

  /** The visitor's typing and draft, for the agents' sneak peek. */
  typing(isTyping: boolean, draft: string): void {
    const id = this.state.conversation?.id;
    if (!id || this.state.conversation?.status === 'closed' || !this.socket.connected) return;
    this.socket.emit('typing.set', { conversationId: id, isTyping, draft: isTyping ? draft : '' });
  }

  async rate(rating: 'up' | 'down', comment: string): Promise<boolean> {
    const id = this.state.conversation?.id;
    if (!id) return false;
    const payload = { conversationId: id, rating, ...(comment ? { comment } : {}) };
    const reply = await this.call<{ conversation: VisitorConversation }>((ack) =>
      this.socket.timeout(ACK_TIMEOUT_MS).emit('conversation.rate', payload, ack),
    );
    if (reply.ok) this.onConversation(reply.data.conversation);
    return reply.ok;
  }

  private set(patch: Partial<ChatState>) {
    this.state = { ...this.state, ...patch };
    this.subscribers.forEach((fn) => fn());
  }

  private setOutbox(outbox: OutboxItem[]) {
    saveOutbox(outbox);
    this.set({ outbox });
  }

  private onConversation(c: VisitorConversation) {
    const current = this.state.conversation;
    // A newer conversation (one an agent started, say) replaces a closed or missing one.
    if (current && current.id !== c.id && current.status !== 'closed') return;
    const switched = current?.id !== c.id;
    this.set({ conversation: c, ...(switched ? { messages: this.messagesOf(c.id) } : {}) });
    if (switched && this.socket.connected) void this.resync();
  }

  private onTyping(t: TypingChanged) {
    if (t.sender !== 'agent' || t.conversationId !== this.state.conversation?.id) return;
    clearTimeout(this.typingTimer);
    if (t.isTyping)
      this.typingTimer = setTimeout(() => this.set({ agentTyping: null }), TYPING_STALE_MS);
    this.set({ agentTyping: t.isTyping ? (t.name ?? 'Agent') : null });
  }

  private messagesOf(conversationId: string): Message[] {
    const seqs = this.bySeq.get(conversationId);
    return seqs ? [...seqs.values()].sort((a, b) => a.seq - b.seq) : [];
  }

  /**
   * Merges messages, each kept once by (conversation, seq). `pushed` marks what came from the
   * server's broadcast or sync, which alone moves the sync cursor: an ack can overtake a
   * broadcast of a lower seq still on its way, and the cursor must not skip that one.
   */
  private receive(messages: Message[], live: boolean, pushed = true) {
    const added: Message[] = [];
    for (const m of messages) {
      let seqs = this.bySeq.get(m.conversationId);
      if (!seqs) this.bySeq.set(m.conversationId, (seqs = new Map()));
      if (pushed && m.seq > (this.cursor.get(m.conversationId) ?? 0)) {
        this.cursor.set(m.conversationId, m.seq);
      }
      if (seqs.has(m.seq)) continue;
      seqs.set(m.seq, m);
      added.push(m);
    }
    if (!added.length) return;
    const current = this.state.conversation;
    const mine = new Set(added.map((m) => m.clientId));
    const outbox = this.state.outbox.filter((i) => !mine.has(i.clientId));
    if (outbox.length !== this.state.outbox.length) saveOutbox(outbox);
    const agentSpoke = added.some((m) => m.sender === 'agent' && m.conversationId === current?.id);
    this.set({
      outbox,
      ...(current ? { messages: this.messagesOf(current.id) } : {}),
      ...(agentSpoke ? { agentTyping: null } : {}),
    });
    if (live) added.forEach((m) => this.newMessage.forEach((fn) => fn(m)));
  }

  /** Asks for everything past the cursor of the current conversation, paging if needed. */
  private async resync(): Promise<void> {
    const id = this.state.conversation?.id;
    if (!id) return;
    const since = this.cursor.get(id) ?? 0;
    const live = since > 0; // on first load it is history, not news
    const reply = await this.call<{ messages: Message[]; incomplete: string[] }>((ack) =>
      this.socket.timeout(ACK_TIMEOUT_MS).emit('sync', { conversations: { [id]: since } }, ack),
    );
    if (!reply.ok) return;
    this.receive(reply.data.messages, live);
    if (!reply.data.incomplete.includes(id)) return;
    // More missed than one sync returns: the rest comes over REST, 200 at a time.
    for (;;) {
      const page = await fetchMessagesAfter(this.token(), id, this.cursor.get(id) ?? 0).catch(
        () => [],
      );
      this.receive(page, live);
      if (page.length < 200) return;
    }
  }

  /** Sends the outbox in order, one at a time; stops at the first send that gets no answer. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.socket.connected) {
        const item = this.state.outbox[0];
        if (!item || !(await this.deliver(item))) return;
      }
    } finally {
      this.flushing = false;
    }
  }

  /** True when the item is done with (delivered or given up), false to retry later. */
  private async deliver(item: OutboxItem): Promise<boolean> {
    const conversationId = item.conversationId ?? this.openConversationId();
    const reply: Reply<{ message: Message; conversation?: VisitorConversation }> = conversationId
      ? await this.call<{ message: Message }>((ack) =>
          this.socket
            .timeout(ACK_TIMEOUT_MS)
            .emit(
              'message.send',
              { conversationId, content: item.content, clientId: item.clientId },
              ack,
            ),
        )
      : await this.call<{ message: Message; conversation: VisitorConversation }>((ack) =>
          this.socket
            .timeout(ACK_TIMEOUT_MS)
            .emit('conversation.start', { content: item.content, clientId: item.clientId }, ack),
        );
    if (reply.ok) {
      if (reply.data.conversation) this.onConversation(reply.data.conversation);
      this.receive([reply.data.message], false, false);
      this.setOutbox(this.state.outbox.filter((i) => i.clientId !== item.clientId));
      return true;
    }
    if (reply.lost) return false;
    if (reply.code === 'conflict') {
      // The conversation closed meanwhile: the message opens a new one instead.
      this.setOutbox(
        this.state.outbox.map((i) => (i === item ? { ...i, conversationId: null } : i)),
      );
      this.startOver();
      return true;
    }
    if (!FINAL_ERRORS.has(reply.code)) {
      setTimeout(() => void this.flush(), 3000); // rate limited or a passing server error
      return false;
    }
    this.setOutbox(this.state.outbox.filter((i) => i.clientId !== item.clientId));
    this.set({ failed: [...this.state.failed, item] });
    return true;
  }

  private openConversationId(): string | null {
    const c = this.state.conversation;
    return c && c.status !== 'closed' ? c.id : null;
  }

  /** An ack as a value: `lost` when no answer came (timeout or disconnect), so it is resent. */
  private call<T>(
    emit: (ack: (err: Error | null, reply: AckReply<T>) => void) => void,
  ): Promise<Reply<T>> {
    return new Promise((resolve) => {
      emit((err, reply) => {
        if (err) resolve({ ok: false, code: 'timeout', lost: true });
        else if (reply.ok) resolve({ ok: true, data: reply.data });
        else resolve({ ok: false, code: reply.error.code, lost: false });
      });
    });
  }
}
